"""`list_obligations(due_before=…)`: the open deadlines up to an instant (the Overview's
"overdue and next 24 hours"), in one query, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from ebconsole.incidents import service as incidents
from ebconsole.obligations import service as obligations
from ebconsole.obligations.enums import ObligationKind as Kind
from ebconsole.timeutil import utcnow
from tests.ebconsole.assessment.flows import LEVEL_I, activate


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
