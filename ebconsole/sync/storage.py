"""Replicated values straight to and from SQLite's stored form, for the bulk jobs.

Applying a bundle and taking the baseline move every row of the database. Going the
usual way, each JSON value becomes a Python object (UUID, aware datetime, enum member)
that SQLAlchemy then turns into SQLite's stored form (and back when reading): that costs
more than the writes themselves. On SQLite these functions go from a JSON value to the
stored value, and from the stored value to the JSON value, directly. They give exactly
what the SQLAlchemy types give (the composition of `tables._converter` and the type's
bind processor, or of the type's result processor and `tables._to_json`): the common
shapes (a canonical UUID, an ISO time, an enum value) take a shortcut, anything else the
composition itself. tests/ebconsole/sync/test_storage.py checks both against SQLAlchemy.
"""

from __future__ import annotations

import operator
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Dialect, Enum, Table, Uuid, select
from sqlalchemy.engine import Connection

from ebconsole.audit.recorder import jsonable
from ebconsole.db.types import UTCDateTime
from ebconsole.sync.tables import _converter, _identity, _to_json

Fn = Callable[[Any], Any]
_READ_CHUNK = 1000  # rows fetched at a time

# a change_log row's columns, in the order the bulk jobs give its values (the baseline
# and `apply_changes` on SQLite)
CHANGE_COLUMNS = (
    "change_id",
    "local_seq",
    "entity",
    "record_id",
    "op",
    "state",
    "base_stamp",
    "stamp",
    "origin",
    "actor",
    "hub_seq",
    "received_at",
)

_HEX32 = re.compile(r"[0-9a-f]{32}")
_DASHED = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_fromisoformat = datetime.fromisoformat


def usable(conn: Connection) -> bool:
    """Whether the shortcuts apply: SQLite, with the stored forms they were written for."""
    return conn.dialect.name == "sqlite"


def _looked_up(table: dict[Any, Any], generic: Fn) -> Fn:
    """A text `table` knows is converted by it (an enum's values, worked out once);
    anything else the generic way."""

    def convert(v: Any) -> Any:
        if type(v) is str:
            found = table.get(v)
            if found is not None:
                return found
        return generic(v)

    return convert


def _generic_bind(column: Column[Any], dialect: Dialect) -> Fn:
    """JSON value -> stored value, as `state_values` and then SQLAlchemy do it."""
    conv = _converter(column)
    proc = column.type.dialect_impl(dialect).bind_processor(dialect)
    none = proc(None) if proc is not None else None
    if proc is None:
        return lambda v: None if v is None else conv(v)
    return lambda v: none if v is None else proc(conv(v))


def bind_converter(column: Column[Any], dialect: Dialect) -> Fn:
    """A function from a column's JSON value (as a change's state holds it) to the value
    SQLAlchemy would hand to the driver when inserting it."""
    generic = _generic_bind(column, dialect)
    t = column.type
    if isinstance(t, Uuid) and t.as_uuid and not dialect.supports_native_uuid:

        def to_uuid(v: Any) -> Any:
            if type(v) is str and _DASHED.fullmatch(v):
                return v.replace("-", "")
            return generic(v)

        return to_uuid
    if isinstance(t, UTCDateTime):

        def to_time(v: Any) -> Any:
            if type(v) is str:
                dt = _fromisoformat(v)
                if dt.tzinfo is not None:
                    return stored_time(dt)
            return generic(v)

        return to_time
    if isinstance(t, Enum) and t.enum_class is not None:
        proc = t.dialect_impl(dialect).bind_processor(dialect)
        return _looked_up({m.value: (proc(m) if proc else m) for m in t.enum_class}, generic)
    return generic


def _generic_result(column: Column[Any], dialect: Dialect) -> Fn:
    """Stored value -> JSON value, as SQLAlchemy's reading and `row_state` do it."""
    proc = column.type.dialect_impl(dialect).result_processor(dialect, None)
    to_json = _to_json(column)
    if proc is None:
        return lambda v: None if v is None else to_json(v)

    def read(v: Any) -> Any:
        value = proc(v)
        return None if value is None else to_json(value)

    return read


def result_converter(column: Column[Any], dialect: Dialect) -> Fn:
    """A function from the value the driver reads for a column to the JSON value
    `tables.row_state` makes of it."""
    generic = _generic_result(column, dialect)
    t = column.type
    if isinstance(t, Uuid) and t.as_uuid and not dialect.supports_native_uuid:

        def from_uuid(v: Any) -> Any:
            if type(v) is str and _HEX32.fullmatch(v):
                return f"{v[:8]}-{v[8:12]}-{v[12:16]}-{v[16:20]}-{v[20:]}"
            return generic(v)

        return from_uuid
    if isinstance(t, UTCDateTime):

        def from_time(v: Any) -> Any:
            if type(v) is str:
                dt = _fromisoformat(v)
                if dt.tzinfo is None:
                    return dt.isoformat() + "+00:00"
            return generic(v)

        return from_time
    if isinstance(t, Enum) and t.enum_class is not None:
        proc = t.dialect_impl(dialect).bind_processor(dialect)
        return _looked_up({(proc(m) if proc else m): m.value for m in t.enum_class}, generic)
    return generic


class TableCodec:
    """One table's conversions and statements for the bulk jobs, on one dialect."""

    def __init__(self, table: Table, dialect: Dialect):
        self.table = table
        self.dialect = dialect
        self.columns = list(table.columns)
        self.names = [c.name for c in self.columns]
        self.bind = {c.name: bind_converter(c, dialect) for c in self.columns}
        self.read = [result_converter(c, dialect) for c in self.columns]
        # a state with every column inserts them all: no default of SQLAlchemy's applies
        self.all_names = tuple(self.names)
        self.name_set = frozenset(self.names)
        # a row's values in table order, in one call; then those that need converting
        get = operator.itemgetter(*self.names)
        self.values_of = get if len(self.names) > 1 else lambda state: (get(state),)
        self.converted = [
            (i, self.bind[c.name])
            for i, c in enumerate(self.columns)
            if _converter(c) is not _identity
            or c.type.dialect_impl(dialect).bind_processor(dialect) is not None
        ]
        pk = list(table.primary_key.columns)
        simple = len(pk) == 1 and isinstance(pk[0].type, Uuid) and pk[0].type.as_uuid
        # the single UUID key (every replicated table's `id`) and its place in a row
        self.uuid_key = pk[0].name if simple else None
        self.key_position = self.names.index(pk[0].name) if simple else -1
        self._inserts: dict[tuple[str, ...], str] = {}
        # columns whose stored text or number is its JSON value (`jsonable` keeps those;
        # a blob it would turn into text); the others, converted
        as_read = [
            c
            for c in self.columns
            if _to_json(c) is jsonable
            and c.type.dialect_impl(dialect).result_processor(dialect, None) is None
        ]
        self.as_read = [c.name for c in as_read]
        self.read_converted = [
            (i, c.name, self.read[i]) for i, c in enumerate(self.columns) if c not in as_read
        ]
        prep = dialect.identifier_preparer
        self.any_blob = (
            f"SELECT 1 FROM {prep.format_table(table)} WHERE "
            + " OR ".join(f"typeof({prep.quote(n)}) = 'blob'" for n in self.as_read)
            + " LIMIT 1"
        )
        self.select_all = str(select(*self.columns).compile(dialect=dialect))

    def insert_sql(self, names: tuple[str, ...]) -> str:
        sql = self._inserts.get(names)
        if sql is None:
            cols = ", ".join(self.dialect.identifier_preparer.quote(n) for n in names)
            marks = ", ".join("?" for _ in names)
            name = self.dialect.identifier_preparer.format_table(self.table)
            sql = self._inserts[names] = f"INSERT INTO {name} ({cols}) VALUES ({marks})"
        return sql

    def json_row(self, row: Sequence[Any]) -> dict[str, Any]:
        """A row of `select_all` (stored values) as `row_state` makes it."""
        return {
            name: read(value) for name, read, value in zip(self.names, self.read, row, strict=True)
        }

    def json_rows(self, conn: Connection) -> Iterator[dict[str, Any]]:
        """Every row of the table (in the order `select(table)` reads them) as
        `row_state` makes it. Text and numbers are their JSON values as read, unless a
        column holds a blob somewhere (never written by this program; then every value
        takes the generic way)."""
        as_read = bool(self.as_read) and conn.exec_driver_sql(self.any_blob).first() is None
        parts = conn.exec_driver_sql(self.select_all).partitions(_READ_CHUNK)
        if not as_read:
            for part in parts:
                yield from map(self.json_row, part)
            return
        names, converted = self.names, self.read_converted
        for part in parts:
            for row in part:
                out = dict(zip(names, row, strict=True))
                for i, name, read in converted:
                    out[name] = read(row[i])
                yield out


_CODECS: dict[tuple[str, str], TableCodec] = {}


def codec(table: Table, dialect: Dialect) -> TableCodec:
    key = (table.name, dialect.name)
    c = _CODECS.get(key)
    if c is None or c.table is not table:
        c = _CODECS[key] = TableCodec(table, dialect)
    return c


def stored_time(value: datetime) -> str:
    """An aware datetime as a `UTCDateTime` column stores it on SQLite."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def uuid_hex(value: str) -> str:
    """A UUID's stored form on SQLite (32 lowercase hex digits) from any of its text forms."""
    if _DASHED.fullmatch(value):
        return value.replace("-", "")
    return uuid.UUID(value).hex


def uuid_text(stored: str) -> str:
    """The canonical text of a UUID stored on SQLite."""
    if _HEX32.fullmatch(stored):
        s = stored
        return f"{s[:8]}-{s[8:12]}-{s[12:16]}-{s[16:20]}-{s[20:]}"
    return str(uuid.UUID(stored))
