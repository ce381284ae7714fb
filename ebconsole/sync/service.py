"""What the console and the CLI ask of replication: status, conflicts, resolutions.

with db.session(readonly=True) as s:
    status = sync.service.sync_status(session=s)
with db.session(actor) as s:
    sync.service.resolve_conflict(conflict_id, keep="loser", session=s, actor=actor)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, inspect, select, update
from sqlalchemy.orm import Session

from ebconsole.actor import Actor
from ebconsole.sync import state as sync_state
from ebconsole.sync.apply import conflict_id as conflict_id_of
from ebconsole.sync.messages import SyncError
from ebconsole.sync.models import ChangeLog, SyncConflict
from ebconsole.sync.recorder import LocalLog, current_stamp
from ebconsole.sync.tables import CONFLICT_ENTITY, pk_values, state_values
from ebconsole.timeutil import utcnow


@dataclass(frozen=True)
class SyncStatus:
    last_push: datetime | None
    last_pull: datetime | None
    pending: int  # local changes the hub has not committed yet
    open_conflicts: int
    offline_since: datetime | None  # None: the last contact with the hub worked
    last_error: str | None
    hub_url: str | None  # the hub the cursors belong to (password removed)

    @property
    def online(self) -> bool:
        return self.offline_since is None


@dataclass(frozen=True)
class ConflictView:
    id: uuid.UUID
    entity: str
    record_id: str
    winner_change_id: uuid.UUID
    loser_change_id: uuid.UUID
    winner_state: dict[str, Any] | None
    loser_state: dict[str, Any] | None
    winner_origin: str
    winner_actor: str
    loser_origin: str
    loser_actor: str
    detected_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str | None

    @property
    def open(self) -> bool:
        return self.resolved_at is None

    def differences(self) -> list[tuple[str, Any, Any]]:
        """(column, winner value, loser value) for each column the two versions differ in."""
        w, lo = self.winner_state or {}, self.loser_state or {}
        skip = {"updated_at", "version"}
        keys = sorted((set(w) | set(lo)) - skip)
        return [(k, w.get(k), lo.get(k)) for k in keys if w.get(k) != lo.get(k)]


def sync_status(*, session: Session) -> SyncStatus:
    conn = session.connection()
    cursor = sync_state.get_int(conn, sync_state.PUSH_CURSOR)
    pending = conn.execute(
        select(func.count())
        .select_from(ChangeLog)
        .where(ChangeLog.local_seq > cursor, ChangeLog.hub_seq.is_(None))
    ).scalar_one()
    open_conflicts = conn.execute(
        select(func.count()).select_from(SyncConflict).where(SyncConflict.resolved_at.is_(None))
    ).scalar_one()
    return SyncStatus(
        last_push=sync_state.get_time(conn, sync_state.LAST_PUSH),
        last_pull=sync_state.get_time(conn, sync_state.LAST_PULL),
        pending=int(pending),
        open_conflicts=int(open_conflicts),
        offline_since=sync_state.get_time(conn, sync_state.OFFLINE_SINCE),
        last_error=sync_state.get(conn, sync_state.LAST_ERROR),
        hub_url=sync_state.get(conn, sync_state.HUB_URL),
    )


def _view(session: Session, c: SyncConflict) -> ConflictView:
    winner_state = session.execute(
        select(ChangeLog.state).where(ChangeLog.change_id == c.winner_change_id)
    ).scalar()
    return ConflictView(
        id=c.id,
        entity=c.entity,
        record_id=c.record_id,
        winner_change_id=c.winner_change_id,
        loser_change_id=c.loser_change_id,
        winner_state=winner_state,
        loser_state=c.loser_state,
        winner_origin=c.winner_origin,
        winner_actor=c.winner_actor,
        loser_origin=c.loser_origin,
        loser_actor=c.loser_actor,
        detected_at=c.detected_at,
        resolved_at=c.resolved_at,
        resolved_by=c.resolved_by,
        resolution=c.resolution,
    )


def list_conflicts(
    *, session: Session, include_resolved: bool = False, entity: str | None = None
) -> list[ConflictView]:
    q = select(SyncConflict).order_by(SyncConflict.detected_at, SyncConflict.id)
    if not include_resolved:
        q = q.where(SyncConflict.resolved_at.is_(None))
    if entity:
        q = q.where(SyncConflict.entity == entity)
    return [_view(session, c) for c in session.scalars(q)]


def get_conflict(conflict_id: uuid.UUID, *, session: Session) -> ConflictView:
    c = session.get(SyncConflict, conflict_id)
    if c is None:
        raise SyncError.one("conflict_not_found", "conflict", key=str(conflict_id))
    return _view(session, c)


def _model_for(table_name: str) -> type[Any]:
    from ebconsole.models import Base

    for mapper in Base.registry.mappers:
        if mapper.local_table.name == table_name:  # type: ignore[attr-defined]
            return mapper.class_
    raise KeyError(table_name)


def _restore(
    entity: str, record_id: str, loser_state: dict[str, Any] | None, *, session: Session
) -> None:
    """Make the loser's version current again, as a new edit of this workstation (so the
    usual recorders write its audit row and change row, and it travels like any edit)."""
    cls = _model_for(entity)
    mapper = inspect(cls)
    table = mapper.local_table
    assert isinstance(table, Table)
    ident = tuple(pk_values(table, record_id).values())
    obj = session.get(cls, ident if len(ident) > 1 else ident[0])
    if loser_state is None:  # the losing edit deleted the record
        if obj is not None:
            session.delete(obj)
        session.flush()
        return
    values = state_values(table, loser_state)
    if obj is None:
        obj = cls()
        session.add(obj)
    version_col = mapper.version_id_col
    for col_name, value in values.items():
        prop = mapper.get_property_by_column(table.c[col_name])
        if version_col is not None and table.c[col_name] is version_col:
            continue
        if prop.key in ("updated_at",):
            continue
        setattr(obj, prop.key, value)
    session.flush()


def resolve_conflict(
    conflict_id: uuid.UUID, keep: str = "winner", *, session: Session, actor: Actor
) -> ConflictView:
    """Close a conflict. keep="winner": the current version stays; keep="loser": the
    losing version becomes current again (a new edit). The resolution travels to every
    replica like any change."""
    from ebconsole.users.permissions import Permission, require

    require(actor, Permission.SYNC)
    if keep not in ("winner", "loser"):
        raise SyncError.one("bad_resolution", "resolution", value=keep)
    c = session.get(SyncConflict, conflict_id)
    if c is None:
        raise SyncError.one("conflict_not_found", "conflict", key=str(conflict_id))
    if c.resolved_at is not None:
        raise SyncError.one("conflict_resolved", "conflict")
    if keep == "loser":
        _restore(c.entity, c.record_id, c.loser_state, session=session)
    now = utcnow()
    log = LocalLog(session)
    conn = session.connection()
    cur = current_stamp(conn, CONFLICT_ENTITY, str(c.id))
    log.add(
        CONFLICT_ENTITY,
        str(c.id),
        "resolve",
        {"resolution": keep, "resolved_by": actor.username, "resolved_at": now.isoformat()},
        cur[0] if cur else "",
    )
    log.write()
    conn.execute(
        update(SyncConflict)
        .where(SyncConflict.id == c.id)
        .values(resolution=keep, resolved_by=actor.username[:80], resolved_at=now)
    )
    session.expire(c)
    return get_conflict(c.id, session=session)


__all__ = [
    "ConflictView",
    "SyncStatus",
    "conflict_id_of",
    "get_conflict",
    "list_conflicts",
    "resolve_conflict",
    "sync_status",
]
