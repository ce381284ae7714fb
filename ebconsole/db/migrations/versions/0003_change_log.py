"""change log: change_log, sync_conflict, sync_state (replication between sites)

Existing records get no change rows here: the first sync or export of an upgraded
database records a baseline (see `ebconsole.sync.baseline`).

Revision ID: 0003_change_log
Revises: 0002_audit_chain
Create Date: 2026-11-28 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ebconsole.db.types

revision = "0003_change_log"
down_revision = "0002_audit_chain"
branch_labels = None
depends_on = None


def _bigint() -> sa.types.TypeEngine:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("change_id", sa.Uuid(), nullable=False),
        sa.Column("local_seq", _bigint(), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("record_id", sa.String(length=80), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("state", sa.JSON(), nullable=True),
        sa.Column("base_stamp", sa.String(length=40), nullable=False),
        sa.Column("stamp", sa.String(length=40), nullable=False),
        sa.Column("origin", sa.String(length=120), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("hub_seq", _bigint(), nullable=True),
        sa.Column("received_at", ebconsole.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("change_id", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index("ix_change_log_hub_seq", ["hub_seq"], unique=False)
        batch_op.create_index("ix_change_log_local_seq", ["local_seq"], unique=False)
        batch_op.create_index(
            "ix_change_log_record", ["entity", "record_id", "stamp"], unique=False
        )
        batch_op.create_index("ix_change_log_stamp", ["stamp"], unique=False)

    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("record_id", sa.String(length=80), nullable=False),
        sa.Column("winner_change_id", sa.Uuid(), nullable=False),
        sa.Column("loser_change_id", sa.Uuid(), nullable=False),
        sa.Column("loser_state", sa.JSON(), nullable=True),
        sa.Column("loser_origin", sa.String(length=120), nullable=False),
        sa.Column("loser_actor", sa.String(length=80), nullable=False),
        sa.Column("winner_origin", sa.String(length=120), nullable=False),
        sa.Column("winner_actor", sa.String(length=80), nullable=False),
        sa.Column("detected_at", ebconsole.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", ebconsole.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=80), nullable=True),
        sa.Column("resolution", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
        sa.UniqueConstraint("loser_change_id", name=op.f("uq_sync_conflict_loser_change_id")),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index("ix_sync_conflict_open", ["resolved_at"], unique=False)

    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_conflict_open")
    op.drop_table("sync_conflict")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index("ix_change_log_stamp")
        batch_op.drop_index("ix_change_log_record")
        batch_op.drop_index("ix_change_log_local_seq")
        batch_op.drop_index("ix_change_log_hub_seq")
    op.drop_table("change_log")
