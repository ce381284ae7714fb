"""The intake format: every rule names its field, in Chinese and in English."""

from __future__ import annotations

import io
import json
from datetime import UTC, timedelta
from decimal import Decimal

import pytest

from ebconsole.errors import ValidationFailed
from ebconsole.i18n import translator
from ebconsole.incidents.enums import Category, Channel, FraudChannel
from ebconsole.incidents.intake import (
    MAX_BYTES,
    parse_intake,
    parse_intake_list,
    read_intake_file,
)
from ebconsole.timeutil import utcnow
from tests.ebconsole.incidents.samples import ID_WANG, at, fraud_intake, local_iso, outage_intake

ZH = translator("zh_CN")
EN = translator("en")


def errors_of(call, *args, **kwargs) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as err:
        call(*args, **kwargs)
    return {e.field or "": e.code for e in err.value.errors}


def the_error(data, path: str, code: str, zh: str, en: str) -> None:
    """Exactly this rule is broken, and both languages name the field."""
    with pytest.raises(ValidationFailed) as err:
        parse_intake(data)
    found = [e for e in err.value.errors if e.field == path]
    assert [e.code for e in found] == [code], err.value.errors
    assert len(err.value.errors) == 1, err.value.errors
    assert zh in found[0].message(ZH)
    assert en in found[0].message(EN)


# -- the happy path ------------------------------------------------------------------------------
def test_a_fraud_report_becomes_a_typed_incident():
    raw = fraud_intake()
    data = parse_intake(raw)
    assert data.category is Category.CUSTOMER_FRAUD
    assert data.channel is Channel.CUSTOMER_FEEDBACK  # the default for customer fraud
    assert data.reported_at == at(raw["reported_at"]).astimezone(UTC)
    assert data.reported_at.tzinfo is UTC
    assert data.reporter.name == "张丽"
    fraud = data.fraud
    assert fraud is not None
    assert fraud.account_number == "6222021234567890123"
    assert fraud.channel is FraudChannel.MOBILE_BANKING
    assert [t.amount for t in fraud.transactions] == [
        Decimal("4999.00"),
        Decimal("20000.00"),
        Decimal("1500.00"),
    ]
    assert fraud.transactions[2].currency == "CNY"
    assert fraud.transactions[2].counterparty_account == "pay@example.com"


def test_reported_at_defaults_to_now_and_offsets_are_honoured():
    now = utcnow()
    data = parse_intake(outage_intake(occurred_at="2026-01-05T08:00:00+00:00"), now=now)
    assert data.reported_at == now
    assert data.occurred_at is not None
    assert data.occurred_at.hour == 8 and data.occurred_at.tzinfo is UTC
    naive = parse_intake(outage_intake(occurred_at="2026-01-05T08:00:00"), now=now)
    assert naive.occurred_at is not None and naive.occurred_at.hour == 0  # 08:00 in Shanghai


def test_labels_of_lists_are_deduplicated_and_a_minimal_report_is_enough():
    data = parse_intake(
        {
            "title": "营业厅停电",
            "category": "natural_disaster",
            "channel": "employee_report",
            "reporter": {"name": "赵强"},
            "affected_services": ["自助设备", "自助设备"],
        }
    )
    assert data.affected_services == ["自助设备"]
    assert data.fraud is None


# -- required fields -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "zh", "en"),
    [
        ("title", "标题", "Title"),
        ("category", "事件类别", "Incident class"),
        ("channel", "渠道", "Channel"),
    ],
)
def test_required_top_level_fields(key, zh, en):
    raw = outage_intake()
    del raw[key]
    the_error(raw, key, "required", zh, en)


def test_required_reporter_name_and_blank_text_counts_as_missing():
    the_error(
        outage_intake(reporter={"department": "电子银行部"}),
        "reporter.name",
        "required",
        "报告人 › 姓名",
        "Reporter › Name",
    )
    the_error(outage_intake(title="   "), "title", "required", "标题", "Title")
    raw = outage_intake()
    del raw["reporter"]
    the_error(raw, "reporter.name", "required", "姓名", "Name")


def test_customer_fraud_needs_a_fraud_report_with_a_customer_and_a_contact():
    raw = fraud_intake()
    del raw["fraud"]
    the_error(raw, "fraud", "required", "欺诈报告", "Fraud report")
    raw = fraud_intake()
    raw["fraud"]["customer_name"] = ""
    the_error(raw, "fraud.customer_name", "required", "客户姓名", "Customer name")
    raw = fraud_intake()
    del raw["fraud"]["phone"]
    del raw["fraud"]["account_number"]
    the_error(raw, "fraud", "fraud_contact_required", "账号", "account number")


def test_a_fraud_report_on_another_class_is_refused():
    raw = outage_intake(fraud=fraud_intake()["fraud"])
    the_error(raw, "fraud", "fraud_not_allowed", "欺诈报告", "Fraud report")
    # with an unknown class the fraud report is still checked
    raw = fraud_intake(category="fraud")
    raw["fraud"]["transactions"][0]["amount"] = 1.5
    assert errors_of(parse_intake, raw) == {
        "category": "invalid_choice",
        "fraud.transactions[0].amount": "invalid_type",
    }


# -- enums, dates, times -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "value", "zh", "en"),
    [
        ("category", "earthquake", "事件类别", "Incident class"),
        ("channel", "hotline", "渠道", "Channel"),
        ("fraud.channel", "wechat", "欺诈报告 › 渠道", "Fraud report › Channel"),
    ],
)
def test_unknown_enum_values(path, value, zh, en):
    raw = fraud_intake()
    if path.startswith("fraud."):
        raw["fraud"]["channel"] = value
    else:
        raw[path] = value
    if path == "category":
        del raw["fraud"]
    the_error(raw, path, "invalid_choice", zh, en)


@pytest.mark.parametrize("value", ["2026-02-30T10:00:00", "昨天下午", "2026-13-01", 20260501])
def test_malformed_or_impossible_dates(value):
    the_error(
        outage_intake(occurred_at=value),
        "occurred_at",
        "invalid_datetime",
        "发生时间",
        "Occurred at",
    )


def test_occurred_after_reported_is_refused():
    raw = outage_intake(occurred_at=local_iso(hours_ago=1), reported_at=local_iso(hours_ago=2))
    the_error(raw, "occurred_at", "datetime_after", "报告时间", "Reported at")


def test_times_in_the_future_allow_five_minutes_of_clock_skew():
    now = utcnow()
    parse_intake(outage_intake(reported_at=local_iso(minutes_ago=-4)), now=now)
    the_error(
        outage_intake(reported_at=local_iso(minutes_ago=-30)),
        "reported_at",
        "datetime_in_future",
        "报告时间",
        "Reported at",
    )
    raw = fraud_intake()
    raw["fraud"]["transactions"][1]["time"] = local_iso(hours_ago=-2)
    the_error(
        raw,
        "fraud.transactions[1].time",
        "datetime_in_future",
        "欺诈报告 › 交易 2 › 时间",
        "Fraud report › Transaction 2 › Time",
    )


# -- money ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("-100.00", "amount_not_positive"),
        ("0", "amount_not_positive"),
        (0, "amount_not_positive"),
        ("一千元", "not_a_number"),
        ("12.345", "amount_decimals"),
        (1200.5, "invalid_type"),
        (True, "invalid_type"),
        (None, "required"),
    ],
)
def test_bad_amounts_name_the_transaction(amount, code):
    raw = fraud_intake()
    raw["fraud"]["transactions"][1]["amount"] = amount
    the_error(
        raw,
        "fraud.transactions[1].amount",
        code,
        "欺诈报告 › 交易 2 › 金额",
        "Fraud report › Transaction 2 › Amount",
    )


def test_a_float_amount_asks_for_a_decimal_string():
    raw = fraud_intake()
    raw["fraud"]["transactions"][0]["amount"] = 4999.99
    with pytest.raises(ValidationFailed) as err:
        parse_intake(raw)
    assert '"1200.50"' in err.value.message(ZH) and "十进制字符串" in err.value.message(ZH)
    assert "decimal string" in err.value.message(EN)


def test_currency_is_three_letters_and_upper_cased():
    raw = fraud_intake()
    raw["fraud"]["transactions"][0]["currency"] = "usd"
    assert parse_intake(raw).fraud.transactions[0].currency == "USD"  # type: ignore[union-attr]
    raw["fraud"]["transactions"][0]["currency"] = "RMB元"
    the_error(raw, "fraud.transactions[0].currency", "invalid_currency", "币种", "Currency")


# -- identifiers and formats ---------------------------------------------------------------------
def test_id_number_check_digit():
    raw = fraud_intake()
    raw["fraud"]["id_number"] = ID_WANG[:-1] + "5"
    the_error(raw, "fraud.id_number", "invalid_id_number", "证件号码", "ID number")
    raw["fraud"]["id_number"] = "11010519850315"
    the_error(raw, "fraud.id_number", "invalid_id_format", "证件号码", "ID number")
    raw["fraud"]["id_number"] = 110105198503150027
    the_error(raw, "fraud.id_number", "invalid_type", "证件号码", "ID number")


def test_phone_and_account_formats():
    raw = fraud_intake()
    raw["fraud"]["phone"] = "call me"
    the_error(raw, "fraud.phone", "invalid_phone", "欺诈报告 › 电话", "Fraud report › Phone")
    raw = fraud_intake()
    raw["fraud"]["account_number"] = "6222-02"
    the_error(raw, "fraud.account_number", "invalid_account", "账号", "Account number")
    raw = fraud_intake()
    raw["fraud"]["transactions"][0]["counterparty_account"] = "62170000"[:6]
    the_error(
        raw,
        "fraud.transactions[0].counterparty_account",
        "invalid_account",
        "对方账号",
        "Counterparty account",
    )
    the_error(
        outage_intake(reporter={"name": "李明", "phone": "tel:abc"}),
        "reporter.phone",
        "invalid_phone",
        "报告人 › 电话",
        "Reporter › Phone",
    )


# -- text ----------------------------------------------------------------------------------------
def test_text_over_its_limit_and_control_characters():
    the_error(outage_intake(title="网" * 201), "title", "too_long", "标题", "Title")
    the_error(
        outage_intake(branch="北京\x07分行"), "branch", "control_characters", "机构", "Branch"
    )
    the_error(outage_intake(title="网银\u200b故障"), "title", "control_characters", "标题", "Title")
    # line breaks are fine in a description
    assert parse_intake(outage_intake(description="第一行\n第二行")).description == "第一行\n第二行"
    the_error(
        outage_intake(affected_services=["网银", 7]),
        "affected_services[1]",
        "invalid_type",
        "受影响业务 2",
        "Affected services 2",
    )
    the_error(
        outage_intake(affected_services="网银"),
        "affected_services",
        "invalid_type",
        "受影响业务",
        "Affected services",
    )
    the_error(outage_intake(title=["网银"]), "title", "invalid_type", "标题", "Title")


def test_unknown_keys_at_every_level():
    raw = fraud_intake(severity="I")
    raw["reporter"]["email"] = "zhangli@example.com"
    raw["fraud"]["amount"] = "100"
    raw["fraud"]["transactions"][0]["memo"] = "备注"
    with pytest.raises(ValidationFailed) as err:
        parse_intake(raw)
    assert {e.field: e.code for e in err.value.errors} == {
        "severity": "unknown_field",
        "reporter.email": "unknown_field",
        "fraud.amount": "unknown_field",
        "fraud.transactions[0].memo": "unknown_field",
    }
    assert "不是登记格式中的字段" in err.value.errors[0].message(ZH)


def test_wrong_shapes_are_named():
    the_error(outage_intake(reporter="李明"), "reporter", "invalid_type", "报告人", "Reporter")
    raw = fraud_intake()
    raw["fraud"]["transactions"] = [None]
    the_error(raw, "fraud.transactions[0]", "invalid_type", "交易 1", "Transaction 1")


def test_every_broken_rule_is_listed_at_once():
    raw = fraud_intake(title="", channel="fax", occurred_at="2026-02-30T09:00:00")
    raw["fraud"]["id_number"] = ID_WANG[:-1] + "9"
    raw["fraud"]["transactions"][0]["amount"] = "-1"
    raw["fraud"]["transactions"][1]["amount"] = "1.005"
    raw["fraud"]["transactions"][2]["currency"] = "RMB1"
    raw["fraud"]["stop_payment_requested_at"] = "2026-04-31T10:00:00"
    assert errors_of(parse_intake, raw) == {
        "title": "required",
        "channel": "invalid_choice",
        "occurred_at": "invalid_datetime",
        "fraud.id_number": "invalid_id_number",
        "fraud.transactions[0].amount": "amount_not_positive",
        "fraud.transactions[1].amount": "amount_decimals",
        "fraud.transactions[2].currency": "invalid_currency",
        "fraud.stop_payment_requested_at": "invalid_datetime",
    }


# -- lists ---------------------------------------------------------------------------------------
def test_a_list_is_all_or_nothing_with_the_index_in_every_path():
    items = [outage_intake(), fraud_intake(), outage_intake(title=""), fraud_intake()]
    items[3]["fraud"]["transactions"][1]["amount"] = "abc"
    with pytest.raises(ValidationFailed) as err:
        parse_intake_list(items)
    assert {e.field: e.code for e in err.value.errors} == {
        "[2].title": "required",
        "[3].fraud.transactions[1].amount": "not_a_number",
    }
    title = err.value.errors[0]
    assert "事件 3 › 标题" in title.message(ZH)
    assert "Incident 3 › Title" in title.message(EN)


def test_a_single_object_or_a_list():
    assert len(parse_intake_list(outage_intake())) == 1
    assert len(parse_intake_list([outage_intake(), fraud_intake()])) == 2
    assert errors_of(parse_intake_list, []) == {"file": "empty_list"}
    assert errors_of(parse_intake_list, "网银故障") == {"file": "json_not_object"}
    assert errors_of(parse_intake_list, [outage_intake(), 3]) == {"[1]": "invalid_type"}
    assert errors_of(parse_intake, [outage_intake()]) == {"": "json_not_object"}


# -- files ---------------------------------------------------------------------------------------
def _bytes(obj, encoding="utf-8") -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=2).encode(encoding)


def test_utf8_with_or_without_bom_from_a_path_bytes_or_a_stream(tmp_path):
    data = _bytes(fraud_intake())
    path = tmp_path / "报案.json"
    path.write_bytes(b"\xef\xbb\xbf" + data)
    assert read_intake_file(path)["fraud"]["customer_name"] == "王秀英"
    assert read_intake_file(str(path))["title"].startswith("客户反映")
    assert read_intake_file(data)["branch"] == "北京分行营业部"
    assert read_intake_file(io.BytesIO(data))["branch"] == "北京分行营业部"


def test_a_gb18030_file_is_refused_naming_the_encoding_or_read_when_asked(tmp_path):
    path = tmp_path / "gbk.json"
    path.write_bytes(_bytes(fraud_intake(), "gb18030"))
    with pytest.raises(ValidationFailed) as err:
        read_intake_file(path)
    e = err.value.errors[0]
    assert (e.code, e.field, e.params["encoding"]) == ("file_not_utf8", "file", "GB18030")
    assert "GB18030" in e.message(ZH) and "UTF-8" in e.message(ZH)
    assert "--encoding GB18030" in e.message(EN)
    assert read_intake_file(path, encoding="gb18030")["fraud"]["customer_name"] == "王秀英"


def test_utf16_is_named_too():
    assert errors_of(read_intake_file, _bytes(outage_intake(), "utf-16")) == {
        "file": "file_not_utf8"
    }


@pytest.mark.parametrize(
    "blob",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        bytes(range(256)) * 4,
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xe4\x90\xff\xfe",
    ],
)
def test_binary_data_is_refused(blob):
    assert errors_of(read_intake_file, blob) == {"file": "file_binary"}


def test_a_file_over_ten_megabytes_is_refused(tmp_path):
    big = b"[" + b" " * MAX_BYTES + b"]"
    assert errors_of(read_intake_file, big) == {"file": "file_too_large"}
    path = tmp_path / "big.json"
    path.write_bytes(big)
    assert errors_of(read_intake_file, path) == {"file": "file_too_large"}
    assert errors_of(read_intake_file, io.BytesIO(big)) == {"file": "file_too_large"}


def test_json_syntax_errors_give_line_and_column():
    with pytest.raises(ValidationFailed) as err:
        read_intake_file('{\n  "title": "网银故障",\n  "category" "other"\n}'.encode())
    e = err.value.errors[0]
    assert (e.code, e.params["line"], e.params["column"]) == ("json_syntax", 3, 14)
    assert "第 3 行" in e.message(ZH)
    with pytest.raises(ValidationFailed) as err:
        read_intake_file(b'{"title": NaN}')
    assert err.value.code == "json_syntax"


def test_nesting_deeper_than_twenty_is_refused():
    ok = "[" * 20 + "]" * 20
    assert read_intake_file(ok.encode()) is not None
    assert errors_of(read_intake_file, ("[" * 21 + "]" * 21).encode()) == {"file": "json_too_deep"}
    assert errors_of(read_intake_file, ("[" * 100_000 + "]" * 100_000).encode()) == {
        "file": "json_too_deep"
    }


def test_top_level_must_be_an_object_or_a_list_and_keys_unique(tmp_path):
    assert errors_of(read_intake_file, b'"just text"') == {"file": "json_not_object"}
    assert errors_of(read_intake_file, b"42") == {"file": "json_not_object"}
    assert errors_of(read_intake_file, '{"title": "甲", "title": "乙"}'.encode()) == {
        "file": "json_duplicate_key"
    }
    assert errors_of(read_intake_file, tmp_path / "missing.json") == {"file": "file_not_found"}


def test_a_file_round_trip_through_parse(tmp_path):
    path = tmp_path / "list.json"
    path.write_bytes(_bytes([outage_intake(), fraud_intake()]))
    items = parse_intake_list(read_intake_file(path))
    assert [i.category for i in items] == [Category.SYSTEM_FAILURE, Category.CUSTOMER_FRAUD]
    assert items[0].reported_at is not None
    assert utcnow() - items[0].reported_at < timedelta(minutes=1)
