"""Writing brand-new records without a unit-of-work flush.

Saving a caller's report is the one write a workstation must do at once, and a flush
(dependency sorting, per-object state bookkeeping, one hook pass per object) costs more
than the rows it writes. `write_new` writes the same rows with one prepared INSERT per
table and runs the flush hooks' own code; `tests/ebconsole/incidents/test_write_new.py`
compares every row it writes with a flush of the same records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import MANYTOONE, Session, make_transient_to_detached

from ebconsole.audit import recorder as audit_recorder
from ebconsole.db.base import Audited, Base, new_id
from ebconsole.sync import recorder as change_recorder

# per mapper: how a flush would fill its row (worked out once)
_PLANS: dict[Any, tuple[list[tuple[str, str, str, Any]], list[tuple[str, str, Any]]]] = {}
_TABLE_ORDER: dict[Any, int] = {}
_NEW_ROWS: dict[Any, Any] = {}  # per table: its INSERT, built once


def _plan(mapper: Any) -> tuple[list[tuple[str, str, str, Any]], list[tuple[str, str, Any]]]:
    """(columns, parents) of a mapper: for each column (column key, attribute key, how a
    flush fills it when the record has no value, the default); for each many-to-one
    relationship's column pair (attribute key, relationship key, the parent's column)."""
    plan = _PLANS.get(mapper)
    if plan is None:
        columns: list[tuple[str, str, str, Any]] = []
        for col in mapper.local_table.columns:
            key = mapper.get_property_by_column(col).key
            default = col.default
            if col is mapper.version_id_col:
                how = "version"
            elif default is None:
                how = "null"
            elif default.is_callable:
                how = "call"
            elif default.is_scalar:
                how = "scalar"
            else:  # pragma: no cover - no model has SQL-expression defaults
                raise TypeError(f"{col}: its default needs a flush")
            columns.append((col.key, key, how, default))
        parents = [
            (mapper.get_property_by_column(local).key, rel.key, remote)
            for rel in mapper.relationships
            if rel.direction is MANYTOONE
            for local, remote in rel.local_remote_pairs
        ]
        plan = _PLANS[mapper] = (columns, parents)
    return plan


def write_new(session: Session, records: Sequence[Any]) -> None:
    """Insert brand-new records with one prepared Core INSERT per table, instead of a
    unit-of-work flush, and leave them in the session as if flushed.

    Exactly what a flush of the same new objects writes: ids for records without one,
    each column's Python default where the record has no value (called as the flush
    calls it), version 1, foreign keys taken from the related new records; then the
    audit rows (hash chain) and change-log rows, by the flush hooks' own code
    (`audit.recorder.record`, `sync.recorder.record`), in the same transaction. The
    records then become persistent in the session without another statement.
    `records`: transient objects in the order a flush would meet them (session.add
    order), none of them in a session yet.
    """
    if not records:
        return
    session.flush()  # whatever is pending is written first, in its own flush, as before
    for obj in records:  # the audit hook's before_flush: ids before anything else
        if isinstance(obj, Audited) and getattr(obj, "id", None) is None:
            obj.id = new_id()  # type: ignore[attr-defined]
    if not _TABLE_ORDER:
        _TABLE_ORDER.update({t: i for i, t in enumerate(Base.metadata.sorted_tables)})
    rows: dict[Any, list[dict[str, Any]]] = {}
    for obj in records:
        state = sa_inspect(obj)
        mapper = state.mapper
        loaded = state.dict
        columns, parents = _plan(mapper)
        for key, rel_key, remote in parents:  # foreign keys from the related new records
            parent = loaded.get(rel_key)
            if parent is not None:
                parent_mapper = sa_inspect(parent).mapper
                setattr(obj, key, getattr(parent, parent_mapper.get_property_by_column(remote).key))
        values: dict[str, Any] = {}
        for col_key, key, how, default in columns:
            if how == "version":
                setattr(obj, key, mapper.version_id_generator(None))
            elif key not in loaded:
                if how == "call":
                    setattr(obj, key, default.arg(None))
                elif how == "scalar":
                    setattr(obj, key, default.arg)
                else:
                    setattr(obj, key, None)
            values[col_key] = loaded[key]
        rows.setdefault(mapper.local_table, []).append(values)
    conn = session.connection()
    for target in sorted(rows, key=_TABLE_ORDER.__getitem__):  # parents first
        stmt = _NEW_ROWS.get(target)
        if stmt is None:
            stmt = _NEW_ROWS[target] = insert(target)
        conn.execute(stmt, rows[target])
    audit_recorder.record(session, records, (), ())
    change_recorder.record(session, records, (), ())
    for obj in records:
        make_transient_to_detached(obj)
    for obj in records:
        session.add(obj)  # persistent, as loaded: no statement
