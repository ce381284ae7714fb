"""Which tables travel between machines, and how a row becomes JSON and back.

Every table of the domain is replicated except the ones listed in `LOCAL_ONLY`, which
mean something only on this database. `APPEND_ONLY` tables are written once and never
changed: their rows are unioned.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, Enum, Numeric, Table, Uuid

from ebconsole.audit.recorder import jsonable
from ebconsole.db.types import UTCDateTime

# Meaningful on this database only; never recorded in the change log.
LOCAL_ONLY: frozenset[str] = frozenset(
    {
        "installation",  # this workstation's identity (site code, workstation name)
        "reference_counter",  # per site-code counter of human-readable references
        "change_log",
        "sync_conflict",  # derived identically on every replica from the change rows
        "sync_state",  # this database's cursors, clock, last push/pull
        "alembic_version",
    }
)

# Rows written once and never updated: their changes are "append" and unioned.
APPEND_ONLY: frozenset[str] = frozenset(
    {
        "audit_entry",
        "timeline_entry",
        "resource_check",
        "incident_resource_use",
    }
)

# The change log's pseudo-entity for a coordinator's resolution of a conflict.
CONFLICT_ENTITY = "sync_conflict"


def metadata_tables() -> dict[str, Table]:
    from ebconsole.models import Base

    return dict(Base.metadata.tables)


def is_replicated(name: str) -> bool:
    return name not in LOCAL_ONLY


def replicated_tables() -> list[Table]:
    """The replicated tables, parents before children (foreign-key order)."""
    from ebconsole.models import Base

    return [t for t in Base.metadata.sorted_tables if is_replicated(t.name)]


def table_order() -> dict[str, int]:
    return {t.name: i for i, t in enumerate(replicated_tables())}


def record_key(table: Table, row: Mapping[Any, Any]) -> str:
    return "|".join(str(row[c.name]) for c in table.primary_key.columns)


def _to_json(column: Column[Any]) -> Any:
    """How a value of `column` becomes JSON (what `jsonable` does, decided once)."""
    t = column.type
    if isinstance(t, UTCDateTime | DateTime | Date):
        return lambda v: v.isoformat() if isinstance(v, date) else jsonable(v)
    if isinstance(t, Uuid | Numeric):
        return lambda v: str(v) if isinstance(v, uuid.UUID | Decimal) else jsonable(v)
    if isinstance(t, Enum):
        return lambda v: v.value if isinstance(v, enum.Enum) else jsonable(v)
    return jsonable


_TO_JSON: dict[Table, list[tuple[str, Any]]] = {}


def row_state(table: Table, row: Mapping[Any, Any]) -> dict[str, Any]:
    """A row as plain JSON values, keyed by column name."""
    convs = _TO_JSON.get(table)
    if convs is None:
        convs = _TO_JSON[table] = [(c.name, _to_json(c)) for c in table.columns]
    out: dict[str, Any] = {}
    for name, conv in convs:
        if name in row:
            value = row[name]
            out[name] = None if value is None else conv(value)
    return out


def full_row_state(table: Table) -> Any:
    """`row_state` for rows of `select(table)` (every column, in table order), read by
    position: a function of one row. For bulk reads (the baseline), where looking each
    column up by name in a row mapping costs more than converting it."""
    convs = _TO_JSON.get(table)
    if convs is None:
        convs = _TO_JSON[table] = [(c.name, _to_json(c)) for c in table.columns]
    names = [name for name, _conv in convs]
    funcs = [conv for _name, conv in convs]

    def state(row: Sequence[Any]) -> dict[str, Any]:
        return {
            name: None if value is None else conv(value)
            for name, conv, value in zip(names, funcs, row, strict=True)
        }

    return state


def full_record_key(table: Table) -> Any:
    """`record_key` for rows of `select(table)`, by position: a function of one row."""
    positions = [list(table.columns).index(c) for c in table.primary_key.columns]
    if len(positions) == 1:
        (pos,) = positions
        return lambda row: str(row[pos])
    return lambda row: "|".join(str(row[p]) for p in positions)


def _from_json(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    t = column.type
    if isinstance(t, JSON):
        return value
    if isinstance(t, UTCDateTime | DateTime):
        return datetime.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(t, Date):
        return date.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(t, Uuid):
        return uuid.UUID(str(value))
    if isinstance(t, Enum):
        enum_class = t.enum_class
        return enum_class(value) if enum_class is not None else value
    if isinstance(t, Numeric) and t.asdecimal:
        return Decimal(str(value))
    return value


def _identity(value: Any) -> Any:
    return value


def _converter(column: Column[Any]) -> Any:
    t = column.type
    if isinstance(t, JSON):
        return _identity
    if isinstance(t, UTCDateTime | DateTime):
        return lambda v: datetime.fromisoformat(v) if isinstance(v, str) else v
    if isinstance(t, Date):
        return lambda v: date.fromisoformat(v) if isinstance(v, str) else v
    if isinstance(t, Uuid):
        return lambda v: v if isinstance(v, uuid.UUID) else uuid.UUID(str(v))
    if isinstance(t, Enum):
        enum_class = t.enum_class
        return enum_class if enum_class is not None else _identity
    if isinstance(t, Numeric) and t.asdecimal:
        return lambda v: Decimal(str(v))
    return _identity


_CONVERTERS: dict[Table, list[tuple[str, Any]]] = {}


def state_values(table: Table, state: Mapping[str, Any]) -> dict[str, Any]:
    """A change's JSON state as values ready for an INSERT/UPDATE of `table`.

    Columns the state does not know (added by a newer schema) are left out.
    """
    convs = _CONVERTERS.get(table)
    if convs is None:
        convs = _CONVERTERS[table] = [(c.name, _converter(c)) for c in table.columns]
    out: dict[str, Any] = {}
    for name, conv in convs:
        if name in state:
            value = state[name]
            out[name] = None if value is None else conv(value)
    return out


def pk_values(table: Table, record_id: str) -> dict[str, Any]:
    cols = list(table.primary_key.columns)
    if len(cols) == 1 and isinstance(cols[0].type, Uuid):  # the usual `id`
        return {cols[0].name: uuid.UUID(record_id)}
    parts = record_id.split("|") if len(cols) > 1 else [record_id]
    if len(parts) != len(cols):
        raise ValueError(f"bad record id {record_id!r} for {table.name}")
    return {c.name: _from_json(c, p) for c, p in zip(cols, parts, strict=True)}
