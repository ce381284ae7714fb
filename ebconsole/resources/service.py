"""The inventory of emergency reserves (plan §5): what there is, where, who to call, and
whether its periodic check is overdue. Services flush, never commit."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ebconsole.db.session import actor_of
from ebconsole.errors import NotFound, StaleRecord, ValidationFailed
from ebconsole.i18n import N_
from ebconsole.paths import resources_dir
from ebconsole.resources import messages  # noqa: F401  (registers field labels)
from ebconsole.resources.enums import ResourceKind, ResourceStatus
from ebconsole.resources.models import Resource, ResourceCheck, ResourceKindSetting
from ebconsole.resources.schemas import ResourceCreate, ResourceUpdate
from ebconsole.timeutil import utcnow
from ebconsole.users.permissions import Permission, authorize
from ebconsole.validation import PHONE, Checker

MAX_CHECK_DAYS = 3660
FALLBACK_CHECK_DAYS = 90


# -- kinds -------------------------------------------------------------------------------
def list_kinds(*, session: Session) -> list[ResourceKindSetting]:
    return list(session.scalars(select(ResourceKindSetting).order_by(ResourceKindSetting.position)))


def default_check_days(kind: ResourceKind, *, session: Session) -> int:
    setting = session.scalars(
        select(ResourceKindSetting).where(ResourceKindSetting.kind == kind)
    ).first()
    return setting.default_check_days if setting is not None else FALLBACK_CHECK_DAYS


def set_default_check_days(
    kind: ResourceKind, days: int, *, session: Session
) -> ResourceKindSetting:
    """Change the interval new items of a kind get; existing items keep theirs."""
    authorize(session, Permission.MANAGE_INVENTORY)
    c = Checker()
    checked = c.integer(
        "check_interval_days", days, required=True, min_value=1, max_value=MAX_CHECK_DAYS
    )
    c.raise_if_failed()
    assert checked is not None
    setting = session.scalars(
        select(ResourceKindSetting).where(ResourceKindSetting.kind == kind)
    ).first()
    if setting is None:
        setting = ResourceKindSetting(
            kind=kind, position=len(ResourceKind), default_check_days=checked
        )
        session.add(setting)
    else:
        setting.default_check_days = checked
    session.flush()
    return setting


# -- items -------------------------------------------------------------------------------
def get(resource_id: uuid.UUID, *, session: Session) -> Resource:
    item = session.get(Resource, resource_id)
    if item is None:
        raise NotFound.one("not_found", None, entity_label=N_("resource"), key=str(resource_id))
    return item


def list_resources(
    kind: ResourceKind | None = None,
    overdue_only: bool = False,
    now: datetime | None = None,
    *,
    session: Session,
    include_archived: bool = False,
) -> list[Resource]:
    """Items in the plan's order of kinds, then by name. Overdue is judged at `now`."""
    q = select(Resource)
    if kind is not None:
        q = q.where(Resource.kind == kind)
    if not include_archived:
        q = q.where(Resource.archived_at.is_(None))
    items = list(session.scalars(q))
    if overdue_only:
        now = now or utcnow()
        items = [i for i in items if i.is_overdue(now)]
    kinds = list(ResourceKind)
    return sorted(items, key=lambda i: (kinds.index(i.kind), i.name))


def overdue(now: datetime | None = None, *, session: Session) -> list[Resource]:
    """Current items whose check is overdue (or that were never checked), most overdue first."""
    items = list_resources(overdue_only=True, now=now, session=session)
    return sorted(
        items, key=lambda i: (i.next_check_due is not None, i.next_check_due or datetime.min)
    )


def _check_fields(c: Checker, values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if "kind" in values:
        out["kind"] = c.choice("kind", values["kind"], ResourceKind, required=True)
    if "status" in values:
        out["status"] = c.choice("status", values["status"], ResourceStatus, required=True)
    if "name" in values:
        out["name"] = c.text("name", values["name"], required=True, max_len=120)
    if "location" in values:
        out["location"] = c.text("location", values["location"], max_len=200)
    if "unit" in values:
        out["unit"] = c.text("unit", values["unit"], max_len=20)
    if "contact_name" in values:
        out["contact_name"] = c.text("contact_name", values["contact_name"], max_len=80)
    if "contact_phone" in values:
        out["contact_phone"] = c.pattern(
            "contact_phone", values["contact_phone"], PHONE, "invalid_phone"
        )
    if "notes" in values:
        out["notes"] = c.text("notes", values["notes"], max_len=4000, multiline=True)
    if "quantity" in values:
        out["quantity"] = c.integer(
            "quantity", values["quantity"], required=True, max_value=1_000_000
        )
    if values.get("check_interval_days") is not None:
        out["check_interval_days"] = c.integer(
            "check_interval_days",
            values["check_interval_days"],
            min_value=1,
            max_value=MAX_CHECK_DAYS,
        )
    return out


def create(data: ResourceCreate, *, session: Session) -> Resource:
    authorize(session, Permission.MANAGE_INVENTORY)
    c = Checker()
    values = _check_fields(c, data.model_dump())
    values["last_checked_at"] = c.when("last_checked_at", data.last_checked_at, now=utcnow())
    c.raise_if_failed()
    if values["check_interval_days"] is None:
        values["check_interval_days"] = default_check_days(data.kind, session=session)
    item = Resource(**values)
    session.add(item)
    session.flush()
    return item


def update(resource_id: uuid.UUID, data: ResourceUpdate, *, session: Session) -> Resource:
    authorize(session, Permission.MANAGE_INVENTORY)
    item = get(resource_id, session=session)
    if data.version is not None and data.version != item.version:
        raise StaleRecord.one("stale_record")
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if "check_interval_days" in changes and changes["check_interval_days"] is None:
        changes["check_interval_days"] = default_check_days(
            changes.get("kind") or item.kind, session=session
        )
    c = Checker()
    changes = _check_fields(c, changes)
    c.raise_if_failed()
    for key, value in changes.items():
        setattr(item, key, value)
    session.flush()
    return item


def archive(resource_id: uuid.UUID, *, session: Session) -> Resource:
    authorize(session, Permission.MANAGE_INVENTORY)
    item = get(resource_id, session=session)
    item.archived_at = utcnow()
    session.flush()
    return item


def mark_checked(
    resource_id: uuid.UUID,
    *,
    session: Session,
    at: datetime | None = None,
    status: ResourceStatus | None = None,
    note: str | None = None,
) -> ResourceCheck:
    """Record one check of an item (who, when, the state found) and move its due date.

    `status` is the state found; None keeps the item's current status. A check entered
    late (earlier than the last one) is kept in the history but changes neither the
    item's status nor its due date.
    """
    authorize(session, Permission.CHECK_RESOURCES)
    item = get(resource_id, session=session)
    c = Checker()
    if item.archived_at is not None:
        c.fail(None, "archived")
        raise ValidationFailed(c.errors)
    now = utcnow()
    checked_at = c.when("checked_at", at, now=now) if at is not None else now
    result = c.choice("status", status, ResourceStatus) or item.status
    text = c.text("note", note, max_len=2000, multiline=True)
    c.raise_if_failed()
    assert checked_at is not None
    actor = actor_of(session)
    check = ResourceCheck(
        resource_id=item.id,
        checked_at=checked_at,
        checked_by=actor.name,
        checked_by_user_id=actor.user_id,
        result=result,
        note=text,
    )
    session.add(check)
    if item.last_checked_at is None or checked_at >= item.last_checked_at:
        item.last_checked_at = checked_at
        item.status = result
    session.flush()
    return check


def list_checks(resource_id: uuid.UUID, *, session: Session) -> list[ResourceCheck]:
    return list(
        session.scalars(
            select(ResourceCheck)
            .where(ResourceCheck.resource_id == resource_id)
            .order_by(ResourceCheck.checked_at.desc())
        )
    )


# -- defaults ----------------------------------------------------------------------------
def load_defaults(*, session: Session) -> None:
    """Add the default check interval of every kind that has none yet; edits are kept."""
    path = resources_dir() / "plan" / "resources.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    have = {s.kind for s in list_kinds(session=session)}
    for position, item in enumerate(data["kinds"]):
        kind = ResourceKind(item["kind"])
        if kind not in have:
            session.add(
                ResourceKindSetting(
                    kind=kind, position=position, default_check_days=int(item["default_check_days"])
                )
            )
    session.flush()
