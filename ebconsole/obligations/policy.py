"""The obligation policy and the deadlines it sets for an incident. Pure: no database.

initial_report / written_report   activated_at + minutes, for the listed levels
post_incident_report              restored_at + working days (Chinese calendar), listed levels
stop_payment_expiry               stop_payment_requested_at + hours × (1 + extensions)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import ebconsole.obligations.messages  # noqa: F401  (registers error codes and labels)
from ebconsole.assessment.grading import A_LIST
from ebconsole.errors import ValidationFailed
from ebconsole.i18n import N_
from ebconsole.incidents.enums import Severity
from ebconsole.incidents.models import Incident
from ebconsole.obligations.enums import ObligationKind
from ebconsole.obligations.workdays import MAX_WORKING_DAYS, working_day_deadline
from ebconsole.validation import Checker

Kind = ObligationKind
AFTER_ACTIVATION = (Kind.INITIAL_REPORT, Kind.WRITTEN_REPORT)
DOCUMENT_KEYS = frozenset({"description", "zone", "obligations"})
COMMON_KEYS = frozenset({"enabled", "remind_minutes"})
KIND_KEYS = {
    Kind.INITIAL_REPORT: COMMON_KEYS | {"levels", "minutes"},
    Kind.WRITTEN_REPORT: COMMON_KEYS | {"levels", "minutes"},
    Kind.POST_INCIDENT_REPORT: COMMON_KEYS | {"levels", "working_days"},
    Kind.STOP_PAYMENT_EXPIRY: COMMON_KEYS | {"hours", "max_extensions"},
}
MAX_MINUTES = 7 * 24 * 60
TRUE_OR_FALSE = N_("true or false")
MAX_REMIND_MINUTES = 30 * 24 * 60


@dataclass(frozen=True)
class KindRule:
    enabled: bool
    remind: timedelta
    levels: frozenset[Severity] = frozenset()
    minutes: int = 0
    working_days: int = 0
    hours: int = 0
    max_extensions: int = 0


@dataclass(frozen=True)
class ObligationPolicy:
    revision: int
    zone: tzinfo
    rules: dict[ObligationKind, KindRule]
    description: str = ""


@dataclass(frozen=True)
class IncidentFacts:
    """What the deadlines depend on, read off an incident."""

    severity: Severity | None = None
    activated_at: datetime | None = None
    restored_at: datetime | None = None
    stop_payment_requested_at: datetime | None = None
    stop_payment_extensions: int = 0
    in_scope: bool = True  # one handed off as out of scope owes no reports under the plan

    @classmethod
    def of(cls, incident: Incident) -> IncidentFacts:
        fraud = incident.fraud
        return cls(
            incident.severity,
            incident.activated_at,
            incident.restored_at,
            fraud.stop_payment_requested_at if fraud else None,
            fraud.stop_payment_extensions if fraud else 0,
            incident.in_scope,
        )


@dataclass(frozen=True)
class Due:
    due_at: datetime
    remind_at: datetime
    estimated: bool = False


def stop_payment_expiry(requested_at: datetime, extensions: int, rule: KindRule) -> datetime:
    """48 h from the stop, 48 h more for each re-stop (counted up to the policy's maximum)."""
    windows = 1 + max(0, min(extensions, rule.max_extensions))
    return requested_at + timedelta(hours=rule.hours * windows)


def deadlines(facts: IncidentFacts, policy: ObligationPolicy) -> dict[ObligationKind, Due]:
    """Every obligation the incident has now, with its due time."""
    out: dict[ObligationKind, Due] = {}

    def add(kind: Kind, due_at: datetime, estimated: bool = False) -> None:
        out[kind] = Due(due_at, due_at - policy.rules[kind].remind, estimated)

    def applies(kind: Kind) -> bool:
        rule = policy.rules[kind]
        return facts.in_scope and rule.enabled and facts.severity in rule.levels

    for kind in AFTER_ACTIVATION:
        if facts.activated_at is not None and applies(kind):
            add(kind, facts.activated_at + timedelta(minutes=policy.rules[kind].minutes))
    post = policy.rules[Kind.POST_INCIDENT_REPORT]
    if facts.restored_at is not None and applies(Kind.POST_INCIDENT_REPORT):
        due, estimated = working_day_deadline(facts.restored_at, post.working_days, policy.zone)
        add(Kind.POST_INCIDENT_REPORT, due, estimated)
    stop = policy.rules[Kind.STOP_PAYMENT_EXPIRY]
    if facts.stop_payment_requested_at is not None and stop.enabled:
        add(
            Kind.STOP_PAYMENT_EXPIRY,
            stop_payment_expiry(
                facts.stop_payment_requested_at, facts.stop_payment_extensions, stop
            ),
        )
    return out


# -- parsing and validation --------------------------------------------------------------
def parse_policy(document: Any, revision: int = 0) -> ObligationPolicy:
    """Validate a policy document; every broken rule is reported with its field path."""
    if not isinstance(document, dict):
        raise ValidationFailed.one("policy_not_object")
    c = Checker()
    for key in document:
        if key not in DOCUMENT_KEYS:
            c.fail(str(key), "policy_unknown_key")
    description = (
        c.text("description", document.get("description"), max_len=500, multiline=True) or ""
    )
    zone = _parse_zone(c, document.get("zone"))
    raw = document.get("obligations")
    rules: dict[ObligationKind, KindRule] = {}
    if not isinstance(raw, dict):
        c.fail("obligations", "required" if raw is None else "policy_not_object")
    else:
        for key in raw:
            if key not in KIND_KEYS:
                c.fail(f"obligations.{key}", "policy_unknown_key")
        for kind in Kind:
            rule = _parse_kind(c, kind, raw.get(kind.value))
            if rule is not None:
                rules[kind] = rule
    c.raise_if_failed()
    assert zone is not None
    return ObligationPolicy(revision, zone, rules, description)


def _parse_zone(c: Checker, value: Any) -> tzinfo | None:
    name = c.text("zone", value, required=True, max_len=60)
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        c.fail("zone", "invalid_time_zone", value=name)
        return None


def _parse_kind(c: Checker, kind: Kind, raw: Any) -> KindRule | None:
    path = f"obligations.{kind.value}"
    if raw is None:
        c.fail(path, "required")
        return None
    if not isinstance(raw, dict):
        c.fail(path, "policy_not_object")
        return None
    before = len(c.errors)
    allowed = KIND_KEYS[kind]
    for key in raw:
        if key not in allowed:
            c.fail(f"{path}.{key}", "policy_unknown_key")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        c.fail(f"{path}.enabled", "invalid_type", expected_label=TRUE_OR_FALSE)
    remind = c.integer(
        f"{path}.remind_minutes", raw.get("remind_minutes", 0), max_value=MAX_REMIND_MINUTES
    )
    values: dict[str, Any] = {}
    if "levels" in allowed:
        values["levels"] = _parse_levels(c, f"{path}.levels", raw.get("levels"))
    for key, low, high in (
        ("minutes", 1, MAX_MINUTES),
        ("working_days", 1, MAX_WORKING_DAYS),
        ("hours", 1, 24 * 30),
        ("max_extensions", 0, 10),
    ):
        if key in allowed:
            values[key] = c.integer(
                f"{path}.{key}", raw.get(key), required=True, min_value=low, max_value=high
            )
    if len(c.errors) > before:
        return None
    return KindRule(enabled=bool(enabled), remind=timedelta(minutes=remind or 0), **values)


def _parse_levels(c: Checker, path: str, raw: Any) -> frozenset[Severity]:
    if not isinstance(raw, list):
        if raw is None:
            c.fail(path, "required")
        else:
            c.fail(path, "invalid_type", expected_label=A_LIST)
        return frozenset()
    levels: set[Severity] = set()
    for i, value in enumerate(raw):
        level = c.choice(f"{path}[{i}]", value, Severity, required=True)
        if level is not None:
            if level in levels:
                c.fail(f"{path}[{i}]", "not_unique", value=level.value)
            levels.add(level)
    return frozenset(levels)
