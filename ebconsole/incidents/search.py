"""The text index of the incident list: what the filter's free text is looked up in.

SQLite: an FTS5 table with the trigram tokenizer (any three characters, so Chinese
needs no word segmentation) over reference, title, branch and description, with the
incident table as its external content (the text is not stored twice). Triggers keep it
in step with every insert, update and delete, whoever writes: the services, the demo's
bulk inserts, a bundle import. A trigram index serves substrings of three or more
characters; a shorter query is answered by the plain `LIKE` scan, with the same result.

PostgreSQL: GIN indexes with `pg_trgm`'s trigram operator class on the same columns, when
the extension can be created (it is a trusted extension, so the database owner may);
they serve the `ILIKE '%…%'` the list issues unchanged. Without the extension the query
is the same, just unindexed.

The index follows the incident table's implicit rowid. SQLite's VACUUM may renumber the
rowids of a table without an INTEGER PRIMARY KEY, which would leave the index pointing at
the wrong rows: ebconsole never runs VACUUM (backups use the online backup API, which
copies pages); after a VACUUM by hand, `INSERT INTO incident_search(incident_search)
VALUES('rebuild')` rebuilds the index from the incidents.

Created by migration 0005 on an existing database and by `ebconsole.db.migrate.prepare`
on a new one. None of these objects is in the models' metadata (`is_search_object`).
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection

log = logging.getLogger(__name__)

TABLE = "incident_search"
COLUMNS = ("reference", "title", "branch", "description")
MIN_CHARS = 3  # a trigram index finds substrings of at least three characters
_PG_INDEXES = tuple(f"ix_incident_{c}_trgm" for c in COLUMNS)

_cols = ", ".join(COLUMNS)
_new = ", ".join(f"new.{c}" for c in COLUMNS)
_old = ", ".join(f"old.{c}" for c in COLUMNS)

SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5({_cols}, content='incident', "
    "tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_ai AFTER INSERT ON incident BEGIN "
    f"INSERT INTO {TABLE}(rowid, {_cols}) VALUES (new.rowid, {_new}); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_ad AFTER DELETE ON incident BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, {_cols}) VALUES ('delete', old.rowid, {_old}); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_au AFTER UPDATE OF {_cols} ON incident BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, {_cols}) VALUES ('delete', old.rowid, {_old}); "
    f"INSERT INTO {TABLE}(rowid, {_cols}) VALUES (new.rowid, {_new}); END",
    # the rows already there (an upgraded database): read once from the content table
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
)
SQLITE_DROP = (
    f"DROP TRIGGER IF EXISTS {TABLE}_au",
    f"DROP TRIGGER IF EXISTS {TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {TABLE}_ai",
    f"DROP TABLE IF EXISTS {TABLE}",
)


def is_search_object(name: str | None) -> bool:
    """The index's own tables and indexes (FTS5 shadow tables included), which the
    models do not describe: schema comparisons leave them out."""
    return bool(name) and (str(name).startswith(TABLE) or name in _PG_INDEXES)


def install(conn: Connection) -> None:
    """Create the index (and fill it from the incidents already there)."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_CREATE:
            conn.exec_driver_sql(statement)
    elif dialect == "postgresql":
        savepoint = conn.begin_nested()
        try:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as exc:  # not installed, or not ours to create: ILIKE unindexed
            savepoint.rollback()
            log.warning("pg_trgm not available, the incident text filter is unindexed: %s", exc)
            return
        savepoint.commit()
        for name, column in zip(_PG_INDEXES, COLUMNS, strict=True):
            conn.exec_driver_sql(
                f"CREATE INDEX IF NOT EXISTS {name} ON incident USING gin ({column} gin_trgm_ops)"
            )


def remove(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            conn.exec_driver_sql(statement)
    elif conn.dialect.name == "postgresql":
        for name in _PG_INDEXES:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")


def phrase(query: str) -> str | None:
    """The FTS5 query that finds `query` as a substring, or None when it is too short
    for a trigram index (the caller scans with LIKE instead)."""
    if len(query) < MIN_CHARS:
        return None
    return '"' + query.replace('"', '""') + '"'
