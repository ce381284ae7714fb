from __future__ import annotations

import pytest
from reportlab.graphics.shapes import Drawing

from ebconsole.i18n import translator
from ebconsole.reports import Report, ReportInfo
from ebconsole.reports.charts import SEVERITY_COLORS, bar_chart, nice_step
from ebconsole.reports.fonts import resolve_fonts
from tests.ebconsole.reports.conftest import page_texts

CLASSES = ["系统故障类事件", "网络攻击类事件", "自然灾害类事件"]
SERIES = [("Ⅰ级", [1, 0, 0]), ("Ⅱ级", [3, 1, 0]), ("Ⅲ级", [17, 12, 4]), ("Ⅳ级", [40, 15, 6])]


def test_nice_step():
    assert [nice_step(n) for n in (0, 3, 5, 9, 40, 75, 130, 999)] == [1, 1, 1, 2, 10, 20, 50, 200]


def test_chart_is_a_drawing_in_the_report_font():
    fonts = resolve_fonts()
    d = bar_chart(fonts, CLASSES, SERIES, title="按类别和级别", colors=SEVERITY_COLORS)
    assert isinstance(d, Drawing)
    assert d.initialFontName == fonts.body
    chart = d.contents[1]
    assert chart.categoryAxis.labels.fontName == fonts.body
    assert chart.valueAxis.valueMax >= 40


def test_bad_series_length():
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        bar_chart(resolve_fonts(), CLASSES, [("x", [1, 2])])
    with pytest.raises(ValueError):
        bar_chart(resolve_fonts(), [], [])


@pytest.mark.parametrize("kw", [{}, {"horizontal": True}, {"stacked": True}])
def test_chart_labels_in_the_pdf(tmp_path, kw):
    rep = Report(ReportInfo(title="统计", site_code="BJ01", workstation="ws"), translator("zh_CN"))
    rep.chart(bar_chart(rep.fonts, CLASSES, SERIES, title="按事件类别和级别统计", **kw))
    out = tmp_path / "chart.pdf"
    rep.build(out)
    text = page_texts(out)[0]
    for label in (*CLASSES, "Ⅳ级", "按事件类别和级别统计"):
        assert label in text
