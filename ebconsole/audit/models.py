from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ebconsole.db.base import Base, IdMixin
from ebconsole.timeutil import utcnow


class AuditEntry(IdMixin, Base):
    """Who did what, when, with the record's state before and after. Append-only.

    Rows are hash-chained per origin (see `ebconsole.audit.chain`): `seq` numbers the
    rows of one origin 1, 2, 3 ..., `prev_hash` is the hash of the row before, `hash`
    covers this row's content and `prev_hash`. The unique (origin, seq) keeps a chain
    from forking.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_entity", "entity", "entity_id"),
        UniqueConstraint("origin", "seq"),
    )

    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_user_id: Mapped[uuid.UUID | None]
    actor_name: Mapped[str] = mapped_column(String(80))
    actor_role: Mapped[str] = mapped_column(String(20))
    site_code: Mapped[str] = mapped_column(String(20), default="")
    workstation: Mapped[str] = mapped_column(String(80), default="")
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(20))  # create | update | delete | <domain verb>
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    note: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(120))  # site_code + "/" + workstation
    seq: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
