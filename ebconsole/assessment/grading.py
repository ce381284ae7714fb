"""The grading policy and its evaluation. Pure: no database, no clock.

A policy is a list of rules. A rule names a severity level and a set of conditions that
must all hold ("outage of 180 minutes or more AND 2 provinces or more AND during peak
hours"); numeric conditions are "at least", flag conditions are "is true". The proposed
level is the gravest level of any rule that matches, or the policy's default (floor)
level when none does. Since no condition can ask for *less* impact, worsening any
criterion can never lower the proposed level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import ebconsole.assessment.messages  # noqa: F401  (registers error codes and labels)
from ebconsole.assessment.enums import Criterion
from ebconsole.assessment.schemas import Criteria
from ebconsole.errors import ValidationFailed
from ebconsole.i18n import N_, Translate
from ebconsole.incidents.enums import SEVERITY_LABELS, Severity
from ebconsole.validation import Checker

Value = int | Decimal | bool

RULE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,60}$")
MAX_RULES = 200
MAX_COUNT = 10**12
DOCUMENT_KEYS = frozenset({"description", "default_level", "rules"})
RULE_KEYS = frozenset({"id", "level", "when", "basis"})
A_LIST = N_("a list ([ … ])")


@dataclass(frozen=True)
class Rule:
    id: str
    level: Severity
    when: tuple[tuple[Criterion, Value], ...]
    basis: str = ""

    def matches(self, values: dict[Criterion, Value]) -> bool:
        return all(_meets(values[c], threshold) for c, threshold in self.when)


@dataclass(frozen=True)
class GradingPolicy:
    revision: int
    default_level: Severity
    rules: tuple[Rule, ...]
    description: str = ""


@dataclass(frozen=True)
class Condition:
    criterion: Criterion
    threshold: Value
    actual: Value


@dataclass(frozen=True)
class Trigger:
    """A rule that matched, with the values that met each of its thresholds."""

    rule_id: str
    level: Severity
    conditions: tuple[Condition, ...]
    basis: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "level": self.level.value,
            "basis": self.basis,
            "conditions": [
                {
                    "criterion": c.criterion.value,
                    "threshold": _plain(c.threshold),
                    "actual": _plain(c.actual),
                }
                for c in self.conditions
            ],
        }


@dataclass(frozen=True)
class Proposal:
    level: Severity
    matched: tuple[Trigger, ...]  # every matching rule, gravest first

    @property
    def triggers(self) -> tuple[Trigger, ...]:
        """The rules that set the level: the UI's "why". Empty when the floor applies."""
        return tuple(t for t in self.matched if t.level is self.level)


def _meets(actual: Value, threshold: Value) -> bool:
    if isinstance(threshold, bool):  # a flag condition is always "is true"
        return bool(actual)
    return actual >= threshold


def _plain(value: Value) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def criteria_values(criteria: Criteria) -> dict[Criterion, Value]:
    values: dict[Criterion, Value] = {c: getattr(criteria, c.value) for c in Criterion}
    # a counted leak is a leak, so a rule on "data leaked" fires for it too
    values[Criterion.DATA_LEAKED] = criteria.data_leaked or criteria.data_leaked_records > 0
    return values


def evaluate(policy: GradingPolicy, criteria: Criteria) -> Proposal:
    values = criteria_values(criteria)
    matched = sorted(
        (
            Trigger(r.id, r.level, tuple(Condition(c, t, values[c]) for c, t in r.when), r.basis)
            for r in policy.rules
            if r.matches(values)
        ),
        key=lambda t: t.level.rank,
    )
    level = min([policy.default_level, *(t.level for t in matched)], key=lambda s: s.rank)
    return Proposal(level, tuple(matched))


def describe(trigger: Trigger | dict[str, Any], tr: Translate) -> str:
    """ "Outage (minutes) 240 ≥ 180, During peak business hours" (for the UI and timeline)."""
    data = trigger.as_dict() if isinstance(trigger, Trigger) else trigger
    parts = []
    for cond in data["conditions"]:
        criterion = Criterion(cond["criterion"])
        if criterion.is_flag:
            parts.append(tr(criterion.label))
        else:
            parts.append(f"{tr(criterion.label)} {cond['actual']} ≥ {cond['threshold']}")
    return ", ".join(parts)


def level_label(level: Severity, tr: Translate) -> str:
    return tr(SEVERITY_LABELS[level])


# -- parsing and validation --------------------------------------------------------------
def parse_policy(document: Any, revision: int = 0) -> GradingPolicy:
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
    default_level = c.choice(
        "default_level", document.get("default_level"), Severity, required=True
    )
    raw_rules = document.get("rules")
    rules: list[Rule] = []
    if not raw_rules:
        c.fail("rules", "required")
    elif not isinstance(raw_rules, list):
        c.fail("rules", "invalid_type", expected_label=A_LIST)
    elif len(raw_rules) > MAX_RULES:
        c.fail("rules", "too_many", max=MAX_RULES)
    else:
        seen: set[str] = set()
        for i, raw in enumerate(raw_rules):
            rule = _parse_rule(c, f"rules[{i}]", raw)
            if rule is None:
                continue
            if rule.id in seen:
                c.fail(f"rules[{i}].id", "not_unique", value=rule.id)
            seen.add(rule.id)
            rules.append(rule)
    c.raise_if_failed()
    assert default_level is not None
    return GradingPolicy(revision, default_level, tuple(rules), description)


def _parse_rule(c: Checker, path: str, raw: Any) -> Rule | None:
    if not isinstance(raw, dict):
        c.fail(path, "policy_not_object")
        return None
    before = len(c.errors)
    for key in raw:
        if key not in RULE_KEYS:
            c.fail(f"{path}.{key}", "policy_unknown_key")
    rule_id = c.pattern(f"{path}.id", raw.get("id"), RULE_ID, "policy_invalid_id", required=True)
    level = c.choice(f"{path}.level", raw.get("level"), Severity, required=True)
    basis = c.text(f"{path}.basis", raw.get("basis"), max_len=300) or ""
    when = raw.get("when")
    conditions: list[tuple[Criterion, Value]] = []
    if not isinstance(when, dict) or not when:
        c.fail(f"{path}.when", "policy_rule_empty")
    else:
        for key, value in when.items():
            field = f"{path}.when.{key}"
            try:
                criterion = Criterion(key)
            except ValueError:
                c.fail(field, "policy_unknown_criterion", allowed=", ".join(Criterion))
                continue
            threshold = _parse_threshold(c, field, criterion, value)
            if threshold is not None:
                conditions.append((criterion, threshold))
    if len(c.errors) > before:
        return None
    assert rule_id is not None and level is not None
    order = list(Criterion)
    conditions.sort(key=lambda item: order.index(item[0]))
    return Rule(rule_id, level, tuple(conditions), basis)


def _parse_threshold(c: Checker, field: str, criterion: Criterion, value: Any) -> Value | None:
    if criterion.is_flag:
        if value is not True:
            c.fail(field, "policy_condition_true")
            return None
        return True
    if criterion.is_money:
        return c.amount(field, value)
    return c.integer(field, value, required=True, min_value=1, max_value=MAX_COUNT)
