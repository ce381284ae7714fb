"""The documented format, the JSON Schema, the printed forms and the translations agree."""

from __future__ import annotations

import importlib.util
import json
import re
from datetime import UTC, datetime

from ebconsole.i18n import translator
from ebconsole.incidents import lifecycle, rules
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    FRAUD_CHANNEL_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    TIMELINE_LABELS,
    Category,
    Channel,
    FraudChannel,
    Status,
)
from ebconsole.incidents.intake import parse_intake, parse_intake_list
from ebconsole.incidents.render import incident_text
from ebconsole.paths import project_root, resources_dir
from tests.ebconsole.incidents.samples import fraud_intake

ZH = translator("zh_CN")
EN = translator("en")
SCHEMA = json.loads((resources_dir() / "schemas" / "intake.schema.json").read_text("utf-8"))
DEFS = SCHEMA["$defs"]


def _enum(prop: dict) -> set:
    return {v for v in prop["enum"] if v is not None}


def test_the_schema_has_exactly_the_keys_the_parser_knows():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(DEFS["incident"]["properties"]) == set(rules.TOP_KEYS)
    assert set(DEFS["reporter"]["properties"]) == set(rules.REPORTER_KEYS)
    assert set(DEFS["fraud"]["properties"]) == set(rules.FRAUD_KEYS)
    assert set(DEFS["transaction"]["properties"]) == set(rules.TRANSACTION_KEYS)
    for name in ("incident", "reporter", "fraud", "transaction"):
        assert DEFS[name]["additionalProperties"] is False


def test_the_schema_enums_and_limits_match_the_code():
    props = DEFS["incident"]["properties"]
    assert _enum(props["category"]) == {c.value for c in Category}
    assert _enum(props["channel"]) == {c.value for c in Channel}
    assert _enum(DEFS["fraud"]["properties"]["channel"]) == {c.value for c in FraudChannel}
    assert props["title"]["maxLength"] == rules.MAX["title"]
    assert props["description"]["maxLength"] == rules.MAX["description"]
    assert DEFS["fraud"]["properties"]["transactions"]["maxItems"] == rules.MAX["transactions"]
    amount = re.compile(DEFS["amount"]["oneOf"][0]["pattern"])
    assert amount.fullmatch("4999.00") and amount.fullmatch("1,200.5")
    assert not amount.fullmatch("12.345") and not amount.fullmatch("-1")
    time = re.compile(DEFS["time"]["pattern"])
    for ok in (
        "2026-05-01T14:30",
        "2026-05-01 14:30:00",
        "2026-05-01T06:30:00Z",
        "2026-05-01T14:30:00+08:00",
    ):
        assert time.fullmatch(ok), ok


def test_the_examples_of_the_documentation_are_valid():
    doc = (project_root() / "docs" / "intake-format.md").read_text("utf-8")
    blocks = re.findall(r"```json\n(.*?)```", doc, flags=re.S)
    assert len(blocks) == 2
    later = datetime(2026, 5, 2, tzinfo=UTC)
    items = [i for block in blocks for i in parse_intake_list(json.loads(block), now=later)]
    assert [i.category for i in items] == [
        Category.CUSTOMER_FRAUD,
        Category.SYSTEM_FAILURE,
        Category.NATURAL_DISASTER,
    ]


def test_the_sample_data_of_these_tests_follows_the_schema_shapes():
    raw = fraud_intake()
    assert set(raw) <= set(rules.TOP_KEYS)
    assert set(raw["fraud"]) <= set(rules.FRAUD_KEYS)


def test_every_label_and_message_has_its_chinese():
    labels = [
        *CATEGORY_LABELS.values(),
        *CHANNEL_LABELS.values(),
        *STATUS_LABELS.values(),
        *SEVERITY_LABELS.values(),
        *TIMELINE_LABELS.values(),
        *FRAUD_CHANNEL_LABELS.values(),
        *(t.action for t in lifecycle.TRANSITIONS),
    ]
    untranslated = [s for s in labels if ZH(s) == s]
    assert untranslated == []
    assert ZH(STATUS_LABELS[Status.OUT_OF_SCOPE]) == "不适用本预案(已移交)"
    assert ZH(CATEGORY_LABELS[Category.SYSTEM_FAILURE]) == "系统故障类事件"
    # the project's own check: nothing under ebconsole/incidents lacks a translation
    path = project_root() / "scripts" / "translations.py"
    spec = importlib.util.spec_from_file_location("translations_tool", path)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    mine = {
        mid: where
        for mid, where in tool.missing().items()
        if any(w.startswith("ebconsole/incidents/") for w in where)
    }
    assert mine == {}


def test_the_incident_as_text_in_both_languages(db, coordinator):
    with db.session(coordinator) as s:
        inc = incidents.create(parse_intake(fraud_intake()), session=s)
        incidents.advance(inc.id, Status.ASSESSING, session=s, note="值班经理开始评估")
        zh, en = incident_text(inc, ZH), incident_text(inc, EN)
    assert inc.reference in zh and inc.reference in en
    assert "事件类别: 客户欺诈 / 账户被盗" in zh
    assert "Incident class: Customer fraud / Account theft" in en
    assert "状态: 评估中" in zh and "Status: Assessing" in en
    assert "客户姓名: 王秀英" in zh
    assert "4999.00 CNY" in zh
    assert "处置时间线" in zh and "值班经理开始评估" in zh
