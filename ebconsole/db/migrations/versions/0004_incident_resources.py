"""incident resources: incident_resource_use (which reserves an incident used)

One append-only row per use of an inventory item for an incident: when, by whom, how
many and a note. Replicated as an append-only child (see `ebconsole.sync.tables`).

Revision ID: 0004_incident_resources
Revises: 0003_change_log
Create Date: 2026-11-28 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ebconsole.db.types

revision = "0004_incident_resources"
down_revision = "0003_change_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_resource_use",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("used_at", ebconsole.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_by", sa.String(length=80), nullable=False),
        sa.Column("used_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", ebconsole.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_resource_use_incident_id_incident"),
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resource_item.id"],
            name=op.f("fk_incident_resource_use_resource_id_resource_item"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_resource_use")),
    )
    with op.batch_alter_table("incident_resource_use", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_resource_use_incident_id"), ["incident_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_incident_resource_use_resource_id"), ["resource_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("incident_resource_use", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_resource_use_resource_id"))
        batch_op.drop_index(batch_op.f("ix_incident_resource_use_incident_id"))
    op.drop_table("incident_resource_use")
