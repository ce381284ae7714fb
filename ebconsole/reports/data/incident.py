"""Everything the incident response report (事件处置报告) shows about one incident.

A fixed handful of queries: the incident with its owner and fraud report, its timeline,
transactions, assessments, obligations, improvement actions, the subtype's names and the
display names of the accounts it mentions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ebconsole.assessment.models import Assessment
from ebconsole.improvements.enums import ActionStatus, SourceKind
from ebconsole.improvements.models import ImprovementAction
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import (
    Category,
    Channel,
    FraudChannel,
    Severity,
    Status,
    TimelineKind,
)
from ebconsole.incidents.models import FraudReport, Incident, IncidentSubtype
from ebconsole.obligations.enums import ObligationKind, ObligationState
from ebconsole.obligations.models import Obligation
from ebconsole.reports.data.common import Origin, load_origin
from ebconsole.resources.enums import ResourceKind
from ebconsole.resources.models import IncidentResourceUse, Resource
from ebconsole.timeutil import utcnow
from ebconsole.users.models import User


@dataclass(frozen=True)
class TransactionData:
    time: datetime | None
    amount: Decimal
    currency: str
    counterparty_name: str | None
    counterparty_account: str | None
    counterparty_bank: str | None
    reference: str | None


@dataclass(frozen=True)
class FraudData:
    customer_name: str
    id_number: str | None
    phone: str | None
    account_number: str | None
    channel: FraudChannel | None
    police_report_no: str | None
    stop_payment_requested_at: datetime | None
    stop_payment_extensions: int
    freeze_requested_at: datetime | None
    transactions: tuple[TransactionData, ...]

    def totals(self) -> dict[str, Decimal]:
        """Amount per currency, in order of first appearance."""
        out: dict[str, Decimal] = {}
        for tx in self.transactions:
            out[tx.currency] = out.get(tx.currency, Decimal(0)) + tx.amount
        return out


@dataclass(frozen=True)
class AssessmentData:
    assessed_at: datetime
    assessor_name: str
    criteria: dict[str, Any]
    computed_level: Severity
    final_level: Severity
    override_reason: str | None
    triggers: tuple[dict[str, Any], ...]
    notified: tuple[str, ...]
    decision_note: str | None
    policy_revision: int

    @property
    def overridden(self) -> bool:
        return self.final_level is not self.computed_level


@dataclass(frozen=True)
class TimelineData:
    at: datetime
    kind: TimelineKind
    text: str
    actor_name: str
    from_status: Status | None
    to_status: Status | None


@dataclass(frozen=True)
class ObligationData:
    kind: ObligationKind
    due_at: datetime
    due_estimated: bool
    done_at: datetime | None
    done_by: str | None
    note: str | None
    state: ObligationState  # at the time the data was read
    archived: bool  # no longer applies (e.g. the incident was closed without activation)


@dataclass(frozen=True)
class ActionData:
    """An improvement action (from this incident's review, or from a drill)."""

    title: str
    description: str | None
    source_kind: SourceKind
    source_ref: str | None
    owner_name: str
    due_date: date
    status: ActionStatus
    done_at: datetime | None
    result: str | None


@dataclass(frozen=True)
class ResourceUseData:
    """A reserve of the inventory used in the response (`ebconsole.resources.usage`)."""

    used_at: datetime
    name: str
    kind: ResourceKind
    quantity: int | None
    unit: str | None
    used_by: str
    note: str | None


@dataclass(frozen=True)
class IncidentData:
    origin: Origin
    id: uuid.UUID
    reference: str
    title: str
    category: Category
    subcategory: str | None
    subcategory_zh: str | None
    subcategory_en: str | None
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
    owner_name: str | None
    site_code: str
    created_by: str
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
    reviewed_by: str | None  # display name when the account is known
    updated_at: datetime
    archived_at: datetime | None
    fraud: FraudData | None
    assessments: tuple[AssessmentData, ...]
    timeline: tuple[TimelineData, ...]
    obligations: tuple[ObligationData, ...]
    actions: tuple[ActionData, ...]
    resources_used: tuple[ResourceUseData, ...]

    def subtype_label(self, lang: str) -> str:
        if not self.subcategory:
            return ""
        label = self.subcategory_zh if lang.startswith("zh") else self.subcategory_en
        return label or self.subcategory


def _fraud(report: FraudReport | None) -> FraudData | None:
    if report is None:
        return None
    return FraudData(
        customer_name=report.customer_name,
        id_number=report.id_number,
        phone=report.phone,
        account_number=report.account_number,
        channel=report.channel,
        police_report_no=report.police_report_no,
        stop_payment_requested_at=report.stop_payment_requested_at,
        stop_payment_extensions=report.stop_payment_extensions,
        freeze_requested_at=report.freeze_requested_at,
        transactions=tuple(
            TransactionData(
                time=tx.time,
                amount=tx.amount,
                currency=tx.currency,
                counterparty_name=tx.counterparty_name,
                counterparty_account=tx.counterparty_account,
                counterparty_bank=tx.counterparty_bank,
                reference=tx.reference,
            )
            for tx in report.transactions
        ),
    )


def _assessment(row: Assessment) -> AssessmentData:
    return AssessmentData(
        assessed_at=row.assessed_at,
        assessor_name=row.assessor_name,
        criteria=dict(row.criteria or {}),
        computed_level=row.computed_level,
        final_level=row.final_level,
        override_reason=row.override_reason,
        triggers=tuple(row.triggers or ()),
        notified=tuple(row.notified or ()),
        decision_note=row.decision_note,
        policy_revision=row.policy_revision,
    )


def action_data(row: ImprovementAction) -> ActionData:
    return ActionData(
        title=row.title,
        description=row.description,
        source_kind=row.source_kind,
        source_ref=row.source_ref,
        owner_name=row.owner_name,
        due_date=row.due_date,
        status=row.status,
        done_at=row.done_at,
        result=row.result,
    )


def load_actions(source_ids: list[uuid.UUID], *, session: Session) -> list[ImprovementAction]:
    """Current improvement actions raised from the given incidents or drill records."""
    if not source_ids:
        return []
    return list(
        session.scalars(
            select(ImprovementAction)
            .where(
                ImprovementAction.source_id.in_(source_ids),
                ImprovementAction.archived_at.is_(None),
            )
            .order_by(ImprovementAction.due_date, ImprovementAction.title)
        )
    )


def display_names(usernames: set[str], *, session: Session) -> dict[str, str]:
    names = {u for u in usernames if u}
    if not names:
        return {}
    rows = session.execute(
        select(User.username, User.display_name).where(User.username.in_(sorted(names)))
    )
    return {username: display or username for username, display in rows}


def load(reference: str, *, session: Session) -> IncidentData:
    """The incident `reference` (NotFound if there is none) with everything around it."""
    found = incidents.get_by_reference(reference, session=session)
    inc = session.scalars(
        select(Incident)
        .where(Incident.id == found.id)
        .options(
            joinedload(Incident.owner),
            selectinload(Incident.timeline),
            joinedload(Incident.fraud).selectinload(FraudReport.transactions),
        )
    ).one()
    assessments = session.scalars(
        select(Assessment)
        .where(Assessment.incident_id == inc.id)
        .order_by(Assessment.assessed_at, Assessment.created_at)
    )
    now = utcnow()
    obligations = [
        ObligationData(
            kind=o.kind,
            due_at=o.due_at,
            due_estimated=o.due_estimated,
            done_at=o.done_at,
            done_by=o.done_by,
            note=o.note,
            state=o.state_at(now),
            archived=o.archived_at is not None,
        )
        for o in session.scalars(
            select(Obligation)
            .where(Obligation.incident_id == inc.id)
            .order_by(Obligation.due_at, Obligation.kind)
        )
    ]
    subtype = None
    if inc.subcategory:
        subtype = session.scalars(
            select(IncidentSubtype).where(
                IncidentSubtype.category == inc.category,
                IncidentSubtype.code == inc.subcategory,
            )
        ).first()
    names = display_names({inc.reviewed_by or "", inc.created_by}, session=session)
    owner = inc.owner
    return IncidentData(
        origin=load_origin(session=session),
        id=inc.id,
        reference=inc.reference,
        title=inc.title,
        category=inc.category,
        subcategory=inc.subcategory,
        subcategory_zh=subtype.label_zh if subtype else None,
        subcategory_en=subtype.label_en if subtype else None,
        channel=inc.channel,
        occurred_at=inc.occurred_at,
        reported_at=inc.reported_at,
        reporter_name=inc.reporter_name,
        reporter_department=inc.reporter_department,
        reporter_phone=inc.reporter_phone,
        branch=inc.branch,
        description=inc.description,
        affected_services=tuple(inc.affected_services or ()),
        severity=inc.severity,
        status=inc.status,
        owner_name=(owner.display_name or owner.username) if owner is not None else None,
        site_code=inc.site_code,
        created_by=names.get(inc.created_by, inc.created_by),
        in_scope=inc.in_scope,
        out_of_scope_reason=inc.out_of_scope_reason,
        handed_off_to=inc.handed_off_to,
        dismissed_reason=inc.dismissed_reason,
        assessed_at=inc.assessed_at,
        activated_at=inc.activated_at,
        restored_at=inc.restored_at,
        closed_at=inc.closed_at,
        review_cause=inc.review_cause,
        review_handling=inc.review_handling,
        review_lessons=inc.review_lessons,
        reviewed_by=names.get(inc.reviewed_by or "", inc.reviewed_by),
        updated_at=inc.updated_at,
        archived_at=inc.archived_at,
        fraud=_fraud(inc.fraud),
        assessments=tuple(_assessment(a) for a in assessments),
        timeline=tuple(
            TimelineData(
                at=e.at,
                kind=e.kind,
                text=e.text,
                actor_name=e.actor_name,
                from_status=e.from_status,
                to_status=e.to_status,
            )
            for e in sorted(inc.timeline, key=lambda e: (e.at, e.created_at))
        ),
        obligations=tuple(obligations),
        actions=tuple(action_data(a) for a in load_actions([inc.id], session=session)),
        resources_used=load_resources_used(inc.id, session=session),
    )


def load_resources_used(incident_id: uuid.UUID, *, session: Session) -> tuple[ResourceUseData, ...]:
    """The inventory items the incident used, in the order used (one query)."""
    rows = session.execute(
        select(
            IncidentResourceUse.used_at,
            Resource.name,
            Resource.kind,
            IncidentResourceUse.quantity,
            Resource.unit,
            IncidentResourceUse.used_by,
            IncidentResourceUse.note,
        )
        .join(Resource, Resource.id == IncidentResourceUse.resource_id)
        .where(IncidentResourceUse.incident_id == incident_id)
        .order_by(IncidentResourceUse.used_at, IncidentResourceUse.created_at)
    )
    return tuple(ResourceUseData(*row) for row in rows)
