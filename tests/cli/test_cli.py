"""The command line, as a duty-room operator or a script uses it."""

from __future__ import annotations

import sqlite3

from ebconsole import __version__

FRAUD = {
    "title": "客户遭冒充客服诈骗",
    "category": "customer_fraud",
    "subcategory": "telecom_fraud",
    "channel": "customer_feedback",
    "occurred_at": "2026-11-27T20:15:00",
    "reported_at": "2026-11-27T21:02:00+08:00",
    "reporter": {"name": "张丽", "department": "北京分行营业部", "phone": "010-66881234"},
    "branch": "北京分行营业部",
    "description": "客户称接到自称客服的电话，按指示在手机银行转账。",
    "affected_services": ["手机银行"],
    "fraud": {
        "customer_name": "刘秀英",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "account_number": "6222021234567890123",
        "channel": "mobile_banking",
        "transactions": [
            {
                "time": "2026-11-27T20:31:00",
                "amount": "49800.00",
                "currency": "CNY",
                "counterparty_name": "陈某",
                "counterparty_account": "6217001234567890",
                "counterparty_bank": "某商业银行",
                "reference": "202611272031001",
            },
            {"time": "2026-11-27T20:40:00", "amount": "1200.50", "currency": "CNY"},
        ],
        "police_report_no": "J2026112700123",
        "stop_payment_requested_at": "2026-11-27T21:10:00",
    },
}

OUTAGE = {
    "title": "手机银行登录失败",
    "category": "system_failure",
    "subcategory": "server_down",
    "channel": "system_monitoring",
    "occurred_at": "2026-11-28T09:00:00",
    "reported_at": "2026-11-28T09:05:00",
    "reporter": {"name": "李明", "department": "信息科技部"},
    "affected_services": ["手机银行"],
}


def test_version(cli):
    r = cli("--version")
    assert r.code == 0 and r.out.strip() == f"ebconsole {__version__}"


def test_init_creates_a_stamped_database_and_is_idempotent(ready_cli):
    again = ready_cli("init", "--json")
    assert again.code == 0, again.err
    assert again.json()["state"] == "up_to_date"
    con = sqlite3.connect(ready_cli.db)
    assert con.execute("select version_num from alembic_version").fetchone()[0]
    assert con.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_commands_on_an_uninitialised_database_fail_with_one_line(cli):
    r = cli("incident", "list")
    assert r.code != 0
    assert r.err.strip().count("\n") == 0 and "ebconsole init" in r.err


def test_add_show_list_round_trip(ready_cli):
    path = ready_cli.write("intake.json", [FRAUD, OUTAGE])
    r = ready_cli("incident", "add", str(path), "--json")
    assert r.code == 0, r.err
    refs = r.json()
    assert len(refs) == 2 and all(ref.startswith("BJ01A-") for ref in refs)

    shown = ready_cli("incident", "show", refs[0], "--reveal", "--json").json()
    for key in ("title", "category", "subcategory", "channel", "branch", "description"):
        assert shown[key] == FRAUD[key]
    assert shown["reference"] == refs[0] and shown["status"] == "reported"
    assert shown["reporter"]["name"] == "张丽"
    tx = shown["fraud"]["transactions"]
    assert [t["amount"] for t in tx] == ["49800.00", "1200.50"]
    assert shown["fraud"]["id_number"] == "11010519491231002X"
    assert shown["occurred_at"].startswith("2026-11-27T20:15:00+08:00")
    assert shown["timeline"]

    masked = ready_cli("incident", "show", refs[0], "--json").json()
    assert masked["fraud"]["id_number"] == "110***********002X"
    assert "11010519491231002X" not in ready_cli("incident", "show", refs[0]).out

    listed = ready_cli("incident", "list", "--class", "customer_fraud", "--json").json()
    assert [i["reference"] for i in listed] == [refs[0]]
    assert listed[0]["fraud"]["account_number"] == "6222 **** **** 0123"
    text = ready_cli("incident", "list", "--text", "登录", "--json").json()
    assert [i["reference"] for i in text] == [refs[1]]


def test_stdin_and_chinese_output(ready_cli):
    import json

    r = ready_cli(
        "incident", "add", "-", stdin=json.dumps(OUTAGE, ensure_ascii=False), lang="zh_CN"
    )
    assert r.code == 0, r.err
    ref = r.out.strip()
    listing = ready_cli("incident", "list", lang="zh_CN")
    assert ref in listing.out and "系统故障" in listing.out


def test_lifecycle_through_the_cli(ready_cli):
    ref = ready_cli("incident", "add", str(ready_cli.write("o.json", OUTAGE))).out.strip()
    early = ready_cli("incident", "advance", ref, "--to", "activated")
    assert (early.code != 0 and "activated" in early.err.lower()) or "assess" in early.err.lower()
    r = ready_cli(
        "incident", "assess", ref, "--outage-minutes", "240", "--customers", "50000", "--json"
    )
    assert r.code == 0, r.err
    assert r.json()["severity"] in ("I", "II", "III", "IV")
    for state in ("activated", "handling", "recovering", "restored"):
        step = ready_cli("incident", "advance", ref, "--to", state, "--note", f"进入{state}")
        assert step.code == 0, step.err
    logged = ready_cli(
        "incident", "log", ref, "--add", "已通知客服中心", "--kind", "notification", "--json"
    )
    assert logged.code == 0, logged.err
    kinds = [e["kind"] for e in logged.json()]
    assert kinds.count("status_change") >= 5 and "notification" in kinds
    obligations = ready_cli("obligations", "--json")
    assert obligations.code == 0, obligations.err
    assert any(o["incident_reference"] == ref for o in obligations.json())


def test_bad_input_names_the_field_in_both_languages_and_adds_nothing(ready_cli):
    bad = dict(FRAUD, fraud=dict(FRAUD["fraud"], id_number="110105194912310021"))
    path = ready_cli.write("bad.json", [OUTAGE, bad])
    en = ready_cli("incident", "add", str(path))
    assert en.code != 0 and "ID number" in en.err
    zh = ready_cli("incident", "add", str(path), lang="zh_CN")
    assert zh.code != 0 and "证件号码" in zh.err and "校验码" in zh.err
    assert ready_cli("incident", "list", "--json").json() == []


def test_gb18030_file_is_refused_with_a_message_saying_so(ready_cli):
    path = ready_cli.write("gbk.json", OUTAGE, encoding="gb18030")
    r = ready_cli("incident", "add", str(path))
    assert r.code != 0 and "UTF-8" in r.err and "GB18030" in r.err.upper()
    ok = ready_cli("incident", "add", str(path), "--encoding", "gb18030")
    assert ok.code == 0, ok.err


def test_demo_fills_every_part_of_the_plan(ready_cli):
    r = ready_cli("demo", "--incidents", "200", "--json")
    assert r.code == 0, r.err
    summary = r.json()
    assert summary["incidents"] == 200
    statuses = {
        i["status"] for i in ready_cli("incident", "list", "--limit", "1000", "--json").json()
    }
    assert {"reviewed", "handling", "dismissed"} <= statuses


def test_a_command_puts_back_the_language_and_logging_it_changed(ready_cli, tmp_path):
    """As in a fresh process (no log handler yet) the command opens its log file; after it
    the process has its own language and no open log file again, so the next command run
    in the same process starts from scratch."""
    import logging

    from ebconsole.i18n import current_language, set_language, translator

    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    language = current_language()
    for handler in saved:
        root.removeHandler(handler)
    try:
        set_language("en")
        data = tmp_path / "data"
        r = ready_cli("incident", "list", lang="zh_CN", env={"EBCONSOLE_DATA_DIR": str(data)})
        assert r.code == 0, r.err
        assert r.out.strip() == translator("zh_CN")("No incidents.") != "No incidents."
        assert root.handlers == [] and current_language() == "en"
        log = (data / "logs" / "ebconsole.log").read_text(encoding="utf-8")
        assert ": incident" in log  # the command did log, to a file it closed again
    finally:
        for handler in saved:
            root.addHandler(handler)
        root.setLevel(level)
        set_language(language)
