"""Typed input objects of the incidents aggregate.

They mirror the intake format (docs/intake-format.md) so that a broken rule carries the
same field path whether it came from a JSON file or from the console's form
(`fraud.transactions[1].amount`). The service checks every rule again (`rules.py`), so
a form may build these objects directly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ebconsole.incidents.enums import (
    Category,
    Channel,
    FraudChannel,
    Severity,
    Status,
    TimelineKind,
)
from ebconsole.validation import Checker

MAX_LIMIT = 1000


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReporterInput(_Input):
    name: str = ""
    department: str | None = None
    phone: str | None = None


class TransactionInput(_Input):
    time: datetime | None = None
    amount: Decimal
    currency: str = "CNY"
    counterparty_name: str | None = None
    counterparty_account: str | None = None
    counterparty_bank: str | None = None
    reference: str | None = None


class FraudReportInput(_Input):
    customer_name: str = ""
    id_number: str | None = None
    phone: str | None = None
    account_number: str | None = None
    channel: FraudChannel | None = None
    transactions: list[TransactionInput] = Field(default_factory=list)
    police_report_no: str | None = None
    stop_payment_requested_at: datetime | None = None
    freeze_requested_at: datetime | None = None


class IncidentCreate(_Input):
    """A new incident. `channel` may be left out for customer fraud (customer feedback);
    `reported_at` defaults to now. Naive times are read in the workstation's zone."""

    title: str
    category: Category
    subcategory: str | None = None
    channel: Channel | None = None
    occurred_at: datetime | None = None
    reported_at: datetime | None = None
    reporter: ReporterInput = Field(default_factory=ReporterInput)
    branch: str | None = None
    description: str | None = None
    affected_services: list[str] = Field(default_factory=list)
    fraud: FraudReportInput | None = None


class IncidentUpdate(_Input):
    """Changes to an incident's facts. Only the fields given are changed (a field given as
    None clears it). The lifecycle, the fraud report and the review have their own verbs."""

    title: str | None = None
    category: Category | None = None
    subcategory: str | None = None
    channel: Channel | None = None
    occurred_at: datetime | None = None
    reported_at: datetime | None = None
    reporter: ReporterInput | None = None
    branch: str | None = None
    description: str | None = None
    affected_services: list[str] | None = None
    severity: Severity | None = None


class TimelineEntryCreate(_Input):
    """An action, decision, notification or note a user adds to the timeline."""

    kind: TimelineKind = TimelineKind.ACTION
    text: str
    at: datetime | None = None


class IncidentReview(_Input):
    """Summary and improvement (总结与改进): needed to close a restored incident."""

    cause: str
    lessons: str
    handling: str | None = None


class SortKey(StrEnum):
    REPORTED_AT = "reported_at"
    OCCURRED_AT = "occurred_at"
    REFERENCE = "reference"
    TITLE = "title"
    CATEGORY = "category"
    SEVERITY = "severity"
    STATUS = "status"
    BRANCH = "branch"
    UPDATED_AT = "updated_at"


class IncidentFilter(_Input):
    """What a list shows. Empty sets mean "any". `date_from`/`date_to` are local days,
    both inclusive; `reported_from`/`reported_to` are instants (from inclusive, to
    exclusive) for callers that need them. `severities` may hold None: not yet assessed."""

    statuses: frozenset[Status] = frozenset()
    categories: frozenset[Category] = frozenset()
    severities: frozenset[Severity | None] = frozenset()
    date_from: date | None = None
    date_to: date | None = None
    reported_from: datetime | None = None
    reported_to: datetime | None = None
    text: str | None = None
    owner_id: uuid.UUID | None = None
    # the branches whose incidents are listed (a clerk sees only their own); empty: all
    branches: frozenset[str] = frozenset()
    include_archived: bool = False
    sort: SortKey = SortKey.REPORTED_AT
    descending: bool = True
    offset: int = Field(default=0, ge=0)
    limit: int = Field(default=100, ge=1, le=MAX_LIMIT)

    @classmethod
    def from_cli(
        cls,
        *,
        statuses: list[str] | None = None,
        categories: list[str] | None = None,
        severities: list[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        text: str | None = None,
        sort: str | None = None,
        descending: bool = True,
        offset: int = 0,
        limit: int = 100,
    ) -> IncidentFilter:
        """Build a filter from plain strings; every bad value is reported at once."""
        c = Checker()
        values: dict[str, Any] = {}
        for name, raw, enum in (
            ("statuses", statuses, Status),
            ("categories", categories, Category),
            ("severities", severities, Severity),
        ):
            chosen = set()
            for item in raw or []:
                for part in item.split(","):
                    value = c.choice(name, part.strip(), enum, required=True)
                    if value is not None:
                        chosen.add(value)
            values[name] = frozenset(chosen)
        values["date_from"] = c.day("date_from", date_from)
        values["date_to"] = c.day("date_to", date_to)
        values["text"] = c.text("text", text, max_len=200)
        values["sort"] = c.choice("sort", sort, SortKey) or SortKey.REPORTED_AT
        values["offset"] = c.integer("offset", offset, min_value=0, max_value=10**9) or 0
        values["limit"] = c.integer("limit", limit, min_value=1, max_value=MAX_LIMIT) or 100
        c.raise_if_failed()
        return cls(descending=descending, **values)


@dataclass(frozen=True, slots=True)
class IncidentListRow:
    """One incident as the incidents table lists it (`service.list_rows`): the columns the
    table shows, filters on and shows as tooltips, read as plain values, no ORM object.
    `owner` is the owner's display name (their user name when it has none), "" when
    nobody owns the incident."""

    id: uuid.UUID
    reference: str
    reported_at: datetime
    category: Category
    severity: Severity | None
    status: Status
    title: str
    branch: str | None
    owner: str
    has_fraud: bool
