"""Input objects. In an `…Update`, only the fields that were set are applied; setting an
optional field to None clears it."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict


class GroupUpdate(BaseModel):
    model_config = ConfigDict(frozen=True)

    name_zh: str | None = None
    name_en: str | None = None
    composition_zh: str | None = None
    composition_en: str | None = None
    duties_zh: str | None = None
    duties_en: str | None = None
    version: int | None = None  # the version the user edited; a newer one is refused


class MemberCreate(BaseModel):
    model_config = ConfigDict(frozen=True)

    group_id: uuid.UUID
    name: str
    title: str | None = None
    department: str | None = None
    office_phone: str | None = None
    mobile_phone: str | None = None
    deputy_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    position: int | None = None  # None: after the group's last member


class MemberUpdate(BaseModel):
    model_config = ConfigDict(frozen=True)

    group_id: uuid.UUID | None = None
    name: str | None = None
    title: str | None = None
    department: str | None = None
    office_phone: str | None = None
    mobile_phone: str | None = None
    deputy_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    position: int | None = None
    version: int | None = None
