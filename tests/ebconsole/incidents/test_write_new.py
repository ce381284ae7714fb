"""`incidents.create` writes its new rows with prepared Core statements
(`ebconsole.db.new_rows.write_new`), not a unit-of-work flush. The rows must be exactly those
a flush writes: incident, timeline, fraud report and transactions, obligations, the audit
rows of the hash chain and the change-log rows. The same intakes are recorded on two
copies of the world, once through `write_new` and once through a plain `add_all` + flush;
the rows are compared with ids, times, hashes and clock stamps replaced by tokens in the
order they first appear."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ebconsole.audit.models import AuditEntry
from ebconsole.db import new_rows
from ebconsole.db.session import Database
from ebconsole.incidents import service as incidents
from ebconsole.incidents.intake import parse_intake
from ebconsole.incidents.schemas import IncidentUpdate
from tests.ebconsole.incidents.samples import fraud_intake, outage_intake
from tests.support.world import World

TABLES = (
    "incident",
    "timeline_entry",
    "fraud_report",
    "fraud_transaction",
    "obligation",
    "reference_counter",
    "audit_entry",
    "change_log",
    "sync_state",
)
# what differs between two runs of the same actions: ids and hashes (each a token of its
# own, so the same id must stand in the same places); times and clock stamps follow the
# clock (two may fall in one second, or one millisecond, in one run only)
VOLATILE = re.compile(
    r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}"
    r"|[0-9a-f]{64}"
    r"|\d{13,}"
)
STAMP = re.compile(r"\d{13,}\.\d{6}\.[0-9a-f]+")
TIME = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?")


def _flush_instead(session: Any, records: Any) -> None:
    """What `create` did before `write_new`: the unit of work writes the new records."""
    session.add_all(records)
    session.flush()


def _record(path: Path) -> None:
    db = Database(str(path))
    try:
        coordinator = World.load(db).coordinator
        with db.session(coordinator) as s:
            incidents.create(parse_intake(outage_intake()), session=s)
        with db.session(coordinator) as s:  # fraud report, transactions, request notes
            incidents.create(parse_intake(fraud_intake()), session=s)
        with db.session(coordinator) as s:  # two in one transaction
            incidents.create_many(
                [parse_intake(outage_intake(title="核心系统告警")), parse_intake(fraud_intake())],
                session=s,
            )
    finally:
        db.dispose()


def _rows(path: Path) -> list[tuple[str, list[str]]]:
    tokens: dict[str, str] = {}

    def token(match: re.Match[str]) -> str:
        return tokens.setdefault(match.group(0), f"<{len(tokens)}>")

    conn = sqlite3.connect(path)
    try:
        out = []
        for table in TABLES:
            order = {"audit_entry": "seq", "change_log": "local_seq"}.get(table, "rowid")
            rows = conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            texts = [STAMP.sub("<stamp>", TIME.sub("<time>", repr(row))) for row in rows]
            out.append((table, [VOLATILE.sub(token, t) for t in texts]))
        return out
    finally:
        conn.close()


def test_create_writes_the_rows_a_flush_writes(sqlite_template, tmp_path, monkeypatch):
    core, flushed = tmp_path / "core.sqlite3", tmp_path / "flushed.sqlite3"
    shutil.copyfile(sqlite_template, core)
    shutil.copyfile(sqlite_template, flushed)
    before = dict(_rows(core))

    _record(core)
    with monkeypatch.context() as m:
        m.setattr(new_rows, "write_new", _flush_instead)
        _record(flushed)

    written = dict(_rows(core))
    assert len(written["incident"]) == len(before["incident"]) + 4
    assert len(written["fraud_transaction"]) > len(before["fraud_transaction"])
    assert len(written["audit_entry"]) > len(before["audit_entry"]) + 4
    assert len(written["change_log"]) > len(before["change_log"]) + 4
    for (table, rows), (_same, expected) in zip(_rows(core), _rows(flushed), strict=True):
        assert rows == expected, table


def test_a_created_incident_can_be_changed_in_the_same_transaction(db, world):
    """The records `write_new` leaves in the session are persistent and agree with the
    database: an update in the same transaction bumps the version once and is audited."""
    with db.session(world.coordinator) as s:
        incident = incidents.create(parse_intake(fraud_intake()), session=s)
        assert incident.version == 1 and incident.fraud is not None
        incidents.update(incident.id, IncidentUpdate(title="改：网银盗刷"), session=s)
        s.flush()
        assert incident.version == 2
        incident_id = incident.id
    with db.session(readonly=True) as s:
        again = incidents.get(incident_id, session=s)
        assert (again.version, again.title) == (2, "改：网银盗刷")
        assert again.fraud is not None and again.fraud.transactions
        assert [e.kind for e in again.timeline][:1] == ["status_change"]
        actions = s.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "incident", AuditEntry.entity_id == str(incident_id))
            .order_by(AuditEntry.seq)
        ).all()
        assert actions == ["create", "update"]
