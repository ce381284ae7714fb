"""The members of the emergency groups (plan §3): name, title, department, phones and the
deputy who stands in for them; plus the plain rows the matrix tab loads in one read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy.orm import Session

from ebconsole.i18n import N_, _
from ebconsole.organisation import service as organisation
from ebconsole.organisation.dto import Matrix
from ui.plan.table import ALERT, RowsModel


@dataclass(frozen=True)
class GroupRow:
    id: uuid.UUID
    code: str
    name_zh: str
    name_en: str
    composition_zh: str
    composition_en: str
    duties_zh: str
    duties_en: str
    version: int

    def name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") or not self.name_en else self.name_en

    def composition(self, lang: str) -> str:
        en = self.composition_en if not lang.startswith("zh") else ""
        return en or self.composition_zh

    def duties(self, lang: str) -> str:
        en = self.duties_en if not lang.startswith("zh") else ""
        return en or self.duties_zh


@dataclass(frozen=True)
class MemberRow:
    id: uuid.UUID
    group_id: uuid.UUID
    position: int
    name: str
    title: str | None
    department: str | None
    office_phone: str | None
    mobile_phone: str | None
    deputy_id: uuid.UUID | None
    deputy_name: str | None
    deputy_phone: str | None
    version: int


@dataclass(frozen=True)
class Organisation:
    matrix: Matrix
    groups: tuple[GroupRow, ...]
    members: tuple[MemberRow, ...]

    def members_of(self, group_id: uuid.UUID | None) -> list[MemberRow]:
        return [m for m in self.members if m.group_id == group_id]


def load_organisation(session: Session) -> Organisation:
    """Runs on a worker: the matrix, the groups and their current members as plain rows."""
    groups = tuple(
        GroupRow(
            id=g.id,
            code=g.code.value,
            name_zh=g.name_zh,
            name_en=g.name_en,
            composition_zh=g.composition_zh or "",
            composition_en=g.composition_en or "",
            duties_zh=g.duties_zh or "",
            duties_en=g.duties_en or "",
            version=g.version,
        )
        for g in organisation.list_groups(session=session)
    )
    members = []
    for m in organisation.list_members(session=session):
        deputy = m.deputy if m.deputy is not None and m.deputy.archived_at is None else None
        members.append(
            MemberRow(
                id=m.id,
                group_id=m.group_id,
                position=m.position,
                name=m.name,
                title=m.title,
                department=m.department,
                office_phone=m.office_phone,
                mobile_phone=m.mobile_phone,
                deputy_id=deputy.id if deputy else None,
                deputy_name=deputy.name if deputy else None,
                deputy_phone=(deputy.mobile_phone or deputy.office_phone) if deputy else None,
                version=m.version,
            )
        )
    return Organisation(organisation.get_matrix(session=session), groups, tuple(members))


class MembersModel(RowsModel[MemberRow]):
    NAME, TITLE, DEPARTMENT, OFFICE_PHONE, MOBILE_PHONE, DEPUTY = range(6)
    COLUMNS = (
        N_("Name"),
        N_("Job title"),
        N_("Department"),
        N_("Office phone"),
        N_("Mobile phone"),
        N_("Deputy"),
    )

    def cell(self, row: MemberRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return row.name
            if column == self.TITLE:
                return row.title or ""
            if column == self.DEPARTMENT:
                return row.department or ""
            if column == self.OFFICE_PHONE:
                return row.office_phone or ""
            if column == self.MOBILE_PHONE:
                return row.mobile_phone or ""
            if column == self.DEPUTY:
                if row.deputy_name is None:
                    return _("none")
                if row.deputy_phone:
                    return _("{name} ({phone})").format(
                        name=row.deputy_name, phone=row.deputy_phone
                    )
                return row.deputy_name
        if role == Qt.ItemDataRole.ForegroundRole and column == self.DEPUTY and not row.deputy_name:
            return ALERT
        if role == Qt.ItemDataRole.ToolTipRole and column == self.DEPUTY and not row.deputy_name:
            return _("Nobody stands in for this member.")
        return None
