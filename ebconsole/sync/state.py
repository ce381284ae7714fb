"""The key/value replication state of one database (clock, cursors, times)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy import insert as sql_insert
from sqlalchemy.dialects import postgresql, sqlite

from ebconsole.sync.hlc import STAMP
from ebconsole.sync.models import ChangeLog, SyncState

HLC = "hlc"
PUSH_CURSOR = "hub:push_cursor"  # last local_seq the hub committed
PULL_CURSOR = "hub:pull_cursor"  # last hub_seq applied here
LAST_PUSH = "hub:last_push"
LAST_PULL = "hub:last_pull"
OFFLINE_SINCE = "hub:offline_since"
LAST_ERROR = "hub:last_error"
HUB_URL = "hub:url"  # where the hub was last reached (no password)
HUB_ID = "hub:id"  # on the hub: its identity; locally: the hub the cursors belong to


def peer_cursor_key(peer: str) -> str:
    return f"peer:{peer}:export_cursor"


def audit_cursor_key(origin: str) -> str:
    return f"audit_seq:{origin}"


def get(conn: Connection, key: str) -> str | None:
    return conn.execute(select(SyncState.value).where(SyncState.key == key)).scalar()


def put(conn: Connection, key: str, value: str) -> None:
    values = {"key": key, "value": value}
    if conn.dialect.name == "postgresql":
        stmt_pg = postgresql.insert(SyncState).values(values)
        conn.execute(
            stmt_pg.on_conflict_do_update(index_elements=[SyncState.key], set_={"value": value})
        )
    elif conn.dialect.name == "sqlite":
        stmt_lite = sqlite.insert(SyncState).values(values)
        conn.execute(
            stmt_lite.on_conflict_do_update(index_elements=[SyncState.key], set_={"value": value})
        )
    else:  # pragma: no cover - only the two supported databases
        if (
            conn.execute(update(SyncState).where(SyncState.key == key).values(value=value)).rowcount
            == 0
        ):
            conn.execute(sql_insert(SyncState).values(values))


def remove(conn: Connection, key: str) -> None:
    conn.execute(delete(SyncState).where(SyncState.key == key))


def get_int(conn: Connection, key: str) -> int:
    raw = get(conn, key)
    return int(raw) if raw else 0


def get_time(conn: Connection, key: str) -> datetime | None:
    raw = get(conn, key)
    return datetime.fromisoformat(raw) if raw else None


def put_time(conn: Connection, key: str, value: datetime) -> None:
    put(conn, key, value.isoformat())


def clock_last(conn: Connection) -> str | None:
    raw = get(conn, HLC)
    return raw if raw and STAMP.match(raw) else None


_MAX_LOCAL_SEQ = select(func.coalesce(func.max(ChangeLog.__table__.c.local_seq), 0))


def next_local_seq(conn: Connection) -> int:
    return int(conn.execute(_MAX_LOCAL_SEQ).scalar_one()) + 1
