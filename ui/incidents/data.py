"""What the detail view shows of one incident, read in one background session as plain,
frozen data (never live ORM rows: they do not cross threads)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session, selectinload

from ebconsole.assessment import service as assessment
from ebconsole.assessment.schemas import Criteria
from ebconsole.i18n import current_language
from ebconsole.improvements import service as improvements
from ebconsole.improvements.enums import PENDING_STATUSES
from ebconsole.incidents import lifecycle
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Category, Channel, FraudChannel, Severity, Status
from ebconsole.incidents.models import FraudReport, Incident
from ebconsole.obligations import service as obligations
from ebconsole.obligations.enums import ObligationKind
from ebconsole.obligations.policy import AFTER_ACTIVATION, stop_payment_expiry
from ebconsole.resources import usage
from ebconsole.resources.usage import ResourceUseRow
from ebconsole.timeutil import to_local, utcnow
from ui.models.incidents_model import ImprovementRow, ObligationRow, TimelineRow, TransactionRow


@dataclass(frozen=True)
class FraudView:
    customer_name: str
    id_number: str | None
    phone: str | None
    account_number: str | None
    channel: FraudChannel | None
    police_report_no: str | None
    stop_payment_requested_at: datetime | None
    stop_payment_extensions: int
    max_extensions: int
    freeze_requested_at: datetime | None
    expires_at: datetime | None  # when the stop-payment runs out (None: not requested)
    expiry_done: bool  # the stop-payment expiry obligation was recorded as handled
    transactions: tuple[TransactionRow, ...]
    total: Decimal


@dataclass(frozen=True)
class ActivationDeadline:
    """A deadline that starts when the response is activated (for the assessment result)."""

    kind: ObligationKind
    minutes: int


@dataclass(frozen=True)
class IncidentDetail:
    id: uuid.UUID
    version: int
    reference: str
    title: str
    category: Category
    subcategory: str | None  # label in the current language (or the code)
    channel: Channel
    occurred_at: datetime | None
    reported_at: datetime
    reporter_name: str
    reporter_department: str | None
    reporter_phone: str | None
    branch: str | None
    description: str | None
    affected_services: tuple[str, ...]
    severity: Severity | None
    status: Status
    owner: str
    in_scope: bool
    out_of_scope_reason: str | None
    handed_off_to: str | None
    dismissed_reason: str | None
    assessed_at: datetime | None
    activated_at: datetime | None
    restored_at: datetime | None
    closed_at: datetime | None
    review_cause: str | None
    review_handling: str | None
    review_lessons: str | None
    reviewed_by: str | None
    archived: bool
    timeline: tuple[TimelineRow, ...]
    obligations: tuple[ObligationRow, ...]
    fraud: FraudView | None
    improvements: tuple[ImprovementRow, ...]
    criteria: Criteria | None  # of the assessment in force, to start a re-assessment from
    resources_used: tuple[ResourceUseRow, ...] = ()  # inventory items the response used

    @property
    def closed(self) -> bool:
        return self.status in assessment.CLOSED

    def transitions(self) -> list[lifecycle.Transition]:
        return lifecycle.transitions_from(self.status)


def _fraud_view(
    report: FraudReport, obligation_rows: list[ObligationRow], *, session: Session
) -> FraudView:
    expiry_row = next(
        (o for o in obligation_rows if o.kind is ObligationKind.STOP_PAYMENT_EXPIRY), None
    )
    policy = obligations.get_policy(session=session)
    rule = policy.rules[ObligationKind.STOP_PAYMENT_EXPIRY]
    expires_at = None
    if expiry_row is not None:
        expires_at = expiry_row.due_at
    elif report.stop_payment_requested_at is not None:
        expires_at = stop_payment_expiry(
            report.stop_payment_requested_at, report.stop_payment_extensions, rule
        )
    transactions = tuple(
        TransactionRow(
            id=tx.id,
            time=tx.time,
            amount=tx.amount,
            currency=tx.currency,
            counterparty_name=tx.counterparty_name,
            counterparty_account=tx.counterparty_account,
            counterparty_bank=tx.counterparty_bank,
            reference=tx.reference,
        )
        for tx in report.transactions
    )
    return FraudView(
        customer_name=report.customer_name,
        id_number=report.id_number,
        phone=report.phone,
        account_number=report.account_number,
        channel=report.channel,
        police_report_no=report.police_report_no,
        stop_payment_requested_at=report.stop_payment_requested_at,
        stop_payment_extensions=report.stop_payment_extensions,
        max_extensions=min(incidents.MAX_STOP_PAYMENT_EXTENSIONS, rule.max_extensions),
        freeze_requested_at=report.freeze_requested_at,
        expires_at=expires_at,
        expiry_done=expiry_row is not None and expiry_row.done_at is not None,
        transactions=transactions,
        total=sum((tx.amount for tx in transactions), Decimal("0")),
    )


def obligation_rows(incident_id: uuid.UUID, *, session: Session) -> list[ObligationRow]:
    return [
        ObligationRow(
            id=o.id,
            kind=o.kind,
            due_at=o.due_at,
            remind_at=o.remind_at,
            estimated=o.due_estimated,
            done_at=o.done_at,
            done_by=o.done_by,
            note=o.note,
        )
        for o in obligations.list_obligations(incident_id=incident_id, session=session)
    ]


def _subtype_label(incident: Incident, *, session: Session) -> str | None:
    if not incident.subcategory:
        return None
    index = incidents.subtype_index(session=session)
    for sub in index.by_category.get(incident.category, []):
        if sub.code == incident.subcategory:
            return sub.label_zh if current_language() == "zh_CN" else sub.label_en
    return incident.subcategory


def load_detail(incident_id: uuid.UUID, session: Session) -> IncidentDetail:
    """Everything the detail view shows, in one read-only session (runs on a worker)."""
    incident = session.get(
        Incident,
        incident_id,
        options=[selectinload(Incident.timeline), selectinload(Incident.fraud)],
    )
    if incident is None:
        incident = incidents.get(incident_id, session=session)  # raises NotFound
    owner = incident.owner
    deadlines = obligation_rows(incident.id, session=session)
    fraud = (
        _fraud_view(incident.fraud, deadlines, session=session)
        if incident.fraud is not None
        else None
    )
    today = to_local(utcnow()).date()
    actions = tuple(
        ImprovementRow(
            id=a.id,
            title=a.title,
            owner=a.owner_name,
            due_date=a.due_date,
            status=a.status,
            overdue=a.status in PENDING_STATUSES and a.due_date < today,
        )
        for a in improvements.list_actions(source_id=incident.id, session=session)
    )
    graded = assessment.list_assessments(incident.id, session=session)
    criteria = Criteria.model_validate(graded[-1].criteria) if graded else None
    return IncidentDetail(
        id=incident.id,
        version=incident.version,
        reference=incident.reference,
        title=incident.title,
        category=incident.category,
        subcategory=_subtype_label(incident, session=session),
        channel=incident.channel,
        occurred_at=incident.occurred_at,
        reported_at=incident.reported_at,
        reporter_name=incident.reporter_name,
        reporter_department=incident.reporter_department,
        reporter_phone=incident.reporter_phone,
        branch=incident.branch,
        description=incident.description,
        affected_services=tuple(incident.affected_services or ()),
        severity=incident.severity,
        status=incident.status,
        owner=(owner.display_name or owner.username) if owner is not None else "",
        in_scope=incident.in_scope,
        out_of_scope_reason=incident.out_of_scope_reason,
        handed_off_to=incident.handed_off_to,
        dismissed_reason=incident.dismissed_reason,
        assessed_at=incident.assessed_at,
        activated_at=incident.activated_at,
        restored_at=incident.restored_at,
        closed_at=incident.closed_at,
        review_cause=incident.review_cause,
        review_handling=incident.review_handling,
        review_lessons=incident.review_lessons,
        reviewed_by=incident.reviewed_by,
        archived=incident.archived_at is not None,
        timeline=tuple(
            TimelineRow(id=e.id, at=e.at, kind=e.kind, actor=e.actor_name, text=e.text)
            for e in incident.timeline
        ),
        obligations=tuple(deadlines),
        fraud=fraud,
        improvements=actions,
        criteria=criteria,
        resources_used=tuple(usage.uses_of(incident.id, session=session)),
    )


@dataclass(frozen=True)
class AssessmentOutcome:
    """What the assessment dialog shows after saving: the level and the deadlines."""

    level: Severity
    computed: Severity
    status: Status
    deadlines: tuple[ObligationRow, ...]
    on_activation: tuple[ActivationDeadline, ...]  # deadlines that start on activation


def load_outcome(incident_id: uuid.UUID, session: Session) -> AssessmentOutcome:
    incident = incidents.get(incident_id, session=session)
    graded = assessment.list_assessments(incident.id, session=session)
    last = graded[-1]
    policy = obligations.get_policy(session=session)
    later: list[ActivationDeadline] = []
    if incident.activated_at is None and incident.in_scope:
        for kind in AFTER_ACTIVATION:
            rule = policy.rules[kind]
            if rule.enabled and last.final_level in rule.levels:
                later.append(ActivationDeadline(kind, rule.minutes))
    return AssessmentOutcome(
        level=last.final_level,
        computed=last.computed_level,
        status=incident.status,
        deadlines=tuple(obligation_rows(incident.id, session=session)),
        on_activation=tuple(later),
    )


def default_due_date(days: int = 30) -> date:
    return to_local(utcnow() + timedelta(days=days)).date()
