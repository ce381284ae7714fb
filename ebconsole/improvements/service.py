"""Improvement actions (总结与改进) tracked to closure. Services flush, never commit."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ebconsole.errors import EbError, InvalidTransition, NotFound, StaleRecord
from ebconsole.i18n import N_
from ebconsole.improvements import messages  # noqa: F401  (registers field labels)
from ebconsole.improvements.enums import (
    ACTION_STATUS_LABELS,
    PENDING_STATUSES,
    ActionStatus,
    SourceKind,
)
from ebconsole.improvements.models import ImprovementAction
from ebconsole.improvements.schemas import ActionCreate, ActionUpdate
from ebconsole.timeutil import to_local, utcnow
from ebconsole.users.models import User
from ebconsole.users.permissions import Permission, authorize
from ebconsole.validation import Checker

# what `update` may do to the status; closing goes through complete() and cancel()
_UPDATE_TRANSITIONS = {
    ActionStatus.OPEN: {ActionStatus.IN_PROGRESS},
    ActionStatus.IN_PROGRESS: {ActionStatus.OPEN},
    ActionStatus.DONE: {ActionStatus.OPEN},  # reopen
    ActionStatus.CANCELLED: {ActionStatus.OPEN},
}


def local_today() -> date:
    return to_local(utcnow()).date()


def get(action_id: uuid.UUID, *, session: Session) -> ImprovementAction:
    action = session.get(ImprovementAction, action_id)
    if action is None:
        raise NotFound.one(
            "not_found", None, entity_label=N_("improvement action"), key=str(action_id)
        )
    return action


def list_actions(
    status: ActionStatus | None = None,
    overdue_only: bool = False,
    source_id: uuid.UUID | None = None,
    today: date | None = None,
    *,
    session: Session,
    include_archived: bool = False,
) -> list[ImprovementAction]:
    q = select(ImprovementAction).order_by(ImprovementAction.due_date, ImprovementAction.title)
    if status is not None:
        q = q.where(ImprovementAction.status == status)
    if source_id is not None:
        q = q.where(ImprovementAction.source_id == source_id)
    if overdue_only:
        q = q.where(
            ImprovementAction.status.in_(PENDING_STATUSES),
            ImprovementAction.due_date < (today or local_today()),
        )
    if not include_archived:
        q = q.where(ImprovementAction.archived_at.is_(None))
    return list(session.scalars(q))


def overdue(today: date | None = None, *, session: Session) -> list[ImprovementAction]:
    """Open or in-progress actions past their due date, the oldest due first."""
    return list_actions(overdue_only=True, today=today, session=session)


def _check_fields(c: Checker, values: dict[str, Any], *, session: Session) -> dict[str, Any]:
    out = dict(values)
    if "title" in values:
        out["title"] = c.text("title", values["title"], required=True, max_len=200)
    if "description" in values:
        out["description"] = c.text(
            "description", values["description"], max_len=4000, multiline=True
        )
    if "source_kind" in values:
        out["source_kind"] = c.choice(
            "source_kind", values["source_kind"], SourceKind, required=True
        )
    if "source_ref" in values:
        out["source_ref"] = c.text("source_ref", values["source_ref"], max_len=200)
    if values.get("source_item") is not None:
        out["source_item"] = c.integer("source_item", values["source_item"], max_value=10_000)
    if "owner_name" in values:
        out["owner_name"] = c.text("owner_name", values["owner_name"], required=True, max_len=80)
    if (
        values.get("owner_user_id") is not None
        and session.get(User, values["owner_user_id"]) is None
    ):
        c.fail(
            "owner_user_id", "not_found", entity_label=N_("user"), key=str(values["owner_user_id"])
        )
    if "due_date" in values:
        out["due_date"] = c.day("due_date", values["due_date"], required=True)
    return out


def create(data: ActionCreate, *, session: Session) -> ImprovementAction:
    authorize(session, Permission.MANAGE_IMPROVEMENTS)
    c = Checker()
    values = _check_fields(c, data.model_dump(), session=session)
    c.raise_if_failed()
    action = ImprovementAction(status=ActionStatus.OPEN, **values)
    session.add(action)
    session.flush()
    return action


def _transition_error(action: ImprovementAction, to: ActionStatus) -> EbError:
    return InvalidTransition.one(
        "invalid_transition",
        "status",
        from_label=ACTION_STATUS_LABELS[action.status],
        to_label=ACTION_STATUS_LABELS[to],
    )


def update(action_id: uuid.UUID, data: ActionUpdate, *, session: Session) -> ImprovementAction:
    authorize(session, Permission.MANAGE_IMPROVEMENTS)
    action = get(action_id, session=session)
    if data.version is not None and data.version != action.version:
        raise StaleRecord.one("stale_record")
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    status = changes.pop("status", None)
    if (
        status is not None
        and status != action.status
        and status not in _UPDATE_TRANSITIONS[action.status]
    ):
        raise _transition_error(action, status)
    c = Checker()
    changes = _check_fields(c, changes, session=session)
    c.raise_if_failed()
    for key, value in changes.items():
        setattr(action, key, value)
    if status is not None and status != action.status:
        action.status = status
        if status is ActionStatus.OPEN:
            action.done_at = None
    session.flush()
    return action


def _close(
    action_id: uuid.UUID,
    to: ActionStatus,
    field: str,
    text: str | None,
    at: datetime | None,
    *,
    session: Session,
) -> ImprovementAction:
    action = get(action_id, session=session)
    if action.status not in PENDING_STATUSES:
        raise _transition_error(action, to)
    c = Checker()
    result = c.text(field, text, required=True, max_len=4000, multiline=True)
    now = utcnow()
    done_at = c.when("done_at", at, now=now) if at is not None else now
    c.raise_if_failed()
    action.status = to
    action.result = result
    action.done_at = done_at
    session.flush()
    return action


def complete(
    action_id: uuid.UUID, result: str, *, session: Session, at: datetime | None = None
) -> ImprovementAction:
    """Close an action as done, saying what was achieved."""
    authorize(session, Permission.MANAGE_IMPROVEMENTS)
    return _close(action_id, ActionStatus.DONE, "result", result, at, session=session)


def cancel(action_id: uuid.UUID, reason: str, *, session: Session) -> ImprovementAction:
    """Close an action that will not be done, saying why."""
    authorize(session, Permission.MANAGE_IMPROVEMENTS)
    return _close(action_id, ActionStatus.CANCELLED, "reason", reason, None, session=session)


def archive(action_id: uuid.UUID, *, session: Session) -> ImprovementAction:
    authorize(session, Permission.MANAGE_IMPROVEMENTS)
    action = get(action_id, session=session)
    action.archived_at = utcnow()
    session.flush()
    return action
