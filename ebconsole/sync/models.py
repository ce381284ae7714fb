"""The change log, recorded conflicts and the small key/value state of replication.

None of these tables is itself replicated: change rows travel as data (bundles, hub),
conflicts are derived identically on every replica from the change rows, and the state
holds this database's own cursors and clock.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ebconsole.db.base import Base
from ebconsole.timeutil import utcnow


class ChangeLog(Base):
    """One change of one record: its full new state, stamped by the hybrid clock."""

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_record", "entity", "record_id", "stamp"),
        Index("ix_change_log_local_seq", "local_seq"),
        Index("ix_change_log_hub_seq", "hub_seq"),
        Index("ix_change_log_stamp", "stamp"),
    )

    change_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    # the order in which this database learned of the change (push and export cursors)
    local_seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    entity: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(80))
    op: Mapped[str] = mapped_column(String(10))  # upsert | delete | append | resolve
    state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # the stamp of the version this edit started from ("" for a new record)
    base_stamp: Mapped[str] = mapped_column(String(40), default="")
    stamp: Mapped[str] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(String(120))
    actor: Mapped[str] = mapped_column(String(80), default="")
    # the hub's order: set on the hub when it accepts the change, copied by pullers
    hub_seq: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncConflict(Base):
    """Two sites changed one record from the same version: the older edit lost.

    The id is derived from the losing change, so every replica records the same
    conflict whatever the order in which the changes arrived.
    """

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_open", "resolved_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(80))
    winner_change_id: Mapped[uuid.UUID]
    loser_change_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    loser_state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    loser_origin: Mapped[str] = mapped_column(String(120), default="")
    loser_actor: Mapped[str] = mapped_column(String(80), default="")
    winner_origin: Mapped[str] = mapped_column(String(120), default="")
    winner_actor: Mapped[str] = mapped_column(String(80), default="")
    detected_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(80))
    resolution: Mapped[str | None] = mapped_column(String(10))  # winner | loser


class SyncState(Base):
    """This database's replication state: clock, cursors, last push/pull, offline since."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
