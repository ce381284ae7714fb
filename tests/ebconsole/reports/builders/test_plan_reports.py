"""The reports on the plan's standing data: the responsibility matrix and contacts, the
resource inventory, and a year of training and drills (demo plan data, written through
the services)."""

from __future__ import annotations

import pytest

from ebconsole.drills import service as drills
from ebconsole.organisation import service as organisation
from ebconsole.reports.builders import BuildOptions, gather, generate
from ebconsole.timeutil import to_local, utcnow
from tests.ebconsole.reports.builders.conftest import check_pdf, customer_secrets

pytestmark = pytest.mark.slow


def test_matrix_and_contacts(db, demo_world, tmp_path):
    with db.session(readonly=True) as s:
        contacts = organisation.contacts(session=s)
    assert len(contacts) >= 10
    out = tmp_path / "职责矩阵.pdf"
    result = generate(db, "matrix", {}, out, BuildOptions("zh_CN", author="王建国"))
    texts = check_pdf(
        out,
        pages=result.pages,
        expected=(
            "职责矩阵与应急通讯录",
            "一、应急组织",
            "应急领导小组",
            "应急小组",
            "应急支持小组",
            "二、职责矩阵",
            "事件发现与报告",
            "初步评估与决策",
            "牵头",
            "执行",
            "三、应急通讯录",
            "为便于应急联络，电话号码完整打印",
            *[c.name for c in contacts],
        ),
        forbidden=customer_secrets(db),
    )
    # staff phones are printed in full: a contact list is for dialling
    flat = "".join("".join(texts).split())
    for c in contacts:
        assert c.mobile_phone and c.mobile_phone in flat
        if c.office_phone:
            assert c.office_phone in flat


def test_resource_inventory(db, demo_world, tmp_path):
    data = gather(db, "resources", {})
    assert data.items and data.overdue
    out = tmp_path / "应急资源.pdf"
    result = generate(db, "resources", {}, out, BuildOptions("zh_CN"))
    check_pdf(
        out,
        pages=result.pages,
        expected=(
            "应急资源清单及检查情况",
            "一、总览",
            "按资源类型和检查情况统计",
            "二、资源清单",
            "备份系统/备份中心",
            "同城灾备中心（核心系统）",
            "柴油发电机",
            "三、逾期未检查的资源",
            "检查逾期",
            data.overdue[0].name,
            "检查人",
        ),
        forbidden=customer_secrets(db),
    )


def test_training_and_drills_of_this_year(db, demo_world, tmp_path):
    year = to_local(utcnow()).year
    with db.session(readonly=True) as s:
        records = [
            (r.plan.title, r.held_on.isoformat(), list(r.findings))
            for r in drills.list_records(year, session=s)
        ]
    data = gather(db, "drills", {"year": year})
    assert len(data.sessions) == len(records)
    out = tmp_path / "培训演练.pdf"
    result = generate(db, "drills", {"year": year}, out, BuildOptions("zh_CN"))
    expected = [
        "培训与演练情况报告",
        f"{year} 年度",
        "一、预案要求落实情况",
        "每年至少开展一次培训",
        "每年至少开展一次演练",
        "二、培训与演练计划",
        "三、培训情况",
        "四、演练情况",
        "五、演练评估与发现的问题",
        "六、改进措施",
    ]
    for title, held_on, findings in records:
        expected += [title, held_on, *findings]
    check_pdf(out, pages=result.pages, expected=tuple(expected))


def test_a_year_without_sessions_says_the_rule_is_not_met(db, world, tmp_path):
    out = tmp_path / "drills-2001.pdf"
    result = generate(db, "drills", {"year": 2001}, out, BuildOptions("zh_CN"))
    check_pdf(out, pages=result.pages, expected=("未落实", "2001 年未落实“每年至少一次”的要求"))


def test_drills_in_english(db, demo_world, tmp_path):
    out = tmp_path / "drills.pdf"
    result = generate(db, "drills", {}, out, BuildOptions("en"))
    check_pdf(
        out,
        pages=result.pages,
        expected=("Training and drill report", "Drill at least once a year"),
    )
