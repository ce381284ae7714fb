"""What the status report (情况通报) shows: the situation right now, for coordinators.

The number of queries is fixed (about a dozen) whatever the number of open incidents:
the open incidents come in one query with their owners, their next deadlines in one
grouped query, the counts by class and severity in two grouped queries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ebconsole.drills import service as drills
from ebconsole.drills.enums import ExerciseKind
from ebconsole.improvements import service as improvements
from ebconsole.incidents.enums import OPEN_STATUSES, Category, Severity, Status
from ebconsole.incidents.models import Incident
from ebconsole.obligations.enums import ObligationKind
from ebconsole.obligations.models import Obligation
from ebconsole.reports.data.common import Origin, load_origin
from ebconsole.resources import service as resources
from ebconsole.resources.enums import ResourceKind
from ebconsole.roster import service as roster
from ebconsole.roster.enums import DutyRole
from ebconsole.timeutil import to_local
from ebconsole.users.models import User

RECENT_DAYS = 30  # "reported in the last N days" in the counts
DRILL_DUE_DAYS = 30  # plans falling due within this many days are listed


@dataclass(frozen=True)
class OpenIncident:
    id: uuid.UUID
    reference: str
    title: str
    category: Category
    severity: Severity | None
    status: Status
    branch: str | None
    owner_name: str | None
    reported_at: datetime
    next_deadline: datetime | None
    next_deadline_kind: ObligationKind | None


@dataclass(frozen=True)
class OverdueObligation:
    reference: str
    title: str
    kind: ObligationKind
    due_at: datetime
    due_estimated: bool
    owner_name: str | None


@dataclass(frozen=True)
class OnDuty:
    role: DutyRole
    name: str
    phone: str | None
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class OverdueResource:
    name: str
    kind: ResourceKind
    location: str | None
    last_checked_at: datetime | None
    next_check_due: datetime | None
    contact_name: str | None


@dataclass(frozen=True)
class DueExercise:
    title: str
    kind: ExerciseKind
    last_held: date | None
    next_due: date
    overdue: bool


@dataclass(frozen=True)
class StatusData:
    origin: Origin
    now: datetime
    open_incidents: tuple[OpenIncident, ...]  # gravest first, then oldest first
    # (category, severity or None) → count
    open_counts: dict[tuple[Category, Severity | None], int]
    recent_counts: dict[tuple[Category, Severity | None], int]
    recent_days: int
    overdue_obligations: tuple[OverdueObligation, ...]
    on_duty: tuple[OnDuty, ...]
    overdue_resources: tuple[OverdueResource, ...]
    exercises_due: tuple[DueExercise, ...]
    year: int
    trainings_this_year: int
    drills_this_year: int
    overdue_actions: int


def _severity_rank(severity: Severity | None) -> int:
    return severity.rank if severity is not None else 5


def _counts(session: Session, *conditions: object) -> dict[tuple[Category, Severity | None], int]:
    rows = session.execute(
        select(Incident.category, Incident.severity, func.count())
        .where(Incident.archived_at.is_(None), *conditions)  # type: ignore[arg-type]
        .group_by(Incident.category, Incident.severity)
    )
    return {(category, severity): int(n) for category, severity, n in rows}


def load(*, session: Session, now: datetime | None = None) -> StatusData:
    origin = load_origin(session=session)
    now = now or origin.gathered_at
    open_filter = (Incident.archived_at.is_(None), Incident.status.in_(sorted(OPEN_STATUSES)))

    # the earliest open deadline of every open incident: one grouped query
    first_due = (
        select(Obligation.incident_id, func.min(Obligation.due_at).label("due"))
        .join(Incident, Incident.id == Obligation.incident_id)
        .where(*open_filter, Obligation.done_at.is_(None), Obligation.archived_at.is_(None))
        .group_by(Obligation.incident_id)
        .subquery()
    )
    kinds: dict[uuid.UUID, ObligationKind] = {
        incident_id: kind
        for incident_id, kind in session.execute(
            select(Obligation.incident_id, Obligation.kind).join(
                first_due,
                (first_due.c.incident_id == Obligation.incident_id)
                & (first_due.c.due == Obligation.due_at),
            )
        )
    }
    rows = session.execute(
        select(
            Incident.id,
            Incident.reference,
            Incident.title,
            Incident.category,
            Incident.severity,
            Incident.status,
            Incident.branch,
            User.display_name,
            Incident.reported_at,
            first_due.c.due,
        )
        .outerjoin(User, User.id == Incident.owner_id)
        .outerjoin(first_due, first_due.c.incident_id == Incident.id)
        .where(*open_filter)
        .order_by(Incident.reported_at, Incident.reference)
    )
    open_incidents = sorted(
        (
            OpenIncident(
                id=r[0],
                reference=r[1],
                title=r[2],
                category=r[3],
                severity=r[4],
                status=r[5],
                branch=r[6],
                owner_name=r[7],
                reported_at=r[8],
                next_deadline=r[9],
                next_deadline_kind=kinds.get(r[0]) if r[9] is not None else None,
            )
            for r in rows
        ),
        key=lambda i: _severity_rank(i.severity),  # stable: oldest first within a level
    )

    overdue = [
        OverdueObligation(*row)
        for row in session.execute(
            select(
                Incident.reference,
                Incident.title,
                Obligation.kind,
                Obligation.due_at,
                Obligation.due_estimated,
                User.display_name,
            )
            .join(Incident, Incident.id == Obligation.incident_id)
            .outerjoin(User, User.id == Incident.owner_id)
            .where(
                Incident.archived_at.is_(None),
                Obligation.archived_at.is_(None),
                Obligation.done_at.is_(None),
                Obligation.due_at < now,
            )
            .order_by(Obligation.due_at, Incident.reference)
        )
    ]

    today = to_local(now).date()
    on_duty = tuple(
        OnDuty(s.role, s.person_name, s.person_phone, s.starts_at, s.ends_at)
        for s in roster.on_duty(now, session=session)
    )
    overdue_resources = tuple(
        OverdueResource(
            name=r.name,
            kind=r.kind,
            location=r.location,
            last_checked_at=r.last_checked_at,
            next_check_due=r.next_check_due,
            contact_name=r.contact_name,
        )
        for r in resources.overdue(now, session=session)
    )
    horizon = today + timedelta(days=DRILL_DUE_DAYS)
    exercises = tuple(
        sorted(
            (
                DueExercise(p.title, p.kind, p.last_held, p.next_due, p.overdue)
                for p in drills.compliance(today.year, today, session=session)
                if p.next_due <= horizon
            ),
            key=lambda e: e.next_due,
        )
    )
    yearly = drills.yearly_compliance(today.year, session=session)
    return StatusData(
        origin=origin,
        now=now,
        open_incidents=tuple(open_incidents),
        open_counts=_counts(session, Incident.status.in_(sorted(OPEN_STATUSES))),
        recent_counts=_counts(session, Incident.reported_at >= now - timedelta(days=RECENT_DAYS)),
        recent_days=RECENT_DAYS,
        overdue_obligations=tuple(overdue),
        on_duty=on_duty,
        overdue_resources=overdue_resources,
        exercises_due=exercises,
        year=today.year,
        trainings_this_year=len(yearly.trainings),
        drills_this_year=len(yearly.drills),
        overdue_actions=len(improvements.overdue(today, session=session)),
    )
