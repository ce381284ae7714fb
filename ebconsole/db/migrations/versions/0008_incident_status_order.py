"""incident status order: the unarchived status index holds the list's whole order

The partial index of unarchived incidents (0006) is widened from (status, reported_at)
to (status, reported_at, reference). The incidents lists sort by report time with the
reference as tie-break, so a page of several statuses (the tab's "open" filter, five
statuses) had to look up every matching row for its reference before the page could be
cut: 1 324 row reads for 50 rows at 100 000 incidents (15–20 ms). With the reference in
the index the page is sorted from the index alone and only its 50 rows are read (0.4 ms),
and a status sort (status, report time, reference) walks the index in order.

The statements are written out here, not imported: a migration is the schema as it was
at this revision (the model's `Index` creates the same one on a new database).

Revision ID: 0008_incident_status_order
Revises: 0007_incident_status_index
Create Date: 2026-11-29 03:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0008_incident_status_order"
down_revision = "0007_incident_status_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the same text on SQLite and PostgreSQL
    op.execute("DROP INDEX ix_incident_unarchived_status")
    op.execute(
        "CREATE INDEX ix_incident_unarchived_status ON incident (status, reported_at, "
        "reference) WHERE archived_at IS NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_incident_unarchived_status")
    op.execute(
        "CREATE INDEX ix_incident_unarchived_status ON incident (status, reported_at) "
        "WHERE archived_at IS NULL"
    )
