"""incident unarchived index: the list's counts and status filters read a small index

A partial index on incident (status, reported_at) holding only the incidents that are not
archived, which is every list's condition: the total of the unfiltered list (`archived_at
IS NULL`, which no other index holds) and of a status filter are counted from this index
alone instead of from every incident row, and a status page walks it without looking up
each row's archive time. Archived incidents are not in it; lists that include them use
the full indexes as before.

The statements are written out here, not imported: a migration is the schema as it was
at this revision (the model's `Index` creates the same one on a new database).

Revision ID: 0006_incident_unarchived
Revises: 0005_incident_search
Create Date: 2026-11-29 00:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0006_incident_unarchived"
down_revision = "0005_incident_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the same text on SQLite and PostgreSQL
    op.execute(
        "CREATE INDEX ix_incident_unarchived_status ON incident (status, reported_at) "
        "WHERE archived_at IS NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_incident_unarchived_status")
