"""The post-incident review report (事后评估报告)."""

from __future__ import annotations

import pytest

from ebconsole.reports.builders import BuildOptions, generate
from tests.ebconsole.reports.builders import scenario
from tests.ebconsole.reports.builders.conftest import check_pdf

pytestmark = pytest.mark.slow


def test_review_report(db, fraud_case, tmp_path):
    out = tmp_path / "事后评估报告.pdf"
    result = generate(db, "review", {"ref": fraud_case.reference}, out, BuildOptions("zh_CN"))
    check_pdf(
        out,
        pages=result.pages,
        expected=(
            "事后评估报告",
            fraud_case.reference,
            "一、事件概况",
            "恢复服务用时",
            "二、事件原因",
            scenario.CAUSE,
            "三、处置评价",
            scenario.HANDLING,
            "四、经验教训与改进建议",
            scenario.LESSONS,
            "五、报告时限落实情况",
            "六、改进措施",
            scenario.ACTION_TITLE,
            scenario.ACTION_OWNER,
            fraud_case.action_due,
            "待处理",
            "编制人",
            "审批人",
        ),
        forbidden=scenario.SECRETS,
    )


def test_review_of_an_incident_not_yet_reviewed(db, world, tmp_path):
    reference = scenario.running_outage(db, world.coordinator)
    out = tmp_path / "review.pdf"
    result = generate(db, "review", {"ref": reference}, out, BuildOptions("zh_CN"))
    check_pdf(
        out,
        pages=result.pages,
        expected=("该事件尚未登记事后总结", "未记录。", "本次评估未提出改进措施。"),
    )
