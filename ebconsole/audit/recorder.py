"""Writes an audit row for every insert, update and delete of an `Audited` model.

It hooks the session's flush, so no service can forget it: the rows go into the same
transaction as the change they describe. Each row is appended to the hash chain of its
origin (see `ebconsole.audit.chain`).

A session with `session.info["replicating"]` set writes no audit rows: changes replicated
from another site arrive with their own, already chained, audit rows.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, event, func, insert, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapper, Session

from ebconsole.actor import Actor
from ebconsole.audit import messages  # noqa: F401  (registers the error codes)
from ebconsole.audit.chain import GENESIS, origin_of, row_hash
from ebconsole.audit.models import AuditEntry
from ebconsole.db.base import Audited, new_id
from ebconsole.errors import StaleRecord
from ebconsole.timeutil import utcnow

# session.info key: the audit rows the current flush wrote, for the change recorder
FLUSHED_ROWS = "audit:flushed_rows"

_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    if type(value) in _PLAIN or value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return str(value)


_SNAPSHOT_KEYS: dict[Mapper[Any], tuple[str, ...]] = {}


def _snapshot_keys(mapper: Mapper[Any], obj: Any) -> tuple[str, ...]:
    """The attributes a snapshot holds, per mapper (worked out once)."""
    keys = _SNAPSHOT_KEYS.get(mapper)
    if keys is None:
        skip = getattr(obj, "__audit_exclude__", ())
        keys = _SNAPSHOT_KEYS[mapper] = tuple(
            a.key for a in mapper.column_attrs if a.key not in skip
        )
    return keys


def snapshot(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    loaded = state.dict  # what the object holds; anything else is loaded as getattr does
    return {
        key: jsonable(loaded[key] if key in loaded else getattr(obj, key))
        for key in _snapshot_keys(state.mapper, obj)
    }


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    skip = getattr(obj, "__audit_exclude__", ())
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in skip or attr.key in ("updated_at", "version"):
            continue
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            before[attr.key] = jsonable(hist.deleted[0]) if hist.deleted else None
            after[attr.key] = jsonable(hist.added[0]) if hist.added else None
    return before, after


@event.listens_for(Session, "before_flush")
def _assign_ids(session: Session, _ctx: Any, _instances: Any) -> None:
    # Give new records their id before the flush so audit rows can name them.
    for obj in session.new:
        if isinstance(obj, Audited) and getattr(obj, "id", None) is None:
            obj.id = new_id()  # type: ignore[attr-defined]


@event.listens_for(Session, "after_flush")
def _write_audit(session: Session, _ctx: Any) -> None:
    record(session, session.new, session.dirty, session.deleted)


def record(
    session: Session, new: Iterable[Any], dirty: Iterable[Any], deleted: Iterable[Any]
) -> None:
    """Write the audit rows of one flush's records: the flush hook's work, also called
    for records a service inserted with Core statements instead of a flush
    (`incidents.create`), so they are audited exactly alike."""
    session.info.pop(FLUSHED_ROWS, None)  # only ever this flush's rows
    if session.info.get("replicating"):
        return
    rows: list[dict[str, Any]] = []
    actor = session.info.get("actor")
    for action, objs in (
        ("create", new),
        ("update", dirty),
        ("delete", deleted),
    ):
        for obj in objs:
            if not isinstance(obj, Audited):
                continue
            kind = action
            if action == "create":
                before, after = None, snapshot(obj)
            elif action == "delete":
                before, after = snapshot(obj), None
            else:
                if not session.is_modified(obj, include_collections=False):
                    continue
                before, after = _changes(obj)
                if not after:
                    continue
                if after.get("archived_at") is not None:
                    kind = "archive"
            if actor is None:
                raise RuntimeError(
                    f"write to {type(obj).__name__} without an actor: "
                    "open the session with db.session(actor)"
                )
            rows.append(
                entry(
                    actor,
                    obj.__tablename__,  # type: ignore[attr-defined]
                    str(obj.id),  # type: ignore[attr-defined]
                    kind,
                    before=before,
                    after=after,
                    note=session.info.get("audit_note"),
                )
            )
    if rows:
        append(session, rows)
        # the change recorder's hook runs next in this flush and logs these very rows:
        # it takes them from here instead of reading them back (see sync.recorder)
        session.info[FLUSHED_ROWS] = rows


def entry(
    actor: Actor,
    entity: str,
    entity_id: str,
    action: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """One audit row's content, ready for `append` (which adds origin, seq and hashes)."""
    return {
        "id": new_id(),
        "at": utcnow(),
        "actor_user_id": actor.user_id,
        "actor_name": actor.username,
        "actor_role": str(actor.role),
        "site_code": actor.site_code,
        "workstation": actor.workstation,
        "entity": entity,
        "entity_id": entity_id,
        "action": action,
        "before": before,
        "after": after,
        "note": note,
    }


CHAIN_CONSTRAINT = "uq_audit_entry_origin"  # unique (origin, seq)
_AUDIT = cast(Table, AuditEntry.__table__)
# built once: a statement built per save costs more than running it
_INSERT = insert(_AUDIT)
_HEAD = (
    select(_AUDIT.c.seq, _AUDIT.c.hash)
    .where(_AUDIT.c.origin == bindparam("origin"))
    .order_by(_AUDIT.c.seq.desc())
    .limit(1)
)


def append(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert audit rows written by hand (a bulk job's single entry, a reveal of customer
    data) onto their origin's chain. Each row has every content field of
    `chain.CONTENT_FIELDS` except origin and seq, which are filled in here."""
    _chain(session, rows)
    try:
        session.connection().execute(_INSERT, rows)
    except IntegrityError as exc:
        if CHAIN_CONSTRAINT in str(exc.orig):  # lost the race for the chain head (see _chain)
            raise StaleRecord.one("audit_chain_busy") from exc
        raise


def _chain(session: Session, rows: list[dict[str, Any]]) -> None:
    """Give the rows of this flush their place in their origin's chain.

    One query per flush finds the chain head. On SQLite writers are serialised (every
    writing session begins IMMEDIATE), so the head cannot move before commit. On
    PostgreSQL two sessions of the same origin can read the same head; both then insert
    the same (origin, seq): the unique constraint makes the later insert wait for the
    earlier transaction and, once it commits, fail; `append` turns that into
    StaleRecord("audit_chain_busy") and the loser's whole transaction rolls back, so the
    chain never forks and no change goes unaudited. One origin is one workstation, so
    the race needs two simultaneous saves there (two console windows, or the console
    and a script); the loser is asked to try again.
    """
    origins = {origin_of(r["site_code"], r["workstation"]) for r in rows}
    conn = session.connection()
    heads: dict[str, tuple[int, str]] = {o: (0, GENESIS) for o in origins}
    if len(origins) == 1:
        (origin,) = origins
        head = conn.execute(_HEAD, {"origin": origin}).first()
        if head is not None:
            heads[origin] = (head.seq, head.hash)
    else:  # one actor per session, so this does not happen; stay correct anyway
        last = (
            select(AuditEntry.origin, func.max(AuditEntry.seq).label("seq"))
            .where(AuditEntry.origin.in_(origins))
            .group_by(AuditEntry.origin)
            .subquery()
        )
        for origin, seq, digest in conn.execute(
            select(AuditEntry.origin, AuditEntry.seq, AuditEntry.hash).join(
                last, (AuditEntry.origin == last.c.origin) & (AuditEntry.seq == last.c.seq)
            )
        ):
            heads[origin] = (seq, digest)
    for row in rows:
        origin = origin_of(row["site_code"], row["workstation"])
        seq, prev = heads[origin]
        row["origin"] = origin
        row["seq"] = seq + 1
        row["prev_hash"] = prev
        row["hash"] = row_hash(row, prev)
        heads[origin] = (row["seq"], row["hash"])
