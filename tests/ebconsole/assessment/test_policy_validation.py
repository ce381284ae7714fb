"""An administrator's policy edits are refused with every broken rule named by its field."""

from __future__ import annotations

import copy

import pytest

from ebconsole.assessment.enums import PolicyName
from ebconsole.assessment.grading import parse_policy
from ebconsole.assessment.policy_store import read_defaults
from ebconsole.errors import ValidationFailed
from ebconsole.i18n import translator


def broken(**changes) -> dict:
    doc = copy.deepcopy(read_defaults(PolicyName.GRADING))
    for key, value in changes.items():
        doc[key] = value
    return doc


def errors_of(document) -> dict[str | None, str]:
    with pytest.raises(ValidationFailed) as err:
        parse_policy(document)
    return {e.field: e.code for e in err.value.errors}


def test_the_shipped_defaults_are_valid():
    policy = parse_policy(read_defaults(PolicyName.GRADING), 1)
    assert policy.revision == 1 and len(policy.rules) > 20


def test_every_broken_rule_is_named_at_once():
    doc = broken(default_level="V", colour="red")
    doc["rules"][0]["when"] = {"outage_minute": 180, "peak_hours": False, "provinces_affected": -2}
    doc["rules"][1]["id"] = doc["rules"][2]["id"]
    doc["rules"][3]["when"] = {}
    doc["rules"][4]["when"] = {"funds_involved": 12.5}
    doc["rules"][5]["level"] = None
    assert errors_of(doc) == {
        "default_level": "invalid_choice",
        "colour": "policy_unknown_key",
        "rules[0].when.outage_minute": "policy_unknown_criterion",
        "rules[0].when.peak_hours": "policy_condition_true",
        "rules[0].when.provinces_affected": "not_in_range",
        "rules[2].id": "not_unique",
        "rules[3].when": "policy_rule_empty",
        "rules[4].when.funds_involved": "invalid_type",
        "rules[5].level": "required",
    }


def test_a_policy_needs_rules_and_must_be_an_object():
    assert errors_of(broken(rules=[])) == {"rules": "required"}
    assert errors_of(["I"]) == {None: "policy_not_object"}


def test_messages_name_the_field_in_chinese_and_english():
    with pytest.raises(ValidationFailed) as err:
        parse_policy(broken(rules=[{"id": "x", "level": "II", "when": {"outage_minutes": 0}}]))
    (error,) = err.value.errors
    assert error.message(translator("en")) == (
        "Rule 1 › Conditions › Outage (minutes): must be between 1 and 1000000000000"
    )
    assert error.message(translator("zh_CN")).startswith("规则 1 › 条件 › 中断时长（分钟）")
