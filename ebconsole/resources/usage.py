"""Which reserves an incident used (plan §5 in action): the backup system switched to, the
spare server taken from the store, the logistics partner called. One append-only row per
use — which item, when, by whom, how many, a note — and a timeline entry on the incident,
so the incident response report lists the resources used. Services flush, never commit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ebconsole.db.session import actor_of
from ebconsole.i18n import Translate, _
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import TimelineKind
from ebconsole.resources import messages  # noqa: F401  (registers field labels)
from ebconsole.resources import service as resources
from ebconsole.resources.models import IncidentResourceUse
from ebconsole.resources.schemas import ResourceUseCreate
from ebconsole.timeutil import utcnow
from ebconsole.users.permissions import Permission, authorize
from ebconsole.validation import Checker

MAX_QUANTITY = 1_000_000


def record_use(
    incident_id: uuid.UUID, data: ResourceUseCreate, *, session: Session
) -> IncidentResourceUse:
    """Record that the incident used an inventory item, by the session's actor.

    Coordinators and administrators (they drive the response); the incident must be one
    the actor sees and not archived, the item one still in the inventory. `used_at` may
    lie in the past (entered afterwards), not in the future. The incident's timeline gets
    an action entry at the same time.
    """
    authorize(session, Permission.DRIVE_RESPONSE)
    incident = incidents.get(incident_id, session=session)
    item = resources.get(data.resource_id, session=session)
    c = Checker()
    if incident.archived_at is not None:
        c.fail(None, "incident_archived")
    if item.archived_at is not None:
        c.fail("resource_id", "archived")
    c.raise_if_failed()
    now = utcnow()
    used_at = c.when("used_at", data.used_at, now=now) if data.used_at is not None else now
    quantity = c.integer("quantity", data.quantity, min_value=1, max_value=MAX_QUANTITY)
    note = c.text("note", data.note, max_len=2000, multiline=True)
    c.raise_if_failed()
    assert used_at is not None
    actor = actor_of(session)
    use = IncidentResourceUse(
        incident_id=incident.id,
        resource_id=item.id,
        used_at=used_at,
        used_by=actor.name[:80],
        used_by_user_id=actor.user_id,
        quantity=quantity,
        note=note,
    )
    session.add(use)
    incidents.add_timeline_entry(
        incident,
        TimelineKind.ACTION,
        timeline_text(item.name, quantity, item.unit, note),
        session=session,
        at=used_at,
    )
    session.flush()
    return use


def timeline_text(
    name: str,
    quantity: int | None,
    unit: str | None,
    note: str | None,
    *,
    translate: Translate = _,
) -> str:
    """`Resource used: 备用应用服务器 × 2 台 — 替换故障节点` in the operator's language
    (or in `translate`'s: the demo data is written in Chinese whatever the console's)."""
    what = name if quantity is None else f"{name} × {quantity}{' ' + unit if unit else ''}"
    text = translate("Resource used: {resource}").format(resource=what)
    return f"{text} — {note}" if note else text


@dataclass(frozen=True)
class ResourceUseRow:
    """One use as the console and the reports show it."""

    id: uuid.UUID
    resource_id: uuid.UUID
    name: str
    kind: str  # ResourceKind value
    unit: str | None
    used_at: datetime
    used_by: str
    quantity: int | None
    note: str | None


def list_uses(incident_id: uuid.UUID, *, session: Session) -> list[ResourceUseRow]:
    """The incident's resource uses in the order they happened (one query, item joined).
    Whoever may see the incident may see them."""
    incidents.get(incident_id, session=session)
    return uses_of(incident_id, session=session)


def uses_of(incident_id: uuid.UUID, *, session: Session) -> list[ResourceUseRow]:
    """`list_uses` for a caller that has already checked the incident is visible (the
    console's detail view reads the incident first and explains a refusal itself)."""
    rows = session.scalars(
        select(IncidentResourceUse)
        .where(IncidentResourceUse.incident_id == incident_id)
        .options(joinedload(IncidentResourceUse.resource))
        .order_by(IncidentResourceUse.used_at, IncidentResourceUse.created_at)
    )
    return [
        ResourceUseRow(
            id=u.id,
            resource_id=u.resource_id,
            name=u.resource.name,
            kind=u.resource.kind.value,
            unit=u.resource.unit,
            used_at=u.used_at,
            used_by=u.used_by,
            quantity=u.quantity,
            note=u.note,
        )
        for u in rows
    ]
