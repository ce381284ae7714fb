from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ebconsole.incidents.enums import Severity


class Criteria(BaseModel):
    """What the assessor knows of the impact. Unknown means zero / no."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    outage_minutes: int = 0
    provinces_affected: int = 0
    branches_affected: int = 0
    customers_affected: int = 0
    funds_involved: Decimal = Decimal("0")
    data_leaked_records: int = 0
    data_leaked: bool = False
    sensitive_data: bool = False
    peak_hours: bool = False


class AssessmentCreate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    criteria: Criteria = Field(default_factory=Criteria)
    override_level: Severity | None = None
    override_reason: str | None = None
    notify: list[str] = Field(default_factory=list)
    decision_note: str | None = None


class PolicyInput(BaseModel):
    """A whole policy document as edited by an administrator.

    `base_revision` is the revision the editor started from: saving over a newer one is
    refused, so two administrators cannot silently overwrite each other.
    """

    model_config = ConfigDict(frozen=True)

    document: dict[str, Any]
    base_revision: int | None = None
    note: str | None = None
