"""incident status index: drop the full (status, reported_at) index

Migration 0006 added the partial index of unarchived incidents on (status, reported_at).
Every query that filters on status also asks for unarchived incidents (the lists, the
status report, the deadlines), so the full index on the same columns served none of them
better. Two indexes that tie left the choice to SQLite's tie-break, which follows the
order the indexes were created in: a new database (whose indexes come out in no fixed
order) could read the full index and look up each row's archive time. One index, no tie.
Lists that include archived incidents (no screen asks for them) read by date instead.

Revision ID: 0007_incident_status_index
Revises: 0006_incident_unarchived
Create Date: 2026-11-29 02:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0007_incident_status_index"
down_revision = "0006_incident_unarchived"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP INDEX ix_incident_status_reported")


def downgrade() -> None:
    op.execute("CREATE INDEX ix_incident_status_reported ON incident (status, reported_at)")
