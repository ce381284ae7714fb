"""Grading policy and assessments (plan §4.2 初步评估与决策). Services flush, never commit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import ebconsole.assessment.messages  # noqa: F401  (registers error codes and labels)
from ebconsole.assessment import policy_store
from ebconsole.assessment.enums import Criterion, PolicyName
from ebconsole.assessment.grading import (
    MAX_COUNT,
    GradingPolicy,
    Proposal,
    describe,
    evaluate,
    level_label,
    parse_policy,
)
from ebconsole.assessment.models import Assessment, PolicyRevision
from ebconsole.assessment.schemas import AssessmentCreate, Criteria, PolicyInput
from ebconsole.db.session import actor_of
from ebconsole.errors import InvalidTransition, NotFound
from ebconsole.i18n import N_, Translate, _
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import STATUS_LABELS, Severity, Status, TimelineKind
from ebconsole.obligations import service as obligations
from ebconsole.timeutil import utcnow
from ebconsole.users.permissions import Permission, authorize
from ebconsole.validation import Checker

# a closed incident keeps the level it was closed with
CLOSED = frozenset({Status.REVIEWED, Status.DISMISSED, Status.OUT_OF_SCOPE})
MAX_NOTIFIED = 30


# -- policy ------------------------------------------------------------------------------
def load_defaults(*, session: Session) -> None:
    """Store resources/plan/grading_policy.json as revision 1 (idempotent)."""
    policy_store.load_defaults(PolicyName.GRADING, parse_policy, session=session)


def get_policy(*, session: Session) -> GradingPolicy:
    return policy_store.current(PolicyName.GRADING, parse_policy, session=session)


def update_policy(data: PolicyInput, *, session: Session) -> GradingPolicy:
    """Save a new revision (administrators only); errors name the field, e.g.
    `rules[3].when.outage_minutes`."""
    return policy_store.save(PolicyName.GRADING, data, parse_policy, session=session)


def list_policy_revisions(*, session: Session) -> list[PolicyRevision]:
    return policy_store.revisions(PolicyName.GRADING, session=session)


# -- assessments -------------------------------------------------------------------------
def check_criteria(criteria: Criteria, checker: Checker) -> None:
    for criterion in Criterion:
        if criterion.is_flag:
            continue
        field = f"criteria.{criterion.value}"
        value = getattr(criteria, criterion.value)
        if criterion.is_money:
            if value < 0:
                checker.fail(field, "amount_negative")
            elif value > 0:
                checker.amount(field, value)
        else:
            checker.integer(field, value, min_value=0, max_value=MAX_COUNT)


def propose(criteria: Criteria, *, session: Session) -> Proposal:
    """What the policy in force says for these criteria (the dialog's live preview)."""
    c = Checker()
    check_criteria(criteria, c)
    c.raise_if_failed()
    return evaluate(get_policy(session=session), criteria)


def assess(incident_id: uuid.UUID, data: AssessmentCreate, *, session: Session) -> Assessment:
    """Grade an incident: store the assessment, set its severity, move a reported incident
    to assessing, record it on the timeline and bring its obligations up to date."""
    authorize(session, Permission.ASSESS)
    actor = actor_of(session)
    incident = incidents.get(incident_id, session=session)
    if incident.status in CLOSED:
        raise InvalidTransition.one(
            "incident_closed", "status", status_label=STATUS_LABELS[incident.status]
        )
    c = Checker()
    check_criteria(data.criteria, c)
    override = c.choice("override_level", data.override_level, Severity)
    reason = c.text("override_reason", data.override_reason, max_len=1000, multiline=True)
    note = c.text("decision_note", data.decision_note, max_len=4000, multiline=True)
    notified = _check_notified(c, data.notify)
    policy = get_policy(session=session)
    proposal = evaluate(policy, data.criteria) if c.ok else None
    if proposal and override and override is not proposal.level and not reason:
        c.fail("override_reason", "reason_required")
    c.raise_if_failed()
    assert proposal is not None
    final = override or proposal.level
    now = utcnow()
    row = Assessment(
        incident_id=incident.id,
        assessed_at=now,
        criteria=criteria_json(data.criteria),
        computed_level=proposal.level,
        final_level=final,
        override_reason=reason if final is not proposal.level else None,
        triggers=[t.as_dict() for t in proposal.triggers],
        notified=notified,
        decision_note=note,
        assessor_name=actor.name,
        assessor_user_id=actor.user_id,
        policy_revision=policy.revision,
    )
    session.add(row)
    incident.severity = final
    incident.assessed_at = now
    session.flush()
    if incident.status is Status.REPORTED:
        incidents.advance(incident.id, Status.ASSESSING, session=session)
    # after the status change, so the timeline reads "→ assessing", the level, who was told
    incidents.add_timeline_entry(
        incident, TimelineKind.ASSESSMENT, summary(row, _), session=session
    )
    if notified:
        incidents.add_timeline_entry(
            incident,
            TimelineKind.NOTIFICATION,
            _("Notified: {names}").format(names=", ".join(notified)),
            session=session,
        )
    obligations.sync_for_incident(incident, session=session)
    return row


def _check_notified(c: Checker, names: list[str]) -> list[str]:
    if len(names) > MAX_NOTIFIED:
        c.fail("notify", "too_many", max=MAX_NOTIFIED)
        return []
    checked = [
        c.text(f"notify[{i}]", name, required=True, max_len=120) for i, name in enumerate(names)
    ]
    return [name for name in checked if name]


def criteria_json(criteria: Criteria) -> dict[str, Any]:
    return {
        k: (str(v) if k == Criterion.FUNDS_INVOLVED else v)
        for k, v in criteria.model_dump().items()
    }


def summary(assessment: Assessment, tr: Translate) -> str:
    """One paragraph for the timeline and reports: the level, the override, the why."""
    level = level_label(assessment.final_level, tr)
    if assessment.overridden:
        text = tr("Assessed as {level} (the policy proposed {computed}); reason: {reason}").format(
            level=level,
            computed=level_label(assessment.computed_level, tr),
            reason=assessment.override_reason,
        )
    else:
        text = tr("Assessed as {level}").format(level=level)
    why = "; ".join(describe(t, tr) for t in assessment.triggers)
    text += "\n" + (
        tr("Why: {why}").format(why=why)
        if why
        else tr("No rule of the grading policy matched: its default level applies")
    )
    if assessment.decision_note:
        text += "\n" + assessment.decision_note
    return text


def get(assessment_id: uuid.UUID, *, session: Session) -> Assessment:
    row = session.get(Assessment, assessment_id)
    if row is None:
        raise NotFound.one("not_found", None, entity_label=N_("assessment"), key=str(assessment_id))
    return row


def list_assessments(incident_id: uuid.UUID, *, session: Session) -> list[Assessment]:
    """Every assessment of an incident, oldest first (the last one is in force)."""
    return list(
        session.scalars(
            select(Assessment)
            .where(Assessment.incident_id == incident_id)
            .order_by(Assessment.assessed_at, Assessment.created_at)
        )
    )
