"""Assessing incidents on SQLite and PostgreSQL: the level, the why, the override, history."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from ebconsole.assessment import service as assessment
from ebconsole.assessment.enums import PolicyName
from ebconsole.assessment.models import Assessment, PolicyRevision
from ebconsole.assessment.policy_store import read_defaults
from ebconsole.assessment.schemas import AssessmentCreate, Criteria, PolicyInput
from ebconsole.audit.models import AuditEntry
from ebconsole.errors import InvalidTransition, PermissionDenied, StaleRecord, ValidationFailed
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Severity, Status, TimelineKind
from tests.ebconsole.assessment.flows import LEVEL_I, LEVEL_III, LEVEL_IV, advance, assess, report


def test_assessing_sets_the_level_moves_to_assessing_and_records_why(db, coordinator, clerk):
    incident_id = report(db, clerk)
    with db.session(coordinator) as s:
        row = assessment.assess(
            incident_id,
            AssessmentCreate(
                criteria=LEVEL_I,
                notify=["电子银行部 李明", "科技部 值班经理"],
                decision_note="建议立即启动应急响应",
            ),
            session=s,
        )
        assert (row.computed_level, row.final_level) == (Severity.I, Severity.I)
        assert [t["rule_id"] for t in row.triggers] == ["I.outage.peak.multi-province"]
        assert row.policy_revision == 1 and row.assessor_name == "李明"
        incident = incidents.get(incident_id, session=s)
        assert incident.severity is Severity.I and incident.assessed_at == row.assessed_at
        assert incident.status is Status.ASSESSING
        assert [e.kind for e in incident.timeline][-3:] == [
            TimelineKind.STATUS_CHANGE,
            TimelineKind.ASSESSMENT,
            TimelineKind.NOTIFICATION,
        ]
        entry = next(e for e in incident.timeline if e.kind is TimelineKind.ASSESSMENT)
        assert "建议立即启动应急响应" in entry.text and "180" in entry.text
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "assessment")).all()
        assert [(a.action, a.entity_id, a.actor_name) for a in audit] == [
            ("create", str(row.id), "coord")
        ]
    with db.session(readonly=True) as s:  # the same order when read back
        assert [e.kind for e in incidents.get(incident_id, session=s).timeline][-3:] == [
            TimelineKind.STATUS_CHANGE,
            TimelineKind.ASSESSMENT,
            TimelineKind.NOTIFICATION,
        ]


def test_an_override_needs_a_reason(db, coordinator):
    incident_id = report(db, coordinator)
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        assessment.assess(
            incident_id, AssessmentCreate(criteria=LEVEL_I, override_level=Severity.II), session=s
        )
    assert [(e.field, e.code) for e in err.value.errors] == [("override_reason", "reason_required")]
    with db.session(coordinator) as s:
        row = assessment.assess(
            incident_id,
            AssessmentCreate(
                criteria=LEVEL_I,
                override_level=Severity.II,
                override_reason="故障发生在凌晨，实际受影响客户很少",
            ),
            session=s,
        )
        assert (row.computed_level, row.final_level, row.overridden) == (
            Severity.I,
            Severity.II,
            True,
        )
        assert incidents.get(incident_id, session=s).severity is Severity.II
        assert "凌晨" in assessment.summary(row, lambda t: t)


def test_reassessment_keeps_history(db, coordinator):
    incident_id = report(db, coordinator)
    assess(db, coordinator, incident_id, LEVEL_IV)
    assess(db, coordinator, incident_id, LEVEL_III)
    with db.session(readonly=True) as s:
        history = assessment.list_assessments(incident_id, session=s)
        assert [a.final_level for a in history] == [Severity.IV, Severity.III]
        assert incidents.get(incident_id, session=s).severity is Severity.III


def test_bad_criteria_are_named_and_nothing_is_saved(db, coordinator):
    incident_id = report(db, coordinator)
    with db.session(coordinator) as s, pytest.raises(ValidationFailed) as err:
        assessment.assess(
            incident_id,
            AssessmentCreate(
                criteria=Criteria(outage_minutes=-5, funds_involved="12.345"),
                notify=["", "x" * 200],
            ),
            session=s,
        )
    assert {e.field: e.code for e in err.value.errors} == {
        "criteria.outage_minutes": "not_in_range",
        "criteria.funds_involved": "amount_decimals",
        "notify[0]": "required",
        "notify[1]": "too_long",
    }
    with db.session(readonly=True) as s:
        assert s.scalars(select(Assessment)).all() == []


def test_a_clerk_may_not_assess_and_a_closed_incident_keeps_its_level(db, coordinator, clerk):
    incident_id = report(db, clerk)
    with db.session(clerk) as s, pytest.raises(PermissionDenied):
        assessment.assess(incident_id, AssessmentCreate(criteria=LEVEL_IV), session=s)
    assess(db, coordinator, incident_id, LEVEL_IV)
    with db.session(coordinator) as s:
        incidents.advance(incident_id, Status.DISMISSED, reason="误报：监控探针故障", session=s)
    with db.session(coordinator) as s, pytest.raises(InvalidTransition) as err:
        assessment.assess(incident_id, AssessmentCreate(criteria=LEVEL_I), session=s)
    assert err.value.code == "incident_closed"


def test_policy_defaults_load_once(db, admin):
    with db.session(admin) as s:
        assessment.load_defaults(session=s)
        assessment.load_defaults(session=s)
        assert [r.revision for r in assessment.list_policy_revisions(session=s)] == [1]
        assert assessment.get_policy(session=s).default_level is Severity.IV


def test_only_administrators_edit_the_policy_and_each_save_is_a_revision(db, admin, coordinator):
    document = copy.deepcopy(read_defaults(PolicyName.GRADING))
    document["rules"][0]["when"]["outage_minutes"] = 120
    with db.session(coordinator) as s, pytest.raises(PermissionDenied):
        assessment.update_policy(PolicyInput(document=document), session=s)
    broken = copy.deepcopy(document)
    broken["rules"][2]["when"]["customers"] = 10
    with db.session(admin) as s, pytest.raises(ValidationFailed) as err:
        assessment.update_policy(PolicyInput(document=broken, base_revision=1), session=s)
    assert [(e.field, e.code) for e in err.value.errors] == [
        ("rules[2].when.customers", "policy_unknown_criterion")
    ]
    with db.session(admin) as s:
        policy = assessment.update_policy(
            PolicyInput(document=document, base_revision=1, note="总行风险管理部2026年复核"),
            session=s,
        )
        assert policy.revision == 2
    with db.session(admin) as s, pytest.raises(StaleRecord):
        assessment.update_policy(PolicyInput(document=document, base_revision=1), session=s)

    incident_id = report(db, coordinator)
    assess(db, coordinator, incident_id, LEVEL_I.model_copy(update={"outage_minutes": 130}))
    with db.session(readonly=True) as s:
        (row,) = assessment.list_assessments(incident_id, session=s)
        assert (row.policy_revision, row.final_level) == (2, Severity.I)
        audit = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "policy_revision")
            .where(AuditEntry.actor_name == "admin")
        ).all()
        assert len(audit) == 1
        assert s.scalars(
            select(PolicyRevision.revision).where(PolicyRevision.name == "grading")
        ).all() == [1, 2]
    advance(db, coordinator, incident_id, Status.ACTIVATED)
