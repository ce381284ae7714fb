"""Input objects. A naive time is read in the workstation's zone. In `ShiftUpdate`, only
the fields that were set are applied."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from ebconsole.roster.enums import DutyRole


class PersonOnDuty(BaseModel):
    """A group member, a user account, or a name and phone. Name and phone default to the
    member's (mobile first) or the user's."""

    model_config = ConfigDict(frozen=True)

    member_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    person_name: str | None = None
    person_phone: str | None = None


class ShiftCreate(PersonOnDuty):
    role: DutyRole = DutyRole.DUTY_OFFICER
    starts_at: datetime
    ends_at: datetime
    note: str | None = None


class ShiftUpdate(BaseModel):
    model_config = ConfigDict(frozen=True)

    person_name: str | None = None
    person_phone: str | None = None
    role: DutyRole | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    note: str | None = None
    version: int | None = None
