"""Deadlines the obligation policy sets, and where each obligation stands. No database."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from ebconsole.assessment.enums import PolicyName
from ebconsole.assessment.policy_store import read_defaults
from ebconsole.errors import ValidationFailed
from ebconsole.incidents.enums import Severity
from ebconsole.obligations.enums import ObligationKind as Kind
from ebconsole.obligations.enums import ObligationState as State
from ebconsole.obligations.models import Obligation
from ebconsole.obligations.policy import IncidentFacts, deadlines, parse_policy
from ebconsole.obligations.workdays import CHINA

POLICY = parse_policy(read_defaults(PolicyName.OBLIGATIONS), 1)
ACTIVATED = datetime(2025, 9, 30, 6, 0, tzinfo=UTC)  # 14:00 in Beijing


def test_level_three_activation_needs_a_brief_report_in_30_minutes_and_a_full_one_in_2_hours():
    due = deadlines(IncidentFacts(Severity.III, activated_at=ACTIVATED), POLICY)
    assert set(due) == {Kind.INITIAL_REPORT, Kind.WRITTEN_REPORT}
    assert due[Kind.INITIAL_REPORT].due_at == ACTIVATED + timedelta(minutes=30)
    assert due[Kind.INITIAL_REPORT].remind_at == ACTIVATED + timedelta(minutes=20)
    assert due[Kind.WRITTEN_REPORT].due_at == ACTIVATED + timedelta(hours=2)


def test_level_four_reports_only_after_restoration_in_working_days():
    restored = ACTIVATED + timedelta(hours=2)
    due = deadlines(
        IncidentFacts(Severity.IV, activated_at=ACTIVATED, restored_at=restored), POLICY
    )
    assert set(due) == {Kind.POST_INCIDENT_REPORT}
    assert due[Kind.POST_INCIDENT_REPORT].due_at.astimezone(CHINA) == datetime(
        2025, 10, 14, 23, 59, 59, tzinfo=CHINA
    )
    assert not due[Kind.POST_INCIDENT_REPORT].estimated


def test_an_incident_handed_off_out_of_scope_owes_no_reports():
    facts = IncidentFacts(Severity.I, activated_at=ACTIVATED, in_scope=False)
    assert deadlines(facts, POLICY) == {}


def test_nothing_is_due_before_assessment_or_activation():
    assert deadlines(IncidentFacts(), POLICY) == {}
    assert deadlines(IncidentFacts(Severity.I), POLICY) == {}


@pytest.mark.parametrize(("extensions", "hours"), [(0, 48), (1, 96), (2, 144), (7, 144)])
def test_stop_payment_lasts_48_hours_per_window_up_to_two_extensions(extensions, hours):
    stopped = datetime(2026, 3, 2, 1, 15, tzinfo=UTC)
    due = deadlines(
        IncidentFacts(stop_payment_requested_at=stopped, stop_payment_extensions=extensions), POLICY
    )
    assert due[Kind.STOP_PAYMENT_EXPIRY].due_at == stopped + timedelta(hours=hours)


def test_states_from_pending_to_done_late():
    due = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    row = Obligation(kind=Kind.INITIAL_REPORT, due_at=due, remind_at=due - timedelta(minutes=10))
    assert row.state_at(due - timedelta(minutes=11)) is State.PENDING
    assert row.state_at(due - timedelta(minutes=10)) is State.DUE_SOON
    assert row.state_at(due) is State.DUE_SOON
    assert row.state_at(due + timedelta(seconds=1)) is State.OVERDUE
    row.done_at = due
    assert row.state_at(due + timedelta(days=1)) is State.DONE
    row.done_at = due + timedelta(minutes=5)
    assert row.state_at(due) is State.DONE_LATE


def test_policy_errors_name_their_fields():
    doc = copy.deepcopy(read_defaults(PolicyName.OBLIGATIONS))
    doc["zone"] = "Mars/Olympus_Mons"
    body = doc["obligations"]
    body["initial_report"]["minutes"] = 0
    body["written_report"]["levels"] = ["II", "V", "II"]
    body["post_incident_report"]["enabled"] = "yes"
    body["stop_payment_expiry"]["max_extensions"] = -1
    body["stop_payment_expiry"]["working_days"] = 5
    body["annual_report"] = {}
    with pytest.raises(ValidationFailed) as err:
        parse_policy(doc)
    assert {e.field: e.code for e in err.value.errors} == {
        "zone": "invalid_time_zone",
        "obligations.annual_report": "policy_unknown_key",
        "obligations.initial_report.minutes": "not_in_range",
        "obligations.written_report.levels[1]": "invalid_choice",
        "obligations.written_report.levels[2]": "not_unique",
        "obligations.post_incident_report.enabled": "invalid_type",
        "obligations.stop_payment_expiry.working_days": "policy_unknown_key",
        "obligations.stop_payment_expiry.max_extensions": "not_in_range",
    }


def test_a_missing_kind_is_required():
    doc = copy.deepcopy(read_defaults(PolicyName.OBLIGATIONS))
    del doc["obligations"]["written_report"]
    with pytest.raises(ValidationFailed) as err:
        parse_policy(doc)
    assert [(e.field, e.code) for e in err.value.errors] == [
        ("obligations.written_report", "required")
    ]
