"""Obligations on SQLite and PostgreSQL: created by the lifecycle, kept current by sync,
completed by the duty room, listed overdue in one query."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from ebconsole.assessment.enums import PolicyName
from ebconsole.assessment.policy_store import read_defaults
from ebconsole.assessment.schemas import PolicyInput
from ebconsole.audit.models import AuditEntry
from ebconsole.errors import InvalidTransition, PermissionDenied, ValidationFailed
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Status, TimelineKind
from ebconsole.obligations import service as obligations
from ebconsole.obligations.enums import ObligationKind as Kind
from ebconsole.obligations.enums import ObligationState as State
from ebconsole.obligations.models import Obligation
from ebconsole.obligations.serialize import obligation_to_dict
from ebconsole.obligations.workdays import CHINA
from ebconsole.timeutil import utcnow
from tests.ebconsole.assessment.flows import (
    LEVEL_I,
    LEVEL_IV,
    activate,
    advance,
    assess,
    report,
    report_fraud,
)


def kinds(rows: list[Obligation]) -> list[Kind]:
    return [o.kind for o in rows]


def test_activation_sets_report_deadlines_and_sync_is_idempotent(db, coordinator):
    incident_id = activate(db, coordinator)
    with db.session(coordinator) as s:
        incident = incidents.get(incident_id, session=s)
        rows = obligations.list_obligations(incident_id=incident_id, session=s)
        assert kinds(rows) == [Kind.INITIAL_REPORT, Kind.WRITTEN_REPORT]
        assert rows[0].due_at == incident.activated_at + timedelta(minutes=30)
        assert rows[1].due_at == incident.activated_at + timedelta(hours=2)
        assert rows[0].state is State.PENDING
        before = {(o.id, o.version) for o in rows}
        for _ in range(3):
            again = obligations.sync_for_incident(incident, session=s)
        assert {(o.id, o.version) for o in again} == before
    with db.session(readonly=True) as s:
        assert len(s.scalars(select(Obligation)).all()) == 2
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "obligation")).all()
        assert sorted(a.action for a in audit) == ["create", "create"]


def test_the_post_incident_report_counts_chinese_working_days(db, coordinator):
    incident_id = activate(db, coordinator, LEVEL_IV)
    advance(db, coordinator, incident_id, Status.HANDLING, Status.RECOVERING, Status.RESTORED)
    with db.session(coordinator) as s:
        incident = incidents.get(incident_id, session=s)
        (row,) = obligations.list_obligations(incident_id=incident_id, session=s)
        assert row.kind is Kind.POST_INCIDENT_REPORT and row.due_at > incident.restored_at
        # restored on the eve of National Day 2025: due at the end of Tue 14 Oct
        incident.restored_at = datetime(2025, 9, 30, 8, 20, tzinfo=UTC)
        (row,) = obligations.sync_for_incident(incident, session=s)
        assert row.due_at.astimezone(CHINA) == datetime(2025, 10, 14, 23, 59, 59, tzinfo=CHINA)
        assert row.version == 2 and not row.due_estimated


def test_completing_records_who_and_when(db, coordinator, clerk):
    incident_id = activate(db, coordinator, LEVEL_I)
    with db.session(readonly=True) as s:
        first, second = (
            o.id for o in obligations.list_obligations(incident_id=incident_id, session=s)
        )
    with db.session(clerk) as s, pytest.raises(PermissionDenied):
        obligations.complete(first, session=s)
    with db.session(coordinator) as s:
        done = obligations.complete(first, note="已电话报告人民银行营业管理部科技处", session=s)
        assert (done.state, done.done_by, done.done_at <= utcnow()) == (State.DONE, "李明", True)
        assert obligations.complete(second, session=s).state is State.DONE
    with db.session(coordinator) as s, pytest.raises(InvalidTransition) as err:
        obligations.complete(first, session=s)
    assert err.value.code == "already_done"
    with db.session(readonly=True) as s:
        entries = [
            e
            for e in incidents.get(incident_id, session=s).timeline
            if e.kind is TimelineKind.NOTIFICATION
        ]
        assert len(entries) == 2 and "人民银行" in entries[0].text
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == str(first)).order_by(AuditEntry.at)
        ).all()
        assert [(a.action, a.actor_name) for a in audit] == [
            ("create", "coord"),
            ("update", "coord"),
        ]


def test_a_completion_time_in_the_future_is_refused(db, coordinator):
    incident_id = activate(db, coordinator)
    with db.session(coordinator) as s:
        row = obligations.list_obligations(incident_id=incident_id, session=s)[0]
        with pytest.raises(ValidationFailed) as err:
            obligations.complete(row.id, at=utcnow() + timedelta(hours=1), session=s)
    assert [(e.field, e.code) for e in err.value.errors] == [("at", "datetime_in_future")]


def test_done_late_when_entered_after_the_deadline(db, coordinator):
    incident_id = activate(db, coordinator)
    with db.session(coordinator) as s:
        incident = incidents.get(incident_id, session=s)
        incident.activated_at = utcnow() - timedelta(hours=3)
        rows = obligations.sync_for_incident(incident, session=s)
        assert [o.state for o in rows] == [State.OVERDUE, State.OVERDUE]
        row = obligations.complete(rows[0].id, at=utcnow() - timedelta(minutes=90), session=s)
        assert row.state is State.DONE_LATE


def test_a_lower_level_archives_pending_reports_but_keeps_done_ones(db, coordinator):
    incident_id = activate(db, coordinator, LEVEL_I)
    with db.session(coordinator) as s:
        first, _second = obligations.list_obligations(incident_id=incident_id, session=s)
        obligations.complete(first.id, session=s)
    assess(db, coordinator, incident_id, LEVEL_IV)
    with db.session(readonly=True) as s:
        rows = obligations.list_obligations(incident_id=incident_id, session=s)
        assert kinds(rows) == [Kind.INITIAL_REPORT] and rows[0].done_at is not None
        archived = s.scalars(select(Obligation).where(Obligation.archived_at.is_not(None))).all()
        assert kinds(archived) == [Kind.WRITTEN_REPORT]
    assess(db, coordinator, incident_id, LEVEL_I)  # graded up again: the same row comes back
    with db.session(readonly=True) as s:
        rows = obligations.list_obligations(incident_id=incident_id, session=s)
        assert kinds(rows) == [Kind.INITIAL_REPORT, Kind.WRITTEN_REPORT]
        assert len(s.scalars(select(Obligation)).all()) == 2


def test_stop_payment_window_and_its_extension_limit(db, clerk, coordinator):
    incident_id = report_fraud(db, clerk)
    stopped = utcnow() - timedelta(minutes=20)
    with db.session(coordinator) as s:
        incidents.request_stop_payment(incident_id, stopped, session=s)
        (row,) = obligations.list_obligations(incident_id=incident_id, session=s)
        assert row.kind is Kind.STOP_PAYMENT_EXPIRY
        assert row.due_at == stopped + timedelta(hours=48)
        assert obligations.max_stop_payment_extensions(session=s) == 2
    for windows in (2, 3):
        with db.session(coordinator) as s:
            incidents.extend_stop_payment(incident_id, session=s)
            (row,) = obligations.list_obligations(incident_id=incident_id, session=s)
            assert row.due_at == stopped + timedelta(hours=48 * windows)
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        incidents.extend_stop_payment(incident_id, session=s)
    assert err.value.errors[0].field == "fraud.stop_payment_extensions"
    assert err.value.code == "stop_payment_extension_limit"


def test_overdue_list_count_and_next_deadline(db, coordinator, clerk):
    first = activate(db, coordinator, LEVEL_I)
    second = activate(db, coordinator)
    quiet = report(db, clerk)
    fraud = report_fraud(db, clerk)
    with db.session(coordinator) as s:
        incidents.request_stop_payment(fraud, session=s)
    now = utcnow()
    with db.session(readonly=True) as s:
        queries: list[str] = []
        listen = lambda *args: queries.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            overdue = obligations.list_obligations(
                overdue_only=True, session=s, now=now + timedelta(hours=3)
            )
            assert [o.incident.reference for o in overdue]  # loaded with the same query
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        assert len([q for q in queries if q.lstrip().upper().startswith("SELECT")]) == 1
        assert [(o.incident_id, o.kind) for o in overdue] == [
            (first, Kind.INITIAL_REPORT),
            (second, Kind.INITIAL_REPORT),
            (first, Kind.WRITTEN_REPORT),
            (second, Kind.WRITTEN_REPORT),
        ]
        assert obligations.overdue_count(session=s, now=now + timedelta(hours=3)) == 4
        assert obligations.overdue_count(session=s, now=now) == 0
        assert obligations.overdue_count(session=s, now=now + timedelta(hours=49)) == 5
        as_dict = obligation_to_dict(overdue[0], now=now + timedelta(hours=3))
        assert (as_dict["kind"], as_dict["state"], as_dict["incident_id"]) == (
            "initial_report",
            "overdue",
            str(first),
        )
        nexts = obligations.next_deadline_for([first, second, quiet, fraud], session=s)
        assert set(nexts) == {first, second, fraud}
        assert nexts[first] == overdue[0].due_at


def test_a_policy_change_moves_open_deadlines_only(db, admin, coordinator):
    done_id = activate(db, coordinator)
    open_id = activate(db, coordinator)
    with db.session(coordinator) as s:
        for row in obligations.list_obligations(incident_id=done_id, session=s):
            obligations.complete(row.id, session=s)
    document = copy.deepcopy(read_defaults(PolicyName.OBLIGATIONS))
    document["obligations"]["initial_report"]["minutes"] = 60
    with db.session(coordinator) as s, pytest.raises(PermissionDenied):
        obligations.update_policy(PolicyInput(document=document), session=s)
    with db.session(admin) as s:
        assert (
            obligations.update_policy(
                PolicyInput(document=document, base_revision=1), session=s
            ).revision
            == 2
        )
    with db.session(readonly=True) as s:
        moved = obligations.list_obligations(incident_id=open_id, session=s)[0]
        kept = obligations.list_obligations(incident_id=done_id, session=s)[0]
        activated = {i: incidents.get(i, session=s).activated_at for i in (done_id, open_id)}
        assert moved.due_at == activated[open_id] + timedelta(minutes=60)
        assert kept.due_at == activated[done_id] + timedelta(minutes=30)
