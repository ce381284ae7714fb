"""Shipped plan data is the same record on every workstation.

`ebconsole init` seeds the plan's defaults (emergency groups, response phases, the
responsibility matrix, incident subtypes, the grading and obligation policies, resource
kinds, the annual drill plans). Two workstations that each ran `init` must hold the very
same rows, or nothing recorded on one could be applied on the other (a matrix cell
naming a group the other site knows under another id). So a seeded row gets:

* a deterministic id: uuid5 over `SEED_NAMESPACE` and the row's stable key (its code);
* fixed timestamps (`PLAN_TIME`), version 1;
* a deterministic change-log row: the change id is derived from the table, the id and
  the row's content, the stamp is `SEED_STAMP` (older than any real edit) and the origin
  `SEED_ORIGIN` for every workstation.

Two workstations that seeded the same shipped data therefore log the same change ids:
exchanging them is a no-op (a change id applies once), and a later edit of a seeded row
starts from the same base stamp everywhere, so edits on two sites are real siblings. If
two releases ship different default texts, their seed changes differ in id but share
stamp and origin: the larger id wins everywhere and no conflict is recorded.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, and_, delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from ebconsole.sync import state as sync_state
from ebconsole.sync.hlc import format_stamp, node_id
from ebconsole.sync.models import ChangeLog
from ebconsole.sync.tables import record_key, row_state

SEED_NAMESPACE = uuid.UUID("3b8f4a52-0c1d-4e6f-9a7b-5d2e8c1f0a93")
SEED_ORIGIN = "plan/defaults"
SEED_STAMP = format_stamp(0, 0, node_id(SEED_ORIGIN))
PLAN_TIME = datetime(2026, 1, 1, tzinfo=UTC)


def _v(value: Any) -> str:
    return str(getattr(value, "value", value))


# table -> the stable key of a shipped row (what `load_defaults` recognises it by)
SEED_KEYS: dict[str, Callable[[Any], str]] = {
    "emergency_group": lambda o: _v(o.code),
    "response_phase": lambda o: _v(o.code),
    "responsibility_cell": lambda o: f"{o.phase_id}|{o.group_id}",
    "incident_subtype": lambda o: f"{_v(o.category)}|{o.code}",
    "policy_revision": lambda o: f"{o.name}|{o.revision}",
    "resource_kind": lambda o: _v(o.kind),
    "exercise_plan": lambda o: str(o.code),
}


def seed_id(table: str, key: str) -> uuid.UUID:
    return uuid.uuid5(SEED_NAMESPACE, f"{table}:{key}")


def seed_change_id(table: str, record_id: str, state: dict[str, Any]) -> uuid.UUID:
    content = json.dumps(state, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return uuid.uuid5(SEED_NAMESPACE, f"change:{table}:{record_id}:{digest}")


@contextmanager
def shipped_data(session: Session) -> Iterator[None]:
    """While open, new rows of the seeded tables get deterministic ids and timestamps;
    on exit their change-log rows are replaced by deterministic ones."""
    session.flush()
    conn = session.connection()
    start_seq = sync_state.next_local_seq(conn)
    seeded: list[Any] = []

    def before_flush(sess: Session, _ctx: Any, _instances: Any) -> None:
        for obj in list(sess.new):
            table = inspect(obj).mapper.local_table
            key_of = SEED_KEYS.get(getattr(table, "name", ""))
            if key_of is None:
                continue
            obj.id = seed_id(table.name, key_of(obj))
            for attr in ("created_at", "updated_at"):
                if hasattr(obj, attr):
                    setattr(obj, attr, PLAN_TIME)
            seeded.append(obj)

    event.listen(session, "before_flush", before_flush)
    try:
        yield
        session.flush()
    finally:
        event.remove(session, "before_flush", before_flush)
    _log_seeded(session, seeded, start_seq)


def _log_seeded(session: Session, seeded: list[Any], start_seq: int) -> None:
    if not seeded:
        return
    conn = session.connection()
    rows: list[dict[str, Any]] = []
    seq = sync_state.next_local_seq(conn)
    for obj in seeded:
        table = inspect(obj).mapper.local_table
        assert isinstance(table, Table)
        row = conn.execute(select(table).where(table.c.id == obj.id)).mappings().first()
        if row is None:  # pragma: no cover - removed again in the same transaction
            continue
        record_id = record_key(table, row)
        state = row_state(table, row)
        change_id = seed_change_id(table.name, record_id, state)
        if conn.execute(
            select(ChangeLog.change_id).where(ChangeLog.change_id == change_id)
        ).first():
            continue  # (re-seeded after a delete): keep the recorder's own change row
        conn.execute(
            delete(ChangeLog).where(
                and_(
                    ChangeLog.entity == table.name,
                    ChangeLog.record_id == record_id,
                    ChangeLog.local_seq >= start_seq,
                )
            )
        )
        rows.append(
            {
                "change_id": change_id,
                "local_seq": seq,
                "entity": table.name,
                "record_id": record_id,
                "op": "upsert",
                "state": state,
                "base_stamp": "",
                "stamp": SEED_STAMP,
                "origin": SEED_ORIGIN,
                "actor": "system",
                "hub_seq": None,
            }
        )
        seq += 1
    if rows:
        conn.execute(insert(ChangeLog), rows)
