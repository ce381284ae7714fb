"""Apply changes from other replicas: idempotent, deterministic, convergent.

* A change id applies once: a change already in the log is skipped.
* Per record, the change with the newest stamp holds the record's state (ties, which
  the clock makes impossible, fall to the larger change id). A delete is a change like
  any other: a tombstone that wins or loses by its stamp.
* Append-only rows are inserted if absent (union).
* Two changes of one record that started from the same version (same `base_stamp`) at
  different origins are siblings: all but the newest lost, and each loser is recorded in
  `sync_conflict` with an id derived from the losing change, so every replica records the
  same conflicts whatever the order in which the changes arrived.

The caller's session is marked `replicating` while applying, so neither the audit
recorder nor the change recorder writes rows for the replicated state (the remote
change rows themselves are stored in the log, and remote audit rows arrive as changes).
"""

from __future__ import annotations

import operator
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from ebconsole.sync import state as sync_state
from ebconsole.sync import storage
from ebconsole.sync.hlc import Clock, is_stamp
from ebconsole.sync.messages import SyncError
from ebconsole.sync.models import ChangeLog, SyncConflict
from ebconsole.sync.tables import (
    CONFLICT_ENTITY,
    metadata_tables,
    pk_values,
    state_values,
)
from ebconsole.timeutil import utcnow

OPS = frozenset({"upsert", "delete", "append", "resolve"})
CONFLICT_NAMESPACE = uuid.UUID("6f1c2d0e-5b7a-4c1e-9a53-3e0d8f2b7c41")
_FIELDS = (
    "change_id",
    "entity",
    "record_id",
    "op",
    "state",
    "base_stamp",
    "stamp",
    "origin",
    "actor",
)


def conflict_id(loser_change_id: uuid.UUID | str) -> uuid.UUID:
    return uuid.uuid5(CONFLICT_NAMESPACE, str(loser_change_id))


@dataclass
class ApplyResult:
    received: int = 0
    applied: int = 0  # new to this database
    skipped: int = 0  # already known
    conflicts: int = 0  # conflict rows created or changed
    change_ids: list[str] = field(default_factory=list)


def change_dict(row: Any) -> dict[str, Any]:
    """A change-log row (ORM object or row mapping) as the plain dict that travels."""
    get = row.__getitem__ if isinstance(row, Mapping) else lambda k: getattr(row, k)
    out = {k: get(k) for k in _FIELDS}
    out["change_id"] = str(out["change_id"])
    out["hub_seq"] = get("hub_seq")
    return out


_FIELD_SET = frozenset(_FIELDS)
_fields_of = operator.itemgetter(*_FIELDS)
_TEXT_FIELDS = ("op", "entity", "record_id", "origin", "stamp", "base_stamp")
_texts_of = operator.itemgetter(*_TEXT_FIELDS)
_NOT_REPLICATED = frozenset({"change_log", "sync_conflict", "sync_state"})


def _is_mapping(value: Any) -> bool:
    return type(value) is dict or isinstance(value, Mapping)


def _check(index: int, c: Mapping[str, Any], tables: Mapping[str, Table]) -> dict[str, Any]:
    def bad(detail: str) -> SyncError:
        return SyncError.one("bad_change", None, index=index + 1, detail=detail)  # type: ignore[return-value]

    if not _is_mapping(c):
        raise bad("not an object")
    if not c.keys() >= _FIELD_SET:
        missing = [k for k in _FIELDS if k not in c]
        raise bad("missing " + ", ".join(missing))
    # a signed bundle is still outside input: check types before using them as keys
    for key, value in zip(_TEXT_FIELDS, _texts_of(c), strict=True):
        if not isinstance(value, str):
            raise bad(key)
    try:
        cid = uuid.UUID(str(c["change_id"]))
    except ValueError:
        raise bad("change_id") from None
    op = c["op"]
    if op not in OPS:
        raise bad(f"op {op!r}")
    base_stamp = c["base_stamp"]
    if not is_stamp(c["stamp"]) or not (base_stamp == "" or is_stamp(base_stamp)):
        raise bad("stamp")
    entity = c["entity"]
    if op == "resolve":
        if entity != CONFLICT_ENTITY or not _is_mapping(c["state"]):
            raise bad("resolution")
    elif entity not in tables or entity in _NOT_REPLICATED:
        raise bad(f"entity {entity!r}")
    elif op != "delete" and not _is_mapping(c["state"]):
        raise bad("state")
    # (record_id and origin are text: checked above)
    hub_seq = c.get("hub_seq")
    if hub_seq is not None and not isinstance(hub_seq, int):
        raise bad("hub_seq")
    out = dict(zip(_FIELDS, _fields_of(c), strict=True))
    out["change_id"] = cid
    out["hub_seq"] = hub_seq
    out["actor"] = str(c["actor"] or "")[:80]
    out["cid"] = str(cid)  # the id's text, made once
    return out


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _known(conn: Connection, ids: list[uuid.UUID], raw: bool) -> set[uuid.UUID]:
    known: set[uuid.UUID] = set()
    if raw:  # SQLite's stored form, without building statements for each chunk
        stored = [i.hex for i in ids]
        for chunk in _chunks(stored):
            sql = f"SELECT change_id FROM change_log WHERE change_id IN ({_marks(len(chunk))})"
            known.update(uuid.UUID(v) for v in conn.exec_driver_sql(sql, tuple(chunk)).scalars())
        return known
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        known.update(
            conn.execute(
                select(ChangeLog.change_id).where(ChangeLog.change_id.in_(chunk))
            ).scalars()
        )
    return known


_CL = ChangeLog.__table__
_INSERT_CHANGE = insert(ChangeLog)
_CURRENT = select(_CL.c.stamp, _CL.c.change_id).where(
    _CL.c.entity == bindparam("entity"), _CL.c.record_id == bindparam("rid")
)
_SIBLINGS = select(_CL.c.change_id, _CL.c.stamp, _CL.c.origin, _CL.c.actor, _CL.c.state).where(
    _CL.c.entity == bindparam("entity"),
    _CL.c.record_id == bindparam("rid"),
    _CL.c.base_stamp == bindparam("base"),
    _CL.c.op.in_(("upsert", "delete")),
)


def _current(conn: Connection, entity: str, record_id: str) -> tuple[str, str] | None:
    rows = conn.execute(_CURRENT, {"entity": entity, "rid": record_id}).all()
    if not rows:
        return None
    best = max(rows, key=lambda r: (r[0], str(r[1])))
    return best[0], str(best[1])


@dataclass
class _TableOps:
    """Prebuilt statements for one table (building statements is the slow part)."""

    table: Table
    pk: list[str]
    exists: Any
    delete: Any
    uniques: list[tuple[list[str], Any]]

    @classmethod
    def of(cls, table: Table) -> _TableOps:
        from sqlalchemy import UniqueConstraint

        pk = [c.name for c in table.primary_key.columns]
        where = and_(*[table.c[k] == bindparam(f"pk_{k}") for k in pk])
        groups: list[list[str]] = [
            [c.name for c in con.columns]
            for con in table.constraints
            if isinstance(con, UniqueConstraint)
        ]
        groups += [[c.name for c in ix.columns] for ix in table.indexes if ix.unique]
        groups += [[c.name] for c in table.columns if c.unique]
        uniques = []
        for cols in groups:
            cond = [table.c[c] == bindparam(f"u_{c}") for c in cols]
            not_me = [table.c[k] != bindparam(f"pk_{k}") for k in pk]
            uniques.append((cols, select(func.count()).select_from(table).where(*cond, *not_me)))
        return cls(
            table,
            pk,
            select(func.count()).select_from(table).where(where),
            delete(table).where(where),
            uniques,
        )

    def write(
        self, conn: Connection, c: Mapping[str, Any], values: dict[str, Any] | None = None
    ) -> bool:
        """Put the change's state into the table. False: refused by a unique value."""
        pk = pk_values(self.table, c["record_id"])
        keys = {f"pk_{k}": v for k, v in pk.items()}
        exists = conn.execute(self.exists, keys).scalar_one()
        if c["op"] == "delete":
            if exists:
                conn.execute(self.delete, keys)
            return True
        if exists and c["op"] == "append":
            return True
        if values is None:
            values = state_values(self.table, c["state"])
            values.update(pk)
        for cols, stmt in self.uniques:
            if any(values.get(col) is None for col in cols):
                continue
            if conn.execute(
                stmt, {**keys, **{f"u_{col}": values[col] for col in cols}}
            ).scalar_one():
                return False
        if exists:
            upd = update(self.table).where(
                and_(*[self.table.c[k] == bindparam(f"pk_{k}") for k in self.pk])
            )
            conn.execute(upd, {**{k: v for k, v in values.items() if k not in self.pk}, **keys})
        else:
            conn.execute(insert(self.table), values)
        return True


_OPS: dict[str, _TableOps] = {}


def _ops(table: Table) -> _TableOps:
    ops = _OPS.get(table.name)
    if ops is None or ops.table is not table:
        ops = _OPS[table.name] = _TableOps.of(table)
    return ops


def _apply_resolution(conn: Connection, conflict: uuid.UUID) -> None:
    """Set a conflict's resolution from the newest resolve change naming it."""
    rows = conn.execute(
        select(ChangeLog.stamp, ChangeLog.change_id, ChangeLog.state).where(
            ChangeLog.entity == CONFLICT_ENTITY, ChangeLog.record_id == str(conflict)
        )
    ).all()
    if not rows:
        return
    _stamp, _cid, st = max(rows, key=lambda r: (r[0], str(r[1])))
    st = st or {}
    at = st.get("resolved_at")
    conn.execute(
        update(SyncConflict)
        .where(SyncConflict.id == conflict)
        .values(
            resolution=st.get("resolution"),
            resolved_by=str(st.get("resolved_by") or "")[:80],
            resolved_at=datetime.fromisoformat(at) if at else utcnow(),
        )
    )


# Columns that change as a side effect (timestamps, optimistic-lock counters, login
# bookkeeping): two versions that differ only here are not a conflict.
VOLATILE_COLUMNS = frozenset(
    {"updated_at", "version", "last_login_at", "failed_logins", "locked_until"}
)


def _differs(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    if a is None or b is None:
        return a is not b
    keys = (set(a) | set(b)) - VOLATILE_COLUMNS
    return any(a.get(k) != b.get(k) for k in keys)


def record_conflicts(
    conn: Connection,
    entity: str,
    record_id: str,
    base_stamp: str,
    detected_at: datetime | None = None,
) -> int:
    """(Re)compute the conflicts of one sibling group; returns rows created or changed."""
    sibs = conn.execute(_SIBLINGS, {"entity": entity, "rid": record_id, "base": base_stamp}).all()
    if len({s.origin for s in sibs}) < 2:
        return 0
    winner = max(sibs, key=lambda s: (s.stamp, str(s.change_id)))
    touched = 0
    for s in sibs:
        if s.change_id == winner.change_id:
            continue
        cid = conflict_id(s.change_id)
        existing = conn.execute(
            select(SyncConflict.winner_change_id).where(SyncConflict.id == cid)
        ).first()
        if not _differs(winner.state, s.state):
            # the two versions differ only in bookkeeping (a login at each site): no
            # conflict for a coordinator; one recorded against a former winner goes
            if existing is not None:
                conn.execute(delete(SyncConflict).where(SyncConflict.id == cid))
            continue
        if existing is None:
            conn.execute(
                insert(SyncConflict).values(
                    id=cid,
                    entity=entity,
                    record_id=record_id,
                    winner_change_id=winner.change_id,
                    loser_change_id=s.change_id,
                    loser_state=s.state,
                    loser_origin=s.origin,
                    loser_actor=s.actor,
                    winner_origin=winner.origin,
                    winner_actor=winner.actor,
                    detected_at=detected_at or utcnow(),
                )
            )
            _apply_resolution(conn, cid)
            touched += 1
        elif existing[0] != winner.change_id:
            conn.execute(
                update(SyncConflict)
                .where(SyncConflict.id == cid)
                .values(
                    winner_change_id=winner.change_id,
                    winner_origin=winner.origin,
                    winner_actor=winner.actor,
                )
            )
            touched += 1
    # a change that won before may lose now that a newer sibling arrived: its row, if
    # any, already names it as loser; a former winner never has a row of its own
    return touched


# progress(done, total): changes of the batch handled so far
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 500
_CHUNK = 500  # values in one IN (...) (SQLite allows 32766 parameters; keep it modest)


def _chunks(items: list[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


BIG_CACHE_KIB = 64 * 1024  # SQLite page cache while a large batch is applied or exported


@contextmanager
def big_cache(conn: Connection) -> Iterator[None]:
    """A larger SQLite page cache for one bulk job (the default 2 MiB turns the random
    index inserts of tens of thousands of changes into disk reads); put back after."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{BIG_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


class _Batch:
    """What one `apply_changes` knows about the records its changes touch, read with a
    few queries per table up front instead of several per change, and the writes it
    holds back to send as one executemany per table.

    Held back are the change rows and the inserts of new records; anything that reads
    the database (an update's unique check, a delete, the conflict bookkeeping) first
    sends them. An insert refused by a unique value is found when the held-back rows of
    its table fail as a whole: then they are sent again one by one, each checked as
    before, so the outcome is the same as writing them one at a time.

    On SQLite (`raw`) the held-back rows are SQLite's stored values, made straight from
    the changes' JSON (`storage`), and sent as plain executemany statements: the same
    rows SQLAlchemy would write, without a Python object and a bind processor per value.
    """

    def __init__(self, conn: Connection, tables: Mapping[str, Table], now: datetime):
        self.conn = conn
        self.tables = tables
        self.now = now
        self.raw = storage.usable(conn)
        self.order = _table_rank()
        self.current: dict[tuple[str, str], tuple[str, str]] = {}
        self.origins: dict[tuple[str, str, str], set[str]] = {}
        self.present: dict[str, set[str]] = {}
        self.changes: list[Any] = []
        # table -> [(raw?, keys, [(values, change, current)])], in arrival order
        self.inserts: dict[str, list[tuple[bool, tuple[str, ...], list[Any]]]] = {}
        self.conflicts = 0
        self.codecs: dict[str, storage.TableCodec] = {}
        if self.raw:
            log = storage.codec(cast(Table, _CL), conn.dialect)
            self.change_sql = log.insert_sql(storage.CHANGE_COLUMNS)
            self.state_text = log.bind["state"]
            self.received = log.bind["received_at"](now.isoformat())

    def codec(self, table: Table) -> storage.TableCodec:
        cod = self.codecs.get(table.name)
        if cod is None:
            cod = self.codecs[table.name] = storage.codec(table, self.conn.dialect)
        return cod

    # -- reading up front ---------------------------------------------------------------
    def prefetch(self, changes: list[dict[str, Any]]) -> None:
        by_entity: dict[str, set[str]] = {}
        for c in changes:
            if c["op"] != "resolve":
                by_entity.setdefault(c["entity"], set()).add(c["record_id"])
        for entity, rids in by_entity.items():
            ids = sorted(rids)
            for chunk in _chunks(ids):
                if self.raw:
                    rows: Iterable[Any] = self.conn.exec_driver_sql(
                        "SELECT record_id, stamp, change_id, base_stamp, origin, op"
                        f" FROM change_log WHERE entity = ? AND record_id IN ({_marks(len(chunk))})",
                        (entity, *chunk),
                    )
                    for rid, stamp, cid, base, origin, op in rows:
                        self._saw(entity, rid, stamp, storage.uuid_text(cid), base, origin, op)
                    continue
                for rid, stamp, cid, base, origin, op in self.conn.execute(
                    select(
                        _CL.c.record_id,
                        _CL.c.stamp,
                        _CL.c.change_id,
                        _CL.c.base_stamp,
                        _CL.c.origin,
                        _CL.c.op,
                    ).where(_CL.c.entity == entity, _CL.c.record_id.in_(chunk))
                ):
                    self._saw(entity, rid, stamp, str(cid), base, origin, op)
            self.present[entity] = self._existing(self.tables[entity], ids)

    def _existing(self, table: Table, ids: list[str]) -> set[str]:
        pk = list(table.primary_key.columns)
        found: set[str] = set()
        if len(pk) != 1:  # (no replicated table has a composite key today)
            for rid in ids:
                cond = [table.c[k] == v for k, v in pk_values(table, rid).items()]
                if self.conn.execute(select(func.count()).select_from(table).where(*cond)).scalar():
                    found.add(rid)
            return found
        col = pk[0]
        if self.raw and self.codec(table).uuid_key:
            stored = [storage.uuid_hex(rid) for rid in ids]
            name = self.conn.dialect.identifier_preparer.format_table(table)
            key = self.conn.dialect.identifier_preparer.quote(col.name)
            for chunk in _chunks(stored):
                sql = f"SELECT {key} FROM {name} WHERE {key} IN ({_marks(len(chunk))})"
                found.update(
                    storage.uuid_text(v)
                    for v in self.conn.exec_driver_sql(sql, tuple(chunk)).scalars()
                )
            return found
        values = [pk_values(table, rid)[col.name] for rid in ids]
        for chunk in _chunks(values):
            found.update(
                str(v) for v in self.conn.execute(select(col).where(col.in_(chunk))).scalars()
            )
        return found

    def _saw(
        self, entity: str, rid: str, stamp: str, cid: str, base: str, origin: str, op: str
    ) -> None:
        if op not in ("upsert", "delete"):
            return
        key = (entity, rid)
        cur = self.current.get(key)
        if cur is None or (stamp, cid) > cur:
            self.current[key] = (stamp, cid)
        self.origins.setdefault((entity, rid, base), set()).add(origin)

    # -- held-back writes ----------------------------------------------------------------
    def add_change(self, c: dict[str, Any], local_seq: int, hub_seq: int | None) -> None:
        """Hold back the change's row for the log."""
        if self.raw:
            self.changes.append(
                (
                    c["change_id"].hex,
                    local_seq,
                    c["entity"],
                    c["record_id"],
                    c["op"],
                    self.state_text(c["state"]),
                    c["base_stamp"],
                    c["stamp"],
                    c["origin"],
                    c["actor"],
                    hub_seq,
                    self.received,
                )
            )
            return
        row = {k: c[k] for k in _FIELDS}
        row["hub_seq"] = hub_seq
        row["local_seq"] = local_seq
        row["received_at"] = self.now
        self.changes.append(row)

    def flush(self) -> None:
        if self.changes:
            if self.raw:
                self.conn.exec_driver_sql(self.change_sql, self.changes)
            else:
                self.conn.execute(_INSERT_CHANGE, self.changes)
            self.changes = []
        if not self.inserts:
            return
        pending, self.inserts = self.inserts, {}
        for name in sorted(pending, key=lambda n: self.order.get(n, len(self.order))):
            table = self.tables[name]
            for raw, keys, items in pending[name]:
                try:
                    with self.conn.begin_nested():
                        if raw:
                            sql = self.codec(table).insert_sql(keys)
                            self.conn.exec_driver_sql(sql, [values for values, _c, _cur in items])
                        else:
                            self.conn.execute(insert(table), [values for values, _c, _cur in items])
                except IntegrityError:
                    for values, c, cur in items:  # one by one, each checked
                        if raw:  # (the generic values: the statements below take those)
                            values = state_values(table, c["state"])
                            values.update(pk_values(table, c["record_id"]))
                        if not _ops(table).write(self.conn, c, values):
                            self.present[name].discard(c["record_id"])
                            self.conflicts += _record_clash(self.conn, c, cur, self.now)

    # -- one change ----------------------------------------------------------------------
    def _stored(self, table: Table, c: dict[str, Any]) -> tuple[Any, ...] | None:
        """A new record's row as SQLite stores it, when the state has every column (as
        every current bundle's has); None: take the generic way."""
        cod = self.codec(table)
        state = c["state"]
        if cod.uuid_key is None or not state.keys() >= cod.name_set:
            return None
        values = list(cod.values_of(state))
        for i, conv in cod.converted:
            values[i] = conv(values[i])
        values[cod.key_position] = storage.uuid_hex(c["record_id"])  # the record id rules
        return tuple(values)

    def write(self, c: dict[str, Any], cur: tuple[str, str] | None) -> None:
        """Put the change's state into its table (it is the record's newest)."""
        name = c["entity"]
        table = self.tables[name]
        rid = c["record_id"]
        present = self.present.setdefault(name, set())
        exists = rid in present
        if c["op"] == "delete":
            if exists:
                self.flush()
                _ops(table).write(self.conn, c)
                present.discard(rid)
            return
        if exists and c["op"] == "append":
            return
        stored = self._stored(table, c) if self.raw and not exists else None
        groups = self.inserts.setdefault(name, [])
        if stored is not None:
            keys = self.codec(table).all_names
            if not groups or groups[-1][:2] != (True, keys):
                groups.append((True, keys, []))
            groups[-1][2].append((stored, c, cur))
            present.add(rid)
            return
        values = state_values(table, c["state"])
        values.update(pk_values(table, rid))  # the record id rules, not the state
        if exists:
            self.flush()
            if not _ops(table).write(self.conn, c, values):
                self.conflicts += _record_clash(self.conn, c, cur, self.now)
            return
        keys = tuple(values)
        if not groups or groups[-1][:2] != (False, keys):
            groups.append((False, keys, []))
        groups[-1][2].append((values, c, cur))
        present.add(rid)


_RANK: dict[str, int] = {}


def _table_rank() -> dict[str, int]:
    if not _RANK:
        from ebconsole.sync.tables import table_order

        _RANK.update(table_order())
    return _RANK


def apply_changes(
    session: Session,
    changes: Iterable[Mapping[str, Any]],
    *,
    assign_hub_seq: bool = False,
    progress: Progress | None = None,
) -> ApplyResult:
    """Apply a batch of changes in the caller's transaction (all or nothing).

    `assign_hub_seq`: this database is the hub; number the new changes in arrival order.
    `progress(done, total)`: called every few hundred changes.
    Raises SyncError when a change is malformed or cannot be applied.
    """
    tables = metadata_tables()
    batch = [_check(i, c, tables) for i, c in enumerate(changes)]
    result = ApplyResult(received=len(batch))
    if not batch:
        return result
    session.flush()
    was = session.info.get("replicating")
    session.info["replicating"] = True
    try:
        conn = session.connection()
        known = _known(conn, [c["change_id"] for c in batch], storage.usable(conn))
        fresh: dict[uuid.UUID, dict[str, Any]] = {}
        for c in batch:
            if c["change_id"] not in known:
                fresh.setdefault(c["change_id"], c)
        result.skipped = len(batch) - len(fresh)
        ordered = sorted(fresh.values(), key=lambda c: (c["stamp"], c["cid"]))
        seq = sync_state.next_local_seq(conn)
        hub_seq = 0
        if assign_hub_seq:
            if conn.dialect.name == "postgresql":
                # one pusher at a time: hub_seq grows in commit order, so a puller's
                # cursor never jumps over a change committed later with a smaller number
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(727274)")
            top = conn.execute(select(func.max(ChangeLog.hub_seq))).scalar()
            hub_seq = int(top or 0)
        clock = Clock.for_origin("", sync_state.clock_last(conn))
        now = utcnow()
        work = _Batch(conn, tables, now)
        cache = big_cache(conn) if len(ordered) > 2000 else nullcontext()
        cache.__enter__()
        work.prefetch(ordered)
        total = len(batch)
        for done, c in enumerate(ordered, start=result.skipped + 1):
            cid = c["cid"]
            op = c["op"]
            key = (c["entity"], c["record_id"])
            cur = work.current.get(key) if op in ("upsert", "delete") else None
            if assign_hub_seq:
                hub_seq += 1
                work.add_change(c, seq, hub_seq)
            else:
                work.add_change(c, seq, c["hub_seq"])
            seq += 1
            clock.observe(c["stamp"])
            result.applied += 1
            result.change_ids.append(cid)
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total)
            if op == "resolve":
                work.flush()
                _apply_resolution(conn, uuid.UUID(c["record_id"]))
                continue
            newest = cur is None or (c["stamp"], cid) > cur
            work._saw(
                c["entity"], c["record_id"], c["stamp"], cid, c["base_stamp"], c["origin"], op
            )
            if newest:
                work.write(c, cur)
            if cur is not None:  # the record had versions: siblings are possible
                group = work.origins.get((c["entity"], c["record_id"], c["base_stamp"]), set())
                if len(group) >= 2:
                    work.flush()
                    result.conflicts += record_conflicts(
                        conn, c["entity"], c["record_id"], c["base_stamp"], now
                    )
        work.flush()
        cache.__exit__(None, None, None)
        result.conflicts += work.conflicts
        sync_state.put(conn, sync_state.HLC, clock.last)
        if progress is not None:
            progress(total, total)
        return result
    except IntegrityError as exc:
        raise SyncError.one("apply_failed", None, detail=str(exc.orig)[:200]) from exc
    except SQLAlchemyError as exc:
        if exc.__class__.__name__ == "OperationalError":
            raise
        raise SyncError.one("apply_failed", None, detail=str(exc)[:200]) from exc
    finally:
        session.info["replicating"] = was


def _record_clash(
    conn: Connection, c: Mapping[str, Any], cur: tuple[str, str] | None, now: datetime
) -> int:
    cid = conflict_id(c["change_id"])
    if conn.execute(select(SyncConflict.id).where(SyncConflict.id == cid)).first():
        return 0
    winner = uuid.UUID(cur[1]) if cur else uuid.UUID(int=0)
    conn.execute(
        insert(SyncConflict).values(
            id=cid,
            entity=c["entity"],
            record_id=c["record_id"],
            winner_change_id=winner,
            loser_change_id=c["change_id"],
            loser_state=c["state"],
            loser_origin=c["origin"],
            loser_actor=c["actor"],
            detected_at=now,
        )
    )
    return 1
