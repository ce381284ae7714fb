"""The incident response report (事件处置报告) of a customer-fraud incident handled from
intake to review through the services."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from ebconsole.errors import NotFound
from ebconsole.reports.builders import REPORTS, BuildOptions, gather, generate
from tests.ebconsole.reports.builders import scenario
from tests.ebconsole.reports.builders.conftest import check_pdf

pytestmark = pytest.mark.slow


def test_incident_report_in_chinese(db, fraud_case, tmp_path):
    out = tmp_path / "事件处置报告.pdf"
    result = generate(
        db, "incident", {"ref": fraud_case.reference}, out, BuildOptions("zh_CN", author="李明")
    )
    assert result.embedded_font and result.font_hint == ""
    texts = check_pdf(
        out,
        pages=result.pages,
        expected=(
            "事件处置报告",
            fraud_case.reference,
            scenario.TITLE,
            "一、基本情况",
            "客户欺诈报告",
            "刘秀英",
            *scenario.MASKED,
            "139****2345",  # the reporter's phone
            scenario.TX_REFERENCE,  # a bank serial number is printed as it is
            "49,800.00",
            "51,000.50 CNY",  # the total
            "J2026112700123",
            "事件分类与分级评估",
            "第 1 次评估",
            "第 2 次评估",
            "涉及老年客户且资金已转出，提级处置",  # the override's reason
            "III级 较大",
            "处置过程",
            "恢复服务用时",
            "处置时间线",
            "已协助客户拨打110报警，取得报警回执",
            "报告时限落实情况",
            "已电话报告分管行领导",
            "使用的应急资源",
            scenario.RESOURCE_NAME,
            scenario.RESOURCE_NOTE,
            "2 席",
            "事后总结",
            scenario.CAUSE[:20],
            scenario.LESSONS[:20],
            scenario.ACTION_TITLE,
            scenario.ACTION_OWNER,
            "经办人",
            "复核人",
            "审批人",
            "数据截至",
        ),
        forbidden=scenario.SECRETS,
    )
    assert fraud_case.action_due in "".join(texts)
    assert "第 1 / " in texts[0]


def test_incident_report_in_english(db, fraud_case, tmp_path):
    out = tmp_path / "incident.pdf"
    result = generate(db, "incident", {"ref": fraud_case.reference}, out, BuildOptions("en"))
    check_pdf(
        out,
        pages=result.pages,
        expected=(
            "Incident response report",
            "Basic information",
            "Customer fraud report",
            "Timeline",
            "Handled by",
            "Resources used",
            scenario.RESOURCE_NAME,
            *scenario.MASKED,
        ),
        forbidden=scenario.SECRETS,
    )


def test_gathering_an_incident_takes_a_fixed_number_of_queries(db, fraud_case):
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    data = gather(db, "incident", {"ref": fraud_case.reference})
    assert len(data.timeline) > 8 and len(data.assessments) == 2
    assert len(data.fraud.transactions) == 2 and len(data.actions) == 1
    assert [r.name for r in data.resources_used] == [scenario.RESOURCE_NAME]
    assert len(statements) <= 20


def test_an_unknown_reference_is_not_found(db, world, tmp_path):
    with pytest.raises(NotFound):
        generate(db, "incident", {"ref": "BJ01-20990101-999"}, tmp_path / "x.pdf", BuildOptions())
    assert not (tmp_path / "x.pdf").exists()


def test_the_spec_needs_a_reference():
    from ebconsole.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as err:
        REPORTS["incident"].check({})
    assert err.value.errors[0].field == "ref"
