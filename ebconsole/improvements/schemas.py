"""Input objects. In `ActionUpdate`, only the fields that were set are applied; setting
an optional field to None clears it. Closing goes through `complete` and `cancel`."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict

from ebconsole.improvements.enums import ActionStatus, SourceKind


class ActionCreate(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str
    description: str | None = None
    source_kind: SourceKind
    source_id: uuid.UUID | None = None
    source_item: int | None = None
    source_ref: str | None = None
    owner_name: str
    owner_user_id: uuid.UUID | None = None
    due_date: date


class ActionUpdate(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str | None = None
    description: str | None = None
    source_ref: str | None = None
    owner_name: str | None = None
    owner_user_id: uuid.UUID | None = None
    due_date: date | None = None
    status: ActionStatus | None = None  # open or in progress; see complete() and cancel()
    version: int | None = None
