"""Input objects. In `ResourceUpdate`, only the fields that were set are applied; setting
an optional field to None clears it. Checks go through `service.mark_checked`."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from ebconsole.resources.enums import ResourceKind, ResourceStatus


class ResourceCreate(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: ResourceKind
    name: str
    location: str | None = None
    quantity: int = 1
    unit: str | None = None
    status: ResourceStatus = ResourceStatus.READY
    contact_name: str | None = None
    contact_phone: str | None = None
    check_interval_days: int | None = None  # None: the kind's default
    last_checked_at: datetime | None = None  # when known; naive = workstation time
    notes: str | None = None


class ResourceUpdate(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: ResourceKind | None = None
    name: str | None = None
    location: str | None = None
    quantity: int | None = None
    unit: str | None = None
    status: ResourceStatus | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    check_interval_days: int | None = None
    notes: str | None = None
    version: int | None = None


class ResourceUseCreate(BaseModel):
    """A reserve used for an incident (see `usage.record_use`)."""

    model_config = ConfigDict(frozen=True)

    resource_id: uuid.UUID
    used_at: datetime | None = None  # None: now; naive = workstation time; not in the future
    quantity: int | None = None  # how many of the item's unit, when it counts
    note: str | None = None
