"""Everything the incident response report (事件处置报告) shows about one incident.

A fixed handful of lean queries, whatever the size of the database: the incident with its
owner's, recorder's and reviewer's names, its subtype's labels and its fraud report (one
query); the fraud report's transactions; the timeline; assessments; obligations;
improvement actions; resources used; and where the data comes from. Only the columns the
reports print are read, as rows, not ORM objects.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session

from ebconsole.assessment.models import Assessment
from ebconsole.errors import NotFound
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
from ebconsole.incidents.messages import ENTITY_INCIDENT
from ebconsole.incidents.models import (
    FraudReport,
    FraudTransaction,
    Incident,
    IncidentSubtype,
    TimelineEntry,
)
from ebconsole.incidents.reference import normalize_reference
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


def _assessment(row: Any) -> AssessmentData:
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


def action_data(row: Any) -> ActionData:
    """An improvement action from a row of `load_actions` (or an `ImprovementAction`)."""
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


# The statements are built once (bound values as parameters) and run on the session's
# connection as Core statements: a report's data is a handful of rows, and building,
# ORM-annotating and loading ORM statements cost more than the queries themselves.
_action = ImprovementAction.__table__
_ACTIONS = (
    select(
        _action.c.source_id,
        _action.c.source_item,
        _action.c.title,
        _action.c.description,
        _action.c.source_kind,
        _action.c.source_ref,
        _action.c.owner_name,
        _action.c.due_date,
        _action.c.status,
        _action.c.done_at,
        _action.c.result,
    )
    .where(
        _action.c.source_id.in_(bindparam("source_ids", expanding=True)),
        _action.c.archived_at.is_(None),
    )
    .order_by(_action.c.due_date, _action.c.title)
)


def load_actions(source_ids: list[uuid.UUID], *, session: Session) -> list[Any]:
    """Current improvement actions raised from the given incidents or drill records: rows
    of the columns a report prints, with `source_id` and `source_item` (one query)."""
    if not source_ids:
        return []
    return list(session.connection().execute(_ACTIONS, {"source_ids": list(source_ids)}))


_inc = Incident.__table__
_fraud_report = FraudReport.__table__
_subtype = IncidentSubtype.__table__
_owner = User.__table__.alias("owner")
_creator = User.__table__.alias("creator")
_reviewer = User.__table__.alias("reviewer")
_INCIDENT = (
    select(
        _inc.c.id,
        _inc.c.reference,
        _inc.c.title,
        _inc.c.category,
        _inc.c.subcategory,
        _inc.c.channel,
        _inc.c.occurred_at,
        _inc.c.reported_at,
        _inc.c.reporter_name,
        _inc.c.reporter_department,
        _inc.c.reporter_phone,
        _inc.c.branch,
        _inc.c.description,
        _inc.c.affected_services,
        _inc.c.severity,
        _inc.c.status,
        _inc.c.site_code,
        _inc.c.created_by,
        _inc.c.in_scope,
        _inc.c.out_of_scope_reason,
        _inc.c.handed_off_to,
        _inc.c.dismissed_reason,
        _inc.c.assessed_at,
        _inc.c.activated_at,
        _inc.c.restored_at,
        _inc.c.closed_at,
        _inc.c.review_cause,
        _inc.c.review_handling,
        _inc.c.review_lessons,
        _inc.c.reviewed_by,
        _inc.c.updated_at,
        _inc.c.archived_at,
        _owner.c.username.label("owner_username"),
        _owner.c.display_name.label("owner_display"),
        _creator.c.display_name.label("creator_display"),
        _reviewer.c.display_name.label("reviewer_display"),
        _subtype.c.label_zh.label("subtype_zh"),
        _subtype.c.label_en.label("subtype_en"),
        _fraud_report.c.id.label("fraud_id"),
        _fraud_report.c.customer_name,
        _fraud_report.c.id_number,
        _fraud_report.c.phone,
        _fraud_report.c.account_number,
        _fraud_report.c.channel.label("fraud_channel"),
        _fraud_report.c.police_report_no,
        _fraud_report.c.stop_payment_requested_at,
        _fraud_report.c.stop_payment_extensions,
        _fraud_report.c.freeze_requested_at,
    )
    .select_from(
        _inc.outerjoin(_owner, _owner.c.id == _inc.c.owner_id)
        .outerjoin(_creator, _creator.c.username == _inc.c.created_by)
        .outerjoin(_reviewer, _reviewer.c.username == _inc.c.reviewed_by)
        .outerjoin(
            _subtype,
            and_(
                _subtype.c.category == _inc.c.category,
                _subtype.c.code == _inc.c.subcategory,
            ),
        )
        .outerjoin(_fraud_report, _fraud_report.c.incident_id == _inc.c.id)
    )
    .where(_inc.c.reference == bindparam("reference"))
)

_tx = FraudTransaction.__table__
_TRANSACTIONS = (
    select(
        _tx.c.time,
        _tx.c.amount,
        _tx.c.currency,
        _tx.c.counterparty_name,
        _tx.c.counterparty_account,
        _tx.c.counterparty_bank,
        _tx.c.reference,
    )
    .where(_tx.c.report_id == bindparam("report_id"))
    .order_by(_tx.c.position)
)

_te = TimelineEntry.__table__
_TIMELINE = (
    select(
        _te.c.at,
        _te.c.kind,
        _te.c.text,
        _te.c.actor_name,
        _te.c.from_status,
        _te.c.to_status,
    )
    .where(_te.c.incident_id == bindparam("incident_id"))
    .order_by(_te.c.at, _te.c.created_at)
)

_as = Assessment.__table__
_ASSESSMENTS = (
    select(
        _as.c.assessed_at,
        _as.c.assessor_name,
        _as.c.criteria,
        _as.c.computed_level,
        _as.c.final_level,
        _as.c.override_reason,
        _as.c.triggers,
        _as.c.notified,
        _as.c.decision_note,
        _as.c.policy_revision,
    )
    .where(_as.c.incident_id == bindparam("incident_id"))
    .order_by(_as.c.assessed_at, _as.c.created_at)
)

_ob = Obligation.__table__
_OBLIGATIONS = (
    select(
        _ob.c.kind,
        _ob.c.due_at,
        _ob.c.remind_at,
        _ob.c.due_estimated,
        _ob.c.done_at,
        _ob.c.done_by,
        _ob.c.note,
        _ob.c.archived_at,
    )
    .where(_ob.c.incident_id == bindparam("incident_id"))
    .order_by(_ob.c.due_at, _ob.c.kind)
)

_use = IncidentResourceUse.__table__
_res = Resource.__table__
_RESOURCES_USED = (
    select(
        _use.c.used_at,
        _res.c.name,
        _res.c.kind,
        _use.c.quantity,
        _res.c.unit,
        _use.c.used_by,
        _use.c.note,
    )
    .select_from(_use.join(_res, _res.c.id == _use.c.resource_id))
    .where(_use.c.incident_id == bindparam("incident_id"))
    .order_by(_use.c.used_at, _use.c.created_at)
)


def _incident_row(reference: str, *, session: Session) -> Any:
    """The incident with its owner's, recorder's and reviewer's names, its subtype's
    labels and its fraud report, in one query; NotFound, or PermissionDenied for a clerk
    who may not see it (as `incidents.get_by_reference`)."""
    ref = normalize_reference(reference)
    row = session.connection().execute(_INCIDENT, {"reference": ref}).first()
    if row is None:
        raise NotFound.one("not_found", None, entity_label=ENTITY_INCIDENT, key=ref[:40])
    incidents.check_visible(row.branch, row.created_by, session=session)
    return row


def _fraud(row: Any, *, session: Session) -> FraudData | None:
    if row.fraud_id is None:
        return None
    transactions = session.connection().execute(_TRANSACTIONS, {"report_id": row.fraud_id})
    return FraudData(
        customer_name=row.customer_name,
        id_number=row.id_number,
        phone=row.phone,
        account_number=row.account_number,
        channel=row.fraud_channel,
        police_report_no=row.police_report_no,
        stop_payment_requested_at=row.stop_payment_requested_at,
        stop_payment_extensions=row.stop_payment_extensions,
        freeze_requested_at=row.freeze_requested_at,
        transactions=tuple(TransactionData(*t) for t in transactions),
    )


def _obligation(row: Any, now: datetime) -> ObligationData:
    return ObligationData(
        kind=row.kind,
        due_at=row.due_at,
        due_estimated=row.due_estimated,
        done_at=row.done_at,
        done_by=row.done_by,
        note=row.note,
        # the model's own rule, applied to the row's done_at, due_at and remind_at
        state=Obligation.state_at(row, now),
        archived=row.archived_at is not None,
    )


def load(reference: str, *, session: Session) -> IncidentData:
    """The incident `reference` (NotFound if there is none) with everything around it:
    the columns the reports print, read with a fixed handful of lean queries, whatever
    the size of the database (see the module's docstring)."""
    inc = _incident_row(reference, session=session)
    conn = session.connection()
    key = {"incident_id": inc.id}
    now = utcnow()
    return IncidentData(
        origin=load_origin(session=session),
        id=inc.id,
        reference=inc.reference,
        title=inc.title,
        category=inc.category,
        subcategory=inc.subcategory,
        subcategory_zh=inc.subtype_zh,
        subcategory_en=inc.subtype_en,
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
        owner_name=(
            (inc.owner_display or inc.owner_username) if inc.owner_username is not None else None
        ),
        site_code=inc.site_code,
        created_by=inc.creator_display or inc.created_by,
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
        reviewed_by=inc.reviewer_display or inc.reviewed_by,
        updated_at=inc.updated_at,
        archived_at=inc.archived_at,
        fraud=_fraud(inc, session=session),
        assessments=tuple(_assessment(r) for r in conn.execute(_ASSESSMENTS, key)),
        timeline=tuple(TimelineData(*r) for r in conn.execute(_TIMELINE, key)),
        obligations=tuple(_obligation(r, now) for r in conn.execute(_OBLIGATIONS, key)),
        actions=tuple(action_data(r) for r in load_actions([inc.id], session=session)),
        resources_used=load_resources_used(inc.id, session=session),
    )


def load_resources_used(incident_id: uuid.UUID, *, session: Session) -> tuple[ResourceUseData, ...]:
    """The inventory items the incident used, in the order used (one query)."""
    rows = session.connection().execute(_RESOURCES_USED, {"incident_id": incident_id})
    return tuple(ResourceUseData(*row) for row in rows)
