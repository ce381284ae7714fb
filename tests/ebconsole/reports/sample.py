"""A realistic multi-page sample report built from every block (used by the tests and to
look at the layout: `python -m tests.ebconsole.reports.sample out.pdf [zh_CN|en]`)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ebconsole.i18n import translator
from ebconsole.reports import Column, Report, ReportInfo
from ebconsole.reports import masking as m
from ebconsole.reports.charts import SEVERITY_COLORS, bar_chart
from ebconsole.reports.fonts import FontChoice
from ebconsole.reports.output import BuildResult, Progress

# Customer data that must never show unmasked in the PDF.
ACCOUNT = "6222021234567891234"
ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"
ACCOUNT_IN_TEXT = "6217000010012345678"

CLASSES = ("系统故障类事件", "网络攻击类事件", "自然灾害类事件")
SEVERITIES = ("Ⅰ级", "Ⅱ级", "Ⅲ级", "Ⅳ级")
CHANNELS = ("员工报告", "系统监控", "客户反馈")
HEADINGS = ("一、总体情况", "二、事件明细", "三、审核签字")
COLUMNS = ("事件编号", "类别", "报告渠道", "事件经过及处置情况", "客户账号", "发生时间", "级别")

_STORIES = (
    "核心系统数据库主节点于凌晨发生宕机，手机银行及网上银行交易全部失败。值班人员按预案切换至备份中心，"
    "应急技术小组排查后确认为存储控制器硬件故障，更换备件后恢复服务，期间共影响交易约一千二百笔。",
    "监控平台发现网上银行登录接口出现大量异常请求，疑似撞库攻击。已临时启用图形验证码并封禁可疑地址段，"
    "通知信息安全部门调查取证，未发现客户数据泄露。",
    "客户致电反映其手机银行账户出现非本人操作的转账交易两笔，合计人民币四万八千元，怀疑账户被盗。"
    f"客户称卡号{ACCOUNT_IN_TEXT}，已按预案冻结账户、紧急止付并协助客户向公安机关报案。",
    "受台风影响，分行机房所在区域停电，备用发电机按计划启动，电子渠道服务未中断；"
    "应急支持小组协调物流保障燃油补给，并向客户发布服务提示。",
    "第三方短信通道故障导致动态验证码发送延迟，部分客户无法完成网上支付。已切换至备用通道，"
    "客户服务中心统一答复口径，事后要求供应商提交故障报告。",
)


def sample_rows(count: int = 300) -> list[list[object]]:
    start = datetime(2026, 4, 1, 1, 30, tzinfo=UTC)
    rows: list[list[object]] = []
    for i in range(count):
        story = _STORIES[i % len(_STORIES)]
        if i % 7 == 0:
            story += (
                "后续复盘时发现该类问题在流程中缺少明确的升级时限，已列入改进事项跟踪办理。" * 2
            )
        rows.append(
            [
                f"EB-BJ01-2026-{i + 1:04d}",
                CLASSES[i % 3],
                CHANNELS[i % 3],
                story,
                m.account(ACCOUNT),
                start + timedelta(hours=7 * i, minutes=13 * i),
                SEVERITIES[(i * 5) % 4],
            ]
        )
    return rows


def build_sample(
    path: str | Path,
    lang: str = "zh_CN",
    *,
    fonts: FontChoice | None = None,
    rows: int = 300,
    progress: Progress | None = None,
) -> BuildResult:
    t = translator(lang)
    info = ReportInfo(
        title="电子银行突发事件季度报告",
        subtitle="2026 年第二季度（4 月 1 日至 6 月 30 日）",
        site_code="BJ01",
        site_name="某某银行北京分行",
        workstation="应急值班台-1",
        author="张伟",
        keywords=("电子银行", "突发事件", "季度报告"),
        language=lang,
        generated_at=datetime(2026, 7, 1, 1, 5, 9, tzinfo=UTC),
        data_as_of=datetime(2026, 6, 30, 15, 59, 30, tzinfo=UTC),
        data_source="本机数据库",
    )
    rep = Report(
        info,
        t,
        fonts=fonts,
        audit_lines=[
            "incidents  #1842  sha256:3f1c9a0b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170615243f",
            "audit_log  #20931 sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        ],
    )
    rep.heading(HEADINGS[0])
    rep.paragraph(
        "本季度共登记电子银行突发事件 300 起，其中系统故障类事件 100 起、网络攻击类事件 100 起、"
        "自然灾害类事件 100 起；启动应急响应 42 次，平均恢复服务用时 47 分钟。客户反馈的疑似欺诈、"
        "账户被盗事件仍是分行最主要的受理来源，需进一步简化应急响应流程、提高响应效率。"
    )
    rep.key_values(
        [
            ("报告期", "2026-04-01 至 2026-06-30"),
            ("事件总数", 300),
            ("启动应急响应", 42),
            ("涉及客户", m.name("王小明")),
            ("客户身份证号", m.id_number(ID_NUMBER)),
            ("客户账号", m.account(ACCOUNT)),
            ("联系电话", m.phone(PHONE)),
        ]
    )
    rep.chart(
        bar_chart(
            rep.fonts,
            list(CLASSES),
            [
                ("Ⅰ级（特别重大）", [1, 0, 0]),
                ("Ⅱ级（重大）", [3, 2, 1]),
                ("Ⅲ级（较大）", [21, 30, 9]),
                ("Ⅳ级（一般）", [75, 68, 90]),
            ],
            title="按事件类别和级别统计",
            colors=SEVERITY_COLORS,
        )
    )
    rep.heading(HEADINGS[1])
    rep.data_table(
        [
            COLUMNS[0],
            COLUMNS[1],
            COLUMNS[2],
            COLUMNS[3],
            COLUMNS[4],
            COLUMNS[5],
            Column(COLUMNS[6], "center"),
        ],
        sample_rows(rows),
        col_widths=[2.7, 1.4, 1.3, 5.0, 1.9, 1.5, 0.8],
    )
    rep.heading(HEADINGS[2])
    rep.paragraph("本报告经应急小组审核后报应急领导小组。")
    rep.signatures()
    return rep.build(path, progress=progress)


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "sample-report.pdf"
    print(build_sample(out, sys.argv[2] if len(sys.argv) > 2 else "zh_CN"))
