"""Baseline: change rows for records written before the change log existed.

A database upgraded to the change log (migration 0003) holds records no change row
describes. The first sync or export records one change per such record, as this
workstation's, so that they travel too. It runs once per database (flag in sync_state).

On SQLite the rows are read and the change rows written in SQLite's stored form
(`storage`): the same change rows, without turning every value into a Python object and
back, which is most of the work when the whole database is recorded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import Connection, Table, select
from sqlalchemy.orm import Session

from ebconsole.sync import state as sync_state
from ebconsole.sync import storage
from ebconsole.sync.models import ChangeLog
from ebconsole.sync.recorder import LocalLog
from ebconsole.sync.tables import (
    APPEND_ONLY,
    full_record_key,
    full_row_state,
    replicated_tables,
)
from ebconsole.timeutil import utcnow

FLAG = "baseline:v1"
_BATCH = 1000  # change rows written at a time


def ensure_baseline(*, session: Session) -> int:
    """Record the missing changes (once); returns how many were recorded."""
    conn = session.connection()
    if sync_state.get(conn, FLAG):
        return 0
    log = LocalLog(session)
    raw = storage.usable(conn)
    count = stored = 0
    for table in replicated_tables():
        known = set(
            conn.execute(
                select(ChangeLog.record_id).where(ChangeLog.entity == table.name)
            ).scalars()
        )
        op = "append" if table.name in APPEND_ONLY else "upsert"
        if raw and storage.codec(table, conn.dialect).uuid_key is not None:
            n = _stored_rows(conn, log, table, op, known)
            count += n
            stored += n
            continue
        key_of, state_of = full_record_key(table), full_row_state(table)
        for row in conn.execute(select(table)):  # every column, in table order
            rid = key_of(row)
            if rid in known:
                continue
            log.add(table.name, rid, op, state_of(row), "")
            count += 1
            if len(log.rows) >= _BATCH:
                log.write()
    if stored and not log.rows:  # (`write` puts the clock only with rows to write)
        sync_state.put(conn, sync_state.HLC, log.clock.last)
    log.write()
    sync_state.put(conn, FLAG, "1")
    return count


def _uuid4_hexes(n: int) -> list[str]:
    """`uuid.uuid4().hex` n times (random bits, then the version and variant bits),
    from one read of the system's random source, without building UUID objects."""
    b = bytearray(os.urandom(16 * n))
    b[6::16] = bytes((x & 0x0F) | 0x40 for x in b[6::16])  # version 4
    b[8::16] = bytes((x & 0x3F) | 0x80 for x in b[8::16])  # RFC 4122 variant
    h = b.hex()
    return [h[i : i + 32] for i in range(0, 32 * n, 32)]


def _stored_rows(conn: Connection, log: LocalLog, table: Table, op: str, known: set[str]) -> int:
    """`ensure_baseline` for one table on SQLite: the rows read as stored, the change rows
    written as stored (what `LocalLog.add` and `write` would store, with the time
    received read once per batch instead of once per row); returns how many."""
    cod = storage.codec(table, conn.dialect)
    log_codec = storage.codec(cast(Table, ChangeLog.__table__), conn.dialect)
    sql = log_codec.insert_sql(storage.CHANGE_COLUMNS)
    state_text = log_codec.bind["state"]
    key = cod.uuid_key
    assert key is not None  # (the caller checked)
    # (plain str: SQLite adapts a subclass such as SQLAlchemy's `quoted_name` value by value)
    entity, origin, actor, tick = str(table.name), log.origin, log.actor, log.clock.tick
    stored_time = storage.stored_time
    rows: list[tuple[Any, ...]] = []
    ids: Iterator[str] = iter([])
    received = ""
    count = 0
    seq = log.seq
    for state in cod.json_rows(conn):  # every column, in table order
        rid = state[key]
        if rid in known:
            continue
        if not rows:  # a new batch
            ids = iter(_uuid4_hexes(_BATCH))
            received = stored_time(utcnow())
        rows.append(
            (
                next(ids),
                seq,
                entity,
                rid,
                op,
                state_text(state),
                "",
                tick(),
                origin,
                actor,
                None,
                received,
            )
        )
        seq += 1
        count += 1
        if len(rows) >= _BATCH:
            conn.exec_driver_sql(sql, rows)
            rows = []
    if rows:
        conn.exec_driver_sql(sql, rows)
    log.seq = seq
    return count
