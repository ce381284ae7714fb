"""The three emergency groups, their members, the response phases and the matrix."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ebconsole.db.base import Base, Record
from ebconsole.organisation.enums import GroupCode, PhaseCode, Responsibility


class EmergencyGroup(Record, Base):
    """应急领导小组 / 应急小组 / 应急支持小组: names and texts in both languages, editable."""

    __tablename__ = "emergency_group"

    code: Mapped[GroupCode] = mapped_column(unique=True)
    position: Mapped[int] = mapped_column(default=0)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    composition_zh: Mapped[str] = mapped_column(Text, default="")
    composition_en: Mapped[str] = mapped_column(Text, default="")
    duties_zh: Mapped[str] = mapped_column(Text, default="")
    duties_en: Mapped[str] = mapped_column(Text, default="")

    def name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en


class GroupMember(Record, Base):
    __tablename__ = "group_member"

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("emergency_group.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(80))
    title: Mapped[str | None] = mapped_column(String(80))
    department: Mapped[str | None] = mapped_column(String(80))
    office_phone: Mapped[str | None] = mapped_column(String(40))
    mobile_phone: Mapped[str | None] = mapped_column(String(40))
    deputy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("group_member.id"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))

    group: Mapped[EmergencyGroup] = relationship(lazy="joined")
    deputy: Mapped[GroupMember | None] = relationship(remote_side="GroupMember.id")


class ResponsePhase(Record, Base):
    """A phase of the response flow (plan §4), named in both languages."""

    __tablename__ = "response_phase"

    code: Mapped[PhaseCode] = mapped_column(unique=True)
    position: Mapped[int] = mapped_column(default=0)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))

    def name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en


class MatrixCell(Record, Base):
    """The role of one group in one phase; `None` once the role is cleared."""

    __tablename__ = "responsibility_cell"
    __table_args__ = (UniqueConstraint("phase_id", "group_id"),)

    phase_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("response_phase.id"))
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("emergency_group.id"))
    role: Mapped[Responsibility | None]
