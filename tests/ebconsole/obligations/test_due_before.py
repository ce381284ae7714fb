"""`list_obligations(due_before=…)`: the open deadlines up to an instant (the Overview's
"overdue and next 24 hours"), in one query, on SQLite and PostgreSQL; the earliest few
with `limit` and how many with `count_due`; the next-deadline lookup of a page."""

from __future__ import annotations

import shutil
import uuid
from datetime import timedelta

from sqlalchemy import event

from ebconsole.db.session import Database
from ebconsole.incidents import service as incidents
from ebconsole.obligations import service as obligations
from ebconsole.obligations.enums import ObligationKind as Kind
from ebconsole.timeutil import utcnow
from tests.ebconsole.assessment.flows import LEVEL_I, activate
from tests.support.world import World


def test_due_before_keeps_the_open_deadlines_up_to_that_instant(db, coordinator):
    late = activate(db, coordinator, LEVEL_I)
    fresh = activate(db, coordinator, LEVEL_I)
    with db.session(coordinator) as s:
        incident = incidents.get(late, session=s)
        incident.activated_at = utcnow() - timedelta(hours=3)
        obligations.sync_for_incident(incident, session=s)  # both reports overdue
        done = obligations.list_obligations(incident_id=fresh, session=s)[0]
        obligations.complete(done.id, session=s)  # the fresh one's brief report is sent
    now = utcnow()
    with db.session(readonly=True) as s:
        in_an_hour = obligations.list_obligations(session=s, due_before=now + timedelta(hours=1))
        assert [(o.incident_id, o.kind) for o in in_an_hour] == [
            (late, Kind.INITIAL_REPORT),
            (late, Kind.WRITTEN_REPORT),
        ]
        in_a_day = obligations.list_obligations(session=s, due_before=now + timedelta(hours=24))
        assert [(o.incident_id, o.kind) for o in in_a_day] == [
            (late, Kind.INITIAL_REPORT),
            (late, Kind.WRITTEN_REPORT),
            (fresh, Kind.WRITTEN_REPORT),
        ]
        assert all(o.done_at is None for o in in_a_day)
        assert in_a_day[2].incident.reference  # the incident comes with it
        # everything, done or not, without the bound
        assert len(obligations.list_obligations(session=s)) == 4


def test_the_overview_reads_the_earliest_few_and_counts_the_rest(db, coordinator):
    late = activate(db, coordinator, LEVEL_I)
    other = activate(db, coordinator, LEVEL_I)
    with db.session(coordinator) as s:
        incident = incidents.get(late, session=s)
        incident.activated_at = utcnow() - timedelta(hours=3)
        obligations.sync_for_incident(incident, session=s)  # both its reports overdue
        incidents.get(other, session=s).branch = "北京分行营业部"
    now = utcnow()
    bound = now + timedelta(hours=24)
    with db.session(readonly=True) as s:
        every = obligations.list_obligations(session=s, due_before=bound)
        first = obligations.list_obligations(session=s, due_before=bound, limit=3)
        assert [o.id for o in first] == [o.id for o in every[:3]]
        assert len(every) == 4
        assert obligations.count_due(session=s, due_before=bound, now=now) == (4, 2)
        branch = obligations.list_obligations(
            session=s, due_before=bound, branch="北京分行营业部", limit=1
        )
        assert [(o.incident_id, o.kind) for o in branch] == [(other, Kind.INITIAL_REPORT)]
        counted = obligations.count_due(
            session=s, due_before=bound, now=now, branch="北京分行营业部"
        )
        assert (counted.total, counted.overdue) == (2, 0)
        assert obligations.count_due(session=s, due_before=bound, branch="上海分行营业部") == (0, 0)


def test_next_deadlines_look_up_the_incidents_not_every_open_deadline(world_db_path, tmp_path):
    """The Incidents tab's next-deadline column: the lookup reads each incident's rows of
    the (incident_id, kind) index, so its cost does not grow with the open deadlines of
    the whole database (SQLite chose the open-deadline index for the earlier query)."""
    path = tmp_path / "plan.sqlite3"
    shutil.copyfile(world_db_path, path)
    db = Database(str(path))
    try:
        coordinator = World.load(db).coordinator
        ids = [activate(db, coordinator, LEVEL_I) for _ in range(2)]
        statements: list[tuple[str, object]] = []

        def keep(_conn, _cursor, statement, parameters, _context, _many):
            statements.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", keep)
        try:
            with db.session(readonly=True) as s:
                page = [*ids, *(uuid.uuid4() for _ in range(198))]  # a page of 200
                found = obligations.next_deadline_for(page, session=s)
        finally:
            event.remove(db.engine, "before_cursor_execute", keep)
        assert set(found) == set(ids)
        (statement, parameters), *_rest = (x for x in statements if "obligation" in x[0])
        with db.engine.connect() as conn:
            plan = " ".join(
                row[-1]
                for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            )
        assert "(incident_id=?)" in plan and "ix_obligation_open_due" not in plan, plan
    finally:
        db.dispose()
