"""No Chinese font on the machine: the report still builds, with the built-in CID font."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime

from pypdf import PdfReader

from ebconsole.i18n import translator
from ebconsole.reports import Report, ReportInfo
from ebconsole.reports.charts import bar_chart
from ebconsole.reports.fonts import resolve_fonts
from tests.ebconsole.reports.conftest import font_dicts, pdftotext, require_tool


def test_cid_fallback_builds_and_says_so(tmp_path):
    empty = tmp_path / "empty-fonts"
    empty.mkdir()
    fonts = resolve_fonts(search_dirs=[empty])
    t = translator("zh_CN")
    rep = Report(
        ReportInfo(
            title="应急演练记录",
            subtitle="2026 年桌面演练 · 网络攻击场景",
            site_code="SH02",
            site_name="某某银行上海分行",
            workstation="演练终端-3",
            data_as_of=datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        ),
        t,
        fonts=fonts,
        audit_lines=["drills #12 sha256:" + "ab" * 32],
    )
    rep.heading("一、演练概况")
    rep.paragraph("本次演练模拟网上银行遭受分布式拒绝服务攻击，检验应急小组的处置流程。")
    rep.key_values([("演练方式", "桌面演练"), ("参演人数", 18)])
    rep.data_table(
        ["环节", "用时（分钟）"], [["事件发现与报告", 6], ["初步评估与决策", 14]], col_widths=[3, 1]
    )
    rep.chart(bar_chart(fonts, ["发现", "评估", "处置"], [("用时", [6, 14, 35])]))
    rep.signatures()
    out = tmp_path / "drill.pdf"
    result = rep.build(out)

    assert out.exists()
    assert result.embedded_font is False
    assert "fonts-wqy-microhei" in result.font_hint
    assert "SimSun" in result.font_hint and "EBCONSOLE_REPORT_FONT" in result.font_hint
    for _page, _name, font in font_dicts(out):
        assert font["/BaseFont"] == "/STSong-Light"
    assert len(PdfReader(out).pages) == result.pages == 1
    # poppler substitutes an installed Chinese font for the built-in one
    text = "".join(pdftotext(out).split())  # (the CID font's spacing is approximate)
    assert "应急演练记录" in text and "第1/1页" in text
    pdftoppm = require_tool("pdftoppm")
    subprocess.run(
        [pdftoppm, "-r", "50", "-png", str(out), str(tmp_path / "p")],
        check=True,
        capture_output=True,
    )
    assert len(list(tmp_path.glob("p-*.png"))) == 1


def test_middle_dot_survives_the_cid_font(tmp_path):
    from reportlab.pdfbase.pdfmetrics import getFont

    empty = tmp_path / "none"
    empty.mkdir()
    font = getFont(resolve_fonts(search_dirs=[empty]).body)
    # U+00B7 is not in the Adobe-GB1 UCS-2 CMap; it is drawn as U+30FB instead
    assert font.formatForPdf("站点 · 标题") == font.formatForPdf("站点 \u30fb 标题")
    assert font.stringWidth("·", 10) == font.stringWidth("\u30fb", 10)
