"""The audit trail's hash chain: written by the recorder, checked by the verifier, found
broken when rows are edited, rewritten, deleted or reordered behind the core's back."""

from __future__ import annotations

import threading
import time

import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from ebconsole.audit.chain import GENESIS, row_hash
from ebconsole.audit.models import AuditEntry
from ebconsole.audit.verify import Reason, chain_heads, verify
from ebconsole.db.migrate import alembic_config
from ebconsole.db.session import Database
from ebconsole.errors import StaleRecord
from ebconsole.users import service as users
from ebconsole.users.schemas import UserUpdate
from tests.support.world import SITE, WORKSTATION, World

ORIGIN = f"{SITE}/{WORKSTATION}"


def _retitle(db, actor, *titles, replicating=False):
    with db.session(actor) as s:
        if replicating:
            s.info["replicating"] = True
        coord = users.get_by_username("coord", session=s)
        for title in titles:
            users.update(coord.id, UserUpdate(title=title), session=s)
            s.flush()  # one flush per change: each finds the head the last one left


def test_writes_extend_the_chain_and_it_verifies(db, admin):
    first = verify(db)
    assert first.intact and [c.origin for c in first.chains] == [ORIGIN]
    head = first.chains[0].head

    _retitle(db, admin, "值班长", "应急协调员")

    result = verify(db)
    assert result.intact and result.first_break is None
    chain = result.chains[0]
    assert chain.head.seq == head.seq + 2 == chain.rows
    with db.session(readonly=True) as s:
        assert chain_heads(session=s) == [chain.head]
        rows = s.scalars(
            select(AuditEntry).where(AuditEntry.seq > head.seq).order_by(AuditEntry.seq)
        ).all()
        genesis = s.scalar(select(AuditEntry.prev_hash).where(AuditEntry.seq == 1))
        assert genesis == GENESIS
        assert [r.after["title"] for r in rows] == ["值班长", "应急协调员"]
        assert rows[0].prev_hash == head.hash and rows[1].prev_hash == rows[0].hash
        assert all(r.origin == ORIGIN for r in rows)

    # a replicating session (sync import) writes no audit rows of its own
    _retitle(db, admin, "柜员", replicating=True)
    assert verify(db).chains[0].head == chain.head


def _rows(db):
    with db.session(readonly=True) as s:
        return s.execute(
            select(AuditEntry.seq, AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.seq)
        ).all()


def _edit(conn, _rows):
    conn.execute(text("UPDATE audit_entry SET note = 'nothing happened' WHERE seq = 10"))


def _rewrite(conn, _rows):
    """Edited and given a matching hash: the next row's link gives it away."""
    row = dict(
        conn.execute(select(AuditEntry.__table__).where(AuditEntry.seq == 10)).mappings().one()
    )
    row["note"] = "nothing happened"
    conn.execute(
        text("UPDATE audit_entry SET note = :note, hash = :hash WHERE seq = 10"),
        {"note": row["note"], "hash": row_hash(row, row["prev_hash"])},
    )


def _delete(conn, _rows):
    conn.execute(text("DELETE FROM audit_entry WHERE seq = 10"))


def _swap(conn, _rows):
    conn.execute(text("UPDATE audit_entry SET seq = -1 WHERE seq = 10"))
    conn.execute(text("UPDATE audit_entry SET seq = 10 WHERE seq = 11"))
    conn.execute(text("UPDATE audit_entry SET seq = 11 WHERE seq = -1"))


@pytest.mark.parametrize(
    ("tamper", "seq", "reason", "row_at", "linked"),
    [
        (_edit, 10, Reason.EDITED, 10, None),
        (_rewrite, 11, Reason.DELETED, 11, None),
        (_delete, 11, Reason.DELETED, 11, None),
        (_swap, 10, Reason.REORDERED, 11, 11),  # old #11, now at #10, links to old #10
    ],
    ids=["edited", "rewritten", "deleted", "swapped"],
)
def test_tampering_is_found_at_the_first_broken_row(db, tamper, seq, reason, row_at, linked):
    before = _rows(db)
    assert len(before) > 20
    with db.engine.begin() as conn:
        tamper(conn, before)

    result = verify(db)

    assert not result.intact
    chain = result.chains[0]
    b = chain.broken
    assert b is not None and result.first_break == b
    assert (b.origin, b.seq, b.reason, b.linked_seq) == (ORIGIN, seq, reason, linked)
    assert b.id == before[row_at - 1].id  # the row named is the one found at that place
    assert b.expected_seq == (10 if tamper is _delete else seq)
    assert chain.rows == len(before) - (tamper is _delete)
    assert chain.head.seq == before[-1].seq  # the rest of the chain is still walked


def test_upgrade_chains_the_rows_already_there(db):
    """A database from before the chain (0001): upgrading chains its rows in time order."""
    count = len(_rows(db))
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
        assert "hash" not in {c["name"] for c in inspect(conn).get_columns("audit_entry")}
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")

    result = verify(db)
    assert result.intact and result.rows == count
    with db.session(readonly=True) as s:
        times = s.scalars(select(AuditEntry.at).order_by(AuditEntry.seq)).all()
    assert times == sorted(times)


@pytest.mark.postgres
def test_two_saves_racing_for_one_chain_head_cannot_fork_it(postgres_server, postgres_template):
    """PostgreSQL: B reads the head while A's new row is uncommitted; B's row then has
    A's seq, waits for A, and fails when A commits. The chain stays one line."""
    db = Database(postgres_server.url(postgres_server.create_database(template=postgres_template)))
    world = World.load(db)
    n = verify(db).chains[0].head.seq
    failures: list[BaseException] = []

    def save_b() -> None:
        try:
            with db.session(world.admin) as s:  # another session of the same origin
                clerk = users.get_by_username("clerk", session=s)
                users.update(clerk.id, UserUpdate(title="B"), session=s)
        except BaseException as exc:
            failures.append(exc)

    with db.session(world.admin) as s:
        coord = users.get_by_username("coord", session=s)
        users.update(coord.id, UserUpdate(title="A"), session=s)
        s.flush()  # A's audit row #n+1 is written, not committed
        b = threading.Thread(target=save_b)
        b.start()
        with db.engine.connect() as watch:  # until B waits for A's transaction
            waiting = text("SELECT count(*) FROM pg_locks WHERE NOT granted")
            while b.is_alive() and not watch.execute(waiting).scalar():
                time.sleep(0.05)
    b.join()

    assert [type(f) for f in failures] == [StaleRecord]
    assert failures[0].code == "audit_chain_busy"
    result = verify(db)
    assert result.intact and result.chains[0].head.seq == n + 1
    with db.session(readonly=True) as s:
        assert users.get_by_username("clerk", session=s).title != "B"  # nothing of B saved
    db.dispose()
