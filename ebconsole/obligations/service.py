"""Obligations: the deadlines that follow from the policy. Services flush, never commit.

The incidents service calls `create_for_new_incident` after a create and
`sync_for_incident` after every advance and fraud update, so deadlines follow the incident without anyone re-entering them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session, contains_eager, selectinload

import ebconsole.obligations.messages  # noqa: F401  (registers error codes and labels)
from ebconsole.assessment import policy_store
from ebconsole.assessment.enums import PolicyName
from ebconsole.assessment.models import PolicyRevision
from ebconsole.assessment.schemas import PolicyInput
from ebconsole.db import new_rows
from ebconsole.db.session import actor_of
from ebconsole.errors import InvalidTransition, NotFound
from ebconsole.i18n import N_, _
from ebconsole.incidents.enums import CLOSED_STATUSES, Status, TimelineKind
from ebconsole.incidents.models import Incident
from ebconsole.obligations.enums import ObligationKind
from ebconsole.obligations.models import Obligation
from ebconsole.obligations.policy import (
    IncidentFacts,
    ObligationPolicy,
    deadlines,
    parse_policy,
)
from ebconsole.timeutil import format_local, utcnow
from ebconsole.users.permissions import Permission, authorize
from ebconsole.validation import Checker

REPORTS = frozenset(
    {
        ObligationKind.INITIAL_REPORT,
        ObligationKind.WRITTEN_REPORT,
        ObligationKind.POST_INCIDENT_REPORT,
    }
)


# -- policy ------------------------------------------------------------------------------
def load_defaults(*, session: Session) -> None:
    """Store resources/plan/obligation_policy.json as revision 1 (idempotent)."""
    policy_store.load_defaults(PolicyName.OBLIGATIONS, parse_policy, session=session)


def get_policy(*, session: Session) -> ObligationPolicy:
    return policy_store.current(PolicyName.OBLIGATIONS, parse_policy, session=session)


def list_policy_revisions(*, session: Session) -> list[PolicyRevision]:
    return policy_store.revisions(PolicyName.OBLIGATIONS, session=session)


def update_policy(data: PolicyInput, *, session: Session) -> ObligationPolicy:
    """Save a new revision (administrators only) and move the deadlines of incidents that
    are still open to it; what is already done stays as it was done."""
    policy = policy_store.save(PolicyName.OBLIGATIONS, data, parse_policy, session=session)
    open_incidents = session.scalars(
        select(Incident)
        .options(selectinload(Incident.fraud))
        .where(
            Incident.archived_at.is_(None),
            Incident.status.in_(set(Status) - CLOSED_STATUSES | {Status.RESTORED}),
        )
    )
    for incident in open_incidents:
        _sync(incident, policy, session=session)
    return policy


# -- keeping obligations current ---------------------------------------------------------
def sync_for_incident(incident: Incident, *, session: Session) -> list[Obligation]:
    """Bring the incident's obligations in line with its data and the policy. Idempotent:
    creates what is missing, moves due times that changed, archives pending ones that no
    longer apply; never duplicates and never touches one that is done."""
    return _sync(incident, get_policy(session=session), session=session)


def create_for_new_incident(incident: Incident, *, session: Session) -> None:
    """The deadlines of an incident `incidents.create` has just written. It has none yet,
    so they are inserted without reading first: the rows `sync_for_incident` would add."""
    wanted = deadlines(IncidentFacts.of(incident), get_policy(session=session))
    new_rows.write_new(
        session,
        [
            Obligation(
                incident_id=incident.id,
                kind=kind,
                due_at=due.due_at,
                remind_at=due.remind_at,
                due_estimated=due.estimated,
            )
            for kind in ObligationKind
            if (due := wanted.get(kind)) is not None
        ],
    )


def _sync(incident: Incident, policy: ObligationPolicy, *, session: Session) -> list[Obligation]:
    if incident.id is None:
        session.flush()
    wanted = deadlines(IncidentFacts.of(incident), policy)
    rows = {
        o.kind: o
        for o in session.scalars(select(Obligation).where(Obligation.incident_id == incident.id))
    }
    now = utcnow()
    for kind in ObligationKind:
        row, due = rows.get(kind), wanted.get(kind)
        if row is not None and row.done_at is not None:
            continue
        if due is None:
            if row is not None and row.archived_at is None:
                row.archived_at = now
            continue
        if row is None:
            rows[kind] = Obligation(
                incident_id=incident.id,
                kind=kind,
                due_at=due.due_at,
                remind_at=due.remind_at,
                due_estimated=due.estimated,
            )
            session.add(rows[kind])
            continue
        if row.archived_at is not None:
            row.archived_at = None
        if (row.due_at, row.remind_at, row.due_estimated) != (
            due.due_at,
            due.remind_at,
            due.estimated,
        ):
            row.due_at, row.remind_at, row.due_estimated = due.due_at, due.remind_at, due.estimated
    session.flush()
    return sorted((o for o in rows.values() if o.archived_at is None), key=lambda o: o.due_at)


# -- user actions ------------------------------------------------------------------------
def get(obligation_id: uuid.UUID, *, session: Session) -> Obligation:
    row = session.get(Obligation, obligation_id)
    if row is None:
        raise NotFound.one("not_found", None, entity_label=N_("obligation"), key=str(obligation_id))
    return row


def complete(
    obligation_id: uuid.UUID,
    *,
    session: Session,
    note: str | None = None,
    at: datetime | str | None = None,
) -> Obligation:
    """Record that an obligation was met (a report sent, a stop-payment handled) and when;
    `at` may lie in the past (entered afterwards), not in the future."""
    from ebconsole.incidents.service import add_timeline_entry  # (incidents imports us)

    actor = actor_of(session)
    authorize(session, Permission.RECORD_OBLIGATIONS)
    row = get(obligation_id, session=session)
    if row.archived_at is not None:
        raise InvalidTransition.one("archived", "obligation")
    if row.done_at is not None:
        raise InvalidTransition.one("already_done", "obligation", at=format_local(row.done_at))
    now = utcnow()
    c = Checker()
    done_at = c.when("at", at, now=now) or now
    text = c.text("note", note, max_len=2000, multiline=True)
    c.raise_if_failed()
    row.done_at = done_at
    row.done_by = actor.name
    row.note = text
    message = _("{obligation} done").format(obligation=_(row.kind.label))
    add_timeline_entry(
        row.incident,
        TimelineKind.NOTIFICATION if row.kind in REPORTS else TimelineKind.ACTION,
        f"{message}\n{text}" if text else message,
        session=session,
        at=done_at,
    )
    session.flush()
    return row


def max_stop_payment_extensions(*, session: Session) -> int:
    """How many times the policy lets a stop-payment be extended (the incidents service's
    `extend_stop_payment` refuses one more)."""
    return get_policy(session=session).rules[ObligationKind.STOP_PAYMENT_EXPIRY].max_extensions


# -- queries -----------------------------------------------------------------------------
def _live() -> Select[Any]:
    return (
        select(Obligation)
        .join(Obligation.incident)
        .where(Obligation.archived_at.is_(None), Incident.archived_at.is_(None))
    )


def list_obligations(
    *,
    session: Session,
    overdue_only: bool = False,
    incident_id: uuid.UUID | None = None,
    now: datetime | None = None,
    due_before: datetime | None = None,
    branch: str | None = None,
    limit: int | None = None,
) -> list[Obligation]:
    """Obligations with their incident, earliest due first, in one query. `due_before`
    keeps the open ones due before that instant (the overdue ones and what falls due
    until then: the overview's "next 24 hours"). `branch` keeps those of that branch's
    incidents; `limit` the first so many (the overview's most pressing, with `count_due`
    for how many there are). A clerk's list holds only the obligations of the incidents
    they may see."""
    from ebconsole.incidents.service import visibility  # (incidents imports us)

    q = _live().options(contains_eager(Obligation.incident)).where(*visibility(session))
    if incident_id is not None:
        q = q.where(Obligation.incident_id == incident_id)
    if overdue_only:
        q = q.where(Obligation.done_at.is_(None), Obligation.due_at < (now or utcnow()))
    if due_before is not None:
        q = q.where(Obligation.done_at.is_(None), Obligation.due_at < due_before)
    if branch is not None:
        q = q.where(Incident.branch == branch)
    q = q.order_by(Obligation.due_at, Obligation.kind)
    if limit is not None:
        q = q.limit(limit)
    return list(session.scalars(q))


class DueCounts(NamedTuple):
    total: int  # open obligations due before the bound
    overdue: int  # of which already overdue


def count_due(
    *,
    session: Session,
    due_before: datetime,
    now: datetime | None = None,
    branch: str | None = None,
) -> DueCounts:
    """How many open obligations `list_obligations(due_before=…, branch=…)` holds, and
    how many of them are overdue at `now`: one query over the open-deadline index, the
    same visibility as the list."""
    from ebconsole.incidents.service import visibility  # (incidents imports us)

    q = _live().where(
        Obligation.done_at.is_(None), Obligation.due_at < due_before, *visibility(session)
    )
    if branch is not None:
        q = q.where(Incident.branch == branch)
    late = func.count(case((Obligation.due_at < (now or utcnow()), 1)))
    total, overdue = session.execute(q.with_only_columns(func.count(), late)).one()
    return DueCounts(int(total or 0), int(overdue or 0))


def overdue_count(*, session: Session, now: datetime | None = None) -> int:
    q = _live().where(Obligation.done_at.is_(None), Obligation.due_at < (now or utcnow()))
    return session.scalar(q.with_only_columns(func.count())) or 0


def next_deadline_for(
    incident_ids: Iterable[uuid.UUID], *, session: Session
) -> dict[uuid.UUID, datetime]:
    """incident id → its earliest open deadline (the incidents table's column), one query.

    Only the ids are in the WHERE clause, the open test is inside the aggregate: the
    lookup then reads the (incident_id, kind) index, a few rows per incident whatever the
    size of the database. With the open test in the WHERE clause SQLite chose the
    open-deadline index instead and read every open obligation of the database."""
    ids = list(incident_ids)
    if not ids:
        return {}
    open_due = case(
        (and_(Obligation.done_at.is_(None), Obligation.archived_at.is_(None)), Obligation.due_at)
    )
    earliest = func.min(open_due)
    rows = session.execute(
        select(Obligation.incident_id, earliest)
        .where(Obligation.incident_id.in_(ids))
        .group_by(Obligation.incident_id)
        .having(earliest.is_not(None))
    )
    return {incident_id: due for incident_id, due in rows}
