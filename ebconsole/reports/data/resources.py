"""What the resource inventory report (应急资源清单) shows: every current reserve with
its readiness and where its periodic check stands, and who checked it last."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ebconsole.reports.data.common import Origin, load_origin
from ebconsole.resources import service as resources
from ebconsole.resources.enums import ResourceKind, ResourceStatus
from ebconsole.resources.models import ResourceCheck


@dataclass(frozen=True)
class ResourceData:
    id: uuid.UUID
    kind: ResourceKind
    name: str
    location: str | None
    quantity: int
    unit: str | None
    status: ResourceStatus
    contact_name: str | None
    contact_phone: str | None
    check_interval_days: int
    last_checked_at: datetime | None
    last_checked_by: str | None
    next_check_due: datetime | None
    overdue: bool
    notes: str | None


@dataclass(frozen=True)
class ResourcesData:
    origin: Origin
    now: datetime
    items: tuple[ResourceData, ...]  # in the plan's order of kinds, then by name

    @property
    def overdue(self) -> tuple[ResourceData, ...]:
        """Overdue items, never checked first, then the most overdue."""
        items = [i for i in self.items if i.overdue]
        return tuple(
            sorted(
                items, key=lambda i: (i.next_check_due is not None, i.next_check_due or self.now)
            )
        )


def load(*, session: Session, now: datetime | None = None) -> ResourcesData:
    origin = load_origin(session=session)
    now = now or origin.gathered_at
    items = resources.list_resources(session=session)
    # who made the latest check of each item: one grouped query
    latest = (
        select(ResourceCheck.resource_id, func.max(ResourceCheck.checked_at).label("at"))
        .group_by(ResourceCheck.resource_id)
        .subquery()
    )
    checked_by = {
        resource_id: who
        for resource_id, who in session.execute(
            select(ResourceCheck.resource_id, ResourceCheck.checked_by).join(
                latest,
                (latest.c.resource_id == ResourceCheck.resource_id)
                & (latest.c.at == ResourceCheck.checked_at),
            )
        )
    }
    return ResourcesData(
        origin=origin,
        now=now,
        items=tuple(
            ResourceData(
                id=r.id,
                kind=r.kind,
                name=r.name,
                location=r.location,
                quantity=r.quantity,
                unit=r.unit,
                status=r.status,
                contact_name=r.contact_name,
                contact_phone=r.contact_phone,
                check_interval_days=r.check_interval_days,
                last_checked_at=r.last_checked_at,
                last_checked_by=checked_by.get(r.id),
                next_check_due=r.next_check_due,
                overdue=r.is_overdue(now),
                notes=r.notes,
            )
            for r in items
        ),
    )
