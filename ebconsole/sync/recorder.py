"""Writes a change-log row for every insert, update and delete of a replicated table.

Like the audit recorder it hooks the session's flush, so every write through a service
is logged in the same transaction. It is registered after the audit recorder (imported
first below) and so also sees the audit rows that flush wrote: those are inserted with
a Core statement, not as ORM objects, and are found by their per-origin `seq` (the audit
hash chain numbers the rows of one origin 1, 2, 3 ...), past a cursor kept in
`sync_state`. The rows the audit hook of this very flush wrote are handed over in
memory (`audit.recorder.FLUSHED_ROWS`) and read back only when the cursor says others
are missing (rows appended by hand since the last flush, such as a reveal's).

Every statement here is built once, at import: building and hashing a statement for
its cache costs more than running it, and a save runs these on every flush.

A session with `session.info["replicating"]` set records nothing: it is applying
changes that are already in the log.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, event, insert, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapper, Session

import ebconsole.audit.recorder  # (must be registered before this hook)
from ebconsole.audit.chain import origin_of
from ebconsole.audit.models import AuditEntry
from ebconsole.sync import state as sync_state
from ebconsole.sync.hlc import STAMP, Clock
from ebconsole.sync.models import ChangeLog, SyncState
from ebconsole.sync.tables import (
    APPEND_ONLY,
    is_replicated,
    record_key,
    row_state,
    table_order,
)

_ORDER: dict[str, int] = {}
_AUDIT = cast(Table, AuditEntry.__table__)
_LOG = cast(Table, ChangeLog.__table__)
_STATE = cast(Table, SyncState.__table__)
_INSERT_CHANGES = insert(_LOG)
# the audit cursor and the clock in one read
_CURSOR_AND_CLOCK = select(_STATE.c.key, _STATE.c.value).where(
    _STATE.c.key.in_([bindparam("cursor_key"), bindparam("clock_key")])
)
_AUDIT_AFTER = (
    select(_AUDIT)
    .where(_AUDIT.c.origin == bindparam("origin"), _AUDIT.c.seq > bindparam("cursor"))
    .order_by(_AUDIT.c.seq)
)
_AUDIT_COLUMNS = frozenset(c.name for c in _AUDIT.columns)
_UPSERT_STATE: dict[str, Any] = {}


def _order(name: str) -> int:
    if not _ORDER:
        _ORDER.update(table_order())
    return _ORDER.get(name, len(_ORDER))


def local_origin(session: Session) -> str:
    """This workstation's origin: the acting session's site code and workstation."""
    actor = session.info.get("actor")
    if actor is not None and (actor.site_code or actor.workstation):
        return origin_of(actor.site_code, actor.workstation)
    from ebconsole.users.models import Installation

    inst = session.execute(
        select(Installation.site_code, Installation.workstation_name).limit(1)
    ).first()
    if inst is not None:
        return origin_of(inst[0], inst[1])
    return "local/"


def current_stamp(conn: Connection, entity: str, record_id: str) -> tuple[str, str] | None:
    """(stamp, change_id) of the change that holds the record's current version."""
    row = conn.execute(
        select(ChangeLog.stamp, ChangeLog.change_id)
        .where(ChangeLog.entity == entity, ChangeLog.record_id == record_id)
        .order_by(ChangeLog.stamp.desc())
    ).all()
    if not row:
        return None
    best = max(row, key=lambda r: (r[0], str(r[1])))
    return best[0], str(best[1])


class LocalLog:
    """Appends this workstation's own changes: ticks the clock, numbers the rows."""

    def __init__(self, session: Session, clock_last: str | None = None, *, known: bool = False):
        self.conn = session.connection()
        self.origin = local_origin(session)
        actor = session.info.get("actor")
        self.actor = (actor.username if actor is not None else "")[:80]
        last = clock_last if known else sync_state.clock_last(self.conn)
        self.clock = Clock.for_origin(self.origin, last)
        self.seq = sync_state.next_local_seq(self.conn)
        self.rows: list[dict[str, Any]] = []

    def add(
        self, entity: str, record_id: str, op: str, state: dict[str, Any] | None, base_stamp: str
    ) -> str:
        stamp = self.clock.tick()
        self.rows.append(
            {
                "change_id": uuid.uuid4(),
                "local_seq": self.seq,
                "entity": entity,
                "record_id": record_id,
                "op": op,
                "state": state,
                "base_stamp": base_stamp,
                "stamp": stamp,
                "origin": self.origin,
                "actor": self.actor,
                "hub_seq": None,
            }
        )
        self.seq += 1
        return stamp

    def write(self, also: tuple[str, str] | None = None) -> None:
        """The rows, then the clock (and `also`, the audit cursor) in one statement."""
        if self.rows:
            self.conn.execute(_INSERT_CHANGES, self.rows)
            values = [(sync_state.HLC, self.clock.last)]
            if also is not None:
                values.append(also)
            _put_state(self.conn, values)
            self.rows = []
        elif also is not None:
            _put_state(self.conn, [also])


def _put_state(conn: Connection, values: list[tuple[str, str]]) -> None:
    """Upsert sync_state keys in one executemany (`sync_state.put`, for several keys)."""
    if conn.dialect.name not in ("sqlite", "postgresql"):  # pragma: no cover
        for key, value in values:
            sync_state.put(conn, key, value)
        return
    stmt = _UPSERT_STATE.get(conn.dialect.name)
    if stmt is None:
        dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
        ins = dialect.insert(_STATE)
        stmt = _UPSERT_STATE[conn.dialect.name] = ins.on_conflict_do_update(
            index_elements=[_STATE.c.key], set_={"value": ins.excluded.value}
        )
    conn.execute(stmt, [{"key": k, "value": v} for k, v in values])


# per (mapper, table): (column name, attribute key, NULL when the object lacks it)
_ROW_PLAN: dict[tuple[Mapper[Any], Table], list[tuple[str, str, bool]]] = {}


def _row_plan(mapper: Mapper[Any], table: Table) -> list[tuple[str, str, bool]]:
    plan = _ROW_PLAN.get((mapper, table))
    if plan is None:
        plan = _ROW_PLAN[(mapper, table)] = [
            (
                col.name,
                mapper.get_property_by_column(col).key,
                col.default is None and col.server_default is None and col.computed is None,
            )
            for col in table.columns
        ]
    return plan


def _loaded_row(table: Table, obj: Any) -> Mapping[Any, Any] | None:
    """A just-inserted object's column values, without a query: what the flush wrote is
    on the object, and a column it left unset (no default of either kind) was inserted as
    NULL. None when a value is not known here (expired, or made by the database)."""
    st = inspect(obj)
    if st.expired_attributes:
        return None
    loaded = st.dict
    out: dict[str, Any] = {}
    for name, key, null_when_unset in _row_plan(st.mapper, table):
        if key in loaded:
            out[name] = loaded[key]
        elif null_when_unset:
            out[name] = None
        else:
            return None
    return out


def _flushed_audit_rows(
    rows: list[dict[str, Any]] | None, origin: str, cursor: int
) -> list[Mapping[Any, Any]] | None:
    """The audit rows this flush's audit hook wrote, when they are exactly the rows past
    the cursor (the usual case); None when the log must read them from the table."""
    if not rows:
        return None
    expected = cursor + 1
    for row in rows:
        if row.get("origin") != origin or row.get("seq") != expected:
            return None
        if not _AUDIT_COLUMNS.issubset(row):
            return None
        expected += 1
    return list(rows)


def _db_row(conn: Connection, table: Table, obj: Any) -> Mapping[Any, Any] | None:
    ident = inspect(obj).mapper.primary_key_from_instance(obj)
    cond = [c == v for c, v in zip(table.primary_key.columns, ident, strict=True)]
    return conn.execute(select(table).where(*cond)).mappings().first()


@event.listens_for(Session, "after_flush")
def _record_changes(session: Session, _ctx: Any) -> None:
    record(session, session.new, session.dirty, session.deleted)


def record(
    session: Session, new: Iterable[Any], dirty: Iterable[Any], deleted: Iterable[Any]
) -> None:
    """Log one flush's records (and the audit rows it wrote): the flush hook's work, also
    called for records a service inserted with Core statements instead of a flush
    (`incidents.create`), right after `audit.recorder.record`."""
    flushed_rows = session.info.pop(ebconsole.audit.recorder.FLUSHED_ROWS, None)
    if session.info.get("replicating"):
        return
    items: list[tuple[int, int, str, Table, Any]] = []
    for kind, objs in (
        ("insert", new),
        ("update", dirty),
        ("delete", deleted),
    ):
        for obj in objs:
            table = inspect(obj).mapper.local_table
            if not isinstance(table, Table) or not is_replicated(table.name):
                continue
            if kind == "update" and not session.is_modified(obj, include_collections=False):
                continue
            rank = _order(table.name)
            # parents before children; deletes after the rest, children first
            items.append(
                (
                    1 if kind == "delete" else 0,
                    -rank if kind == "delete" else rank,
                    kind,
                    table,
                    obj,
                )
            )
    actor = session.info.get("actor")
    origin = origin_of(actor.site_code, actor.workstation) if actor is not None else None
    audit_rows: list[Mapping[Any, Any]] = []
    conn = session.connection()
    state: dict[str, str] = {}
    if origin is not None:
        cursor_key = sync_state.audit_cursor_key(origin)
        state = dict(
            conn.execute(
                _CURSOR_AND_CLOCK, {"cursor_key": cursor_key, "clock_key": sync_state.HLC}
            ).all()
        )
        cursor = int(state.get(cursor_key) or 0)
        flushed = _flushed_audit_rows(flushed_rows, origin, cursor)
        audit_rows = (
            flushed
            if flushed is not None
            else list(conn.execute(_AUDIT_AFTER, {"origin": origin, "cursor": cursor}).mappings())
        )
    if not items and not audit_rows:
        return
    raw_clock = state.get(sync_state.HLC)
    clock_last = raw_clock if raw_clock and STAMP.match(raw_clock) else None
    log = LocalLog(session, clock_last, known=origin is not None)
    items.sort(key=lambda i: (i[0], i[1]))
    for _phase, _rank, kind, table, obj in items:
        if kind == "delete":
            ident = inspect(obj).mapper.primary_key_from_instance(obj)
            record_id = "|".join(str(v) for v in ident)
            cur = current_stamp(conn, table.name, record_id)
            log.add(table.name, record_id, "delete", None, cur[0] if cur else "")
            continue
        # a new row's values are all on the object; an update is read back as stored
        row = (_loaded_row(table, obj) if kind == "insert" else None) or _db_row(conn, table, obj)
        if row is None:
            continue
        record_id = record_key(table, row)
        state = row_state(table, row)
        if kind == "insert":
            op = "append" if table.name in APPEND_ONLY else "upsert"
            log.add(table.name, record_id, op, state, "")
        else:
            cur = current_stamp(conn, table.name, record_id)
            log.add(table.name, record_id, "upsert", state, cur[0] if cur else "")
    for arow in audit_rows:
        log.add("audit_entry", record_key(_AUDIT, arow), "append", row_state(_AUDIT, arow), "")
    cursor_value = None
    if audit_rows and origin is not None:
        cursor_value = (sync_state.audit_cursor_key(origin), str(audit_rows[-1]["seq"]))
    log.write(cursor_value)
