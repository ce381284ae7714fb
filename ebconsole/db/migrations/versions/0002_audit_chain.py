"""audit chain: origin, seq, prev_hash, hash on audit_entry

Rows already present are chained here, per origin in the order they were written
(`at`, then id), so an upgraded database verifies like a new one.

Revision ID: 0002_audit_chain
Revises: 0001
Create Date: 2026-11-28 14:50:00
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

import ebconsole.db.types
from ebconsole.audit.chain import GENESIS, origin_of, row_hash

revision = '0002_audit_chain'
down_revision = '0001'
branch_labels = None
depends_on = None

BATCH = 2000

_audit = sa.table(
    'audit_entry',
    sa.column('id', sa.Uuid()),
    sa.column('at', ebconsole.db.types.UTCDateTime()),
    sa.column('actor_user_id', sa.Uuid()),
    sa.column('actor_name', sa.String()),
    sa.column('actor_role', sa.String()),
    sa.column('site_code', sa.String()),
    sa.column('workstation', sa.String()),
    sa.column('entity', sa.String()),
    sa.column('entity_id', sa.String()),
    sa.column('action', sa.String()),
    sa.column('before', sa.JSON()),
    sa.column('after', sa.JSON()),
    sa.column('note', sa.Text()),
    sa.column('origin', sa.String()),
    sa.column('seq', sa.Integer()),
    sa.column('prev_hash', sa.String()),
    sa.column('hash', sa.String()),
)


def _chain_existing_rows() -> None:
    conn = op.get_bind()
    heads: dict[str, tuple[int, str]] = {}
    t = _audit
    cols = [c for c in t.c if c.key not in ('origin', 'seq', 'prev_hash', 'hash')]
    update = (sa.update(t).where(t.c.id == sa.bindparam('_id'))
              .values(origin=sa.bindparam('_origin'), seq=sa.bindparam('_seq'),
                      prev_hash=sa.bindparam('_prev'), hash=sa.bindparam('_hash')))
    last: tuple[Any, Any] | None = None
    while True:
        q = sa.select(*cols).order_by(t.c.at, t.c.id).limit(BATCH)
        if last is not None:
            q = q.where(sa.tuple_(t.c.at, t.c.id) > sa.tuple_(*last))
        rows = conn.execute(q).mappings().all()
        if not rows:
            break
        params = []
        for r in rows:
            row = dict(r)
            row['origin'] = origin_of(row['site_code'], row['workstation'])
            seq, prev = heads.get(row['origin'], (0, GENESIS))
            row['seq'] = seq + 1
            digest = row_hash(row, prev)
            heads[row['origin']] = (row['seq'], digest)
            params.append({'_id': row['id'], '_origin': row['origin'], '_seq': row['seq'],
                           '_prev': prev, '_hash': digest})
        conn.execute(update, params)
        last = (rows[-1]['at'], rows[-1]['id'])


def upgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))

    _chain_existing_rows()

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.alter_column('origin', existing_type=sa.String(length=120), nullable=False)
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_entry_origin'), ['origin', 'seq'])


def downgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_entry_origin'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
        batch_op.drop_column('origin')
