"""`ebconsole report KIND … --out FILE.pdf`, run as a duty-room operator runs it."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from ebconsole.cli.commands_report import KINDS
from ebconsole.reports.builders import REPORTS
from tests.cli.test_cli import FRAUD

pytestmark = pytest.mark.slow

SECRETS = ("11010519491231002X", "13812345678", "6222021234567890123", "6217001234567890")


def text_of(path) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_the_cli_knows_every_report():
    assert {kind: tuple(p.name for p in spec.params) for kind, spec in REPORTS.items()} == KINDS


def test_status_report(ready_cli):
    assert ready_cli("demo", "--incidents", "40").code == 0
    out = ready_cli.tmp / "情况通报.pdf"
    r = ready_cli("report", "status", "--out", str(out), lang="zh_CN")
    assert r.code == 0, r.err
    assert str(out) in r.out and "报告编号 RPT-BJ01A-" in r.out
    text = text_of(out)
    assert "电子银行突发事件情况通报" in text
    assert "数据截至" in text and "值班室-1" in text
    assert r.err == ""  # the Chinese font is embedded: no hint


def test_incident_report_as_json_in_english(ready_cli):
    intake = ready_cli.write("fraud.json", FRAUD)
    added = ready_cli("incident", "add", str(intake), "--json")
    assert added.code == 0, added.err
    ref = added.json()[0]
    out = ready_cli.tmp / "incident.pdf"
    r = ready_cli("report", "incident", "--ref", ref, "--out", str(out), "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert data["report"] == "incident" and data["path"] == str(out)
    assert data["pages"] == len(PdfReader(out).pages) and data["embedded_font"] is True
    assert data["report_id"].startswith("RPT-BJ01A-")
    text = text_of(out)
    assert "Incidentresponsereport" in text and ref in text and "刘秀英" in text
    assert "110***********002X" in text and "6222********0123" in text
    for secret in SECRETS:
        assert secret not in text


def test_incident_report_in_chinese_with_a_default_file_name(ready_cli):
    intake = ready_cli.write("fraud.json", FRAUD)
    ref = ready_cli("incident", "add", str(intake), "--json").json()[0]
    r = ready_cli("report", "review", "--ref", ref, lang="zh_CN")
    assert r.code == 0, r.err
    made = list(ready_cli.tmp.glob(f"事后评估报告_{ref}_*.pdf"))
    assert len(made) == 1
    assert "该事件尚未登记事后总结" in text_of(made[0])


def test_mistakes_are_explained(ready_cli):
    r = ready_cli("report", "incident", "--out", "x.pdf")
    assert r.code == 2 and "Incident number" in r.err
    r = ready_cli("report", "incident", "--ref", "BJ01A-20990101-999", "--out", "x.pdf")
    assert r.code == 2 and "BJ01A-20990101-999" in r.err
    r = ready_cli("report", "drills", "--year", "twenty", "--out", "x.pdf")
    assert r.code == 2 and "Year" in r.err
    r = ready_cli("report", "status", "--ref", "BJ01A-1", "--out", "x.pdf")
    assert r.code == 1 and "--ref" in r.err
    r = ready_cli("report", "nonsense")
    assert r.code == 2
    assert not (ready_cli.tmp / "x.pdf").exists()


def test_a_clerk_may_not_generate_reports(ready_cli):
    from ebconsole.db.session import Database
    from ebconsole.users import service as users
    from ebconsole.users.enums import Role
    from ebconsole.users.schemas import UserCreate

    db = Database(str(ready_cli.db))
    try:
        with db.session(readonly=True) as s:
            inst = users.require_installation(session=s)
            admin = users.actor_for(users.get_by_username("admin", session=s), inst)
        with db.session(admin) as s:
            users.create(
                UserCreate(
                    username="zhangli",
                    display_name="张丽",
                    role=Role.CLERK,
                    password="Duty-room-2026",
                    branch="北京分行营业部",
                ),
                session=s,
            )
    finally:
        db.dispose()
    r = ready_cli("report", "status", "--out", "s.pdf", user="zhangli")
    assert r.code == 2 and "generate reports" in r.err
    assert not (ready_cli.tmp / "s.pdf").exists()
    assert ready_cli("report", "status", "--out", "s.pdf", user="admin").code == 0
