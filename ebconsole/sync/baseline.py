"""Baseline: change rows for records written before the change log existed.

A database upgraded to the change log (migration 0003) holds records no change row
describes. The first sync or export records one change per such record, as this
workstation's, so that they travel too. It runs once per database (flag in sync_state).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ebconsole.sync import state as sync_state
from ebconsole.sync.models import ChangeLog
from ebconsole.sync.recorder import LocalLog
from ebconsole.sync.tables import (
    APPEND_ONLY,
    full_record_key,
    full_row_state,
    replicated_tables,
)

FLAG = "baseline:v1"


def ensure_baseline(*, session: Session) -> int:
    """Record the missing changes (once); returns how many were recorded."""
    conn = session.connection()
    if sync_state.get(conn, FLAG):
        return 0
    log = LocalLog(session)
    count = 0
    for table in replicated_tables():
        known = set(
            conn.execute(
                select(ChangeLog.record_id).where(ChangeLog.entity == table.name)
            ).scalars()
        )
        key_of, state_of = full_record_key(table), full_row_state(table)
        op = "append" if table.name in APPEND_ONLY else "upsert"
        for row in conn.execute(select(table)):  # every column, in table order
            rid = key_of(row)
            if rid in known:
                continue
            log.add(table.name, rid, op, state_of(row), "")
            count += 1
            if len(log.rows) >= 1000:
                log.write()
    log.write()
    sync_state.put(conn, FLAG, "1")
    return count
