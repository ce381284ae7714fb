"""incident search: a trigram text index for the incident list's filter

SQLite: an FTS5 table (trigram tokenizer) over incident reference, title, branch and
description, kept in step by triggers and filled from the incidents already there.
PostgreSQL: pg_trgm GIN indexes on the same columns when the extension is available.
See `ebconsole.incidents.search`.

Revision ID: 0005_incident_search
Revises: 0004_incident_resources
Create Date: 2026-11-28 18:15:00
"""

from __future__ import annotations

from alembic import op

from ebconsole.incidents import search

revision = "0005_incident_search"
down_revision = "0004_incident_resources"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search.install(op.get_bind())


def downgrade() -> None:
    search.remove(op.get_bind())
