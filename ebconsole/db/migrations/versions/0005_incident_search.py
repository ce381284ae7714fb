"""incident search: a trigram text index for the incident list's filter

SQLite: an FTS5 table (trigram tokenizer) over incident reference, title, branch and
description, kept in step by triggers and filled from the incidents already there.
PostgreSQL: pg_trgm GIN indexes on the same columns when the extension is available.
See `ebconsole.incidents.search`, which creates the same objects on a new database.

The statements are written out here, not imported: a migration is the schema as it was
at this revision, and must not change when the live module does.

Revision ID: 0005_incident_search
Revises: 0004_incident_resources
Create Date: 2026-11-28 18:15:00
"""

from __future__ import annotations

import logging

from alembic import op

log = logging.getLogger(__name__)

revision = "0005_incident_search"
down_revision = "0004_incident_resources"
branch_labels = None
depends_on = None


SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS incident_search USING fts5(reference, title, "
    "branch, description, content='incident', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS incident_search_ai AFTER INSERT ON incident BEGIN "
    "INSERT INTO incident_search(rowid, reference, title, branch, description) "
    "VALUES (new.rowid, new.reference, new.title, new.branch, new.description); END",
    "CREATE TRIGGER IF NOT EXISTS incident_search_ad AFTER DELETE ON incident BEGIN "
    "INSERT INTO incident_search(incident_search, rowid, reference, title, branch, "
    "description) VALUES ('delete', old.rowid, old.reference, old.title, old.branch, "
    "old.description); END",
    "CREATE TRIGGER IF NOT EXISTS incident_search_au AFTER UPDATE OF reference, title, "
    "branch, description ON incident BEGIN "
    "INSERT INTO incident_search(incident_search, rowid, reference, title, branch, "
    "description) VALUES ('delete', old.rowid, old.reference, old.title, old.branch, "
    "old.description); "
    "INSERT INTO incident_search(rowid, reference, title, branch, description) "
    "VALUES (new.rowid, new.reference, new.title, new.branch, new.description); END",
    # the incidents already there, read once from the content table
    "INSERT INTO incident_search(incident_search) VALUES ('rebuild')",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS incident_search_au",
    "DROP TRIGGER IF EXISTS incident_search_ad",
    "DROP TRIGGER IF EXISTS incident_search_ai",
    "DROP TABLE IF EXISTS incident_search",
)
PG_INDEXES = {
    "ix_incident_reference_trgm": "reference",
    "ix_incident_title_trgm": "title",
    "ix_incident_branch_trgm": "branch",
    "ix_incident_description_trgm": "description",
}


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for statement in SQLITE_CREATE:
            conn.exec_driver_sql(statement)
    elif conn.dialect.name == "postgresql":
        savepoint = conn.begin_nested()
        try:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as exc:  # not installed, or not ours to create: ILIKE unindexed
            savepoint.rollback()
            log.warning("pg_trgm not available, the incident text filter is unindexed: %s", exc)
            return
        savepoint.commit()
        for name, column in PG_INDEXES.items():
            conn.exec_driver_sql(
                f"CREATE INDEX IF NOT EXISTS {name} ON incident USING gin ({column} gin_trgm_ops)"
            )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            conn.exec_driver_sql(statement)
    elif conn.dialect.name == "postgresql":
        for name in PG_INDEXES:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
