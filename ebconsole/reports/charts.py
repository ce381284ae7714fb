"""Bar charts for counts (by incident class and severity …) with CJK labels.

    drawing = bar_chart(
        fonts, [t("System failure"), t("Network attack"), t("Natural disaster")],
        [("I", [1, 0, 0]), ("II", [3, 1, 0]), ("III", [7, 2, 1]), ("IV", [12, 5, 0])],
        title=t("Incidents by class and severity"), colors=SEVERITY_COLORS)
    report.chart(drawing)

The result is a reportlab `Drawing`, a Flowable: text is drawn in the report's (embedded)
body font, so Chinese labels print anywhere.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors as rl_colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from ebconsole.reports.fonts import FontChoice
from ebconsole.reports.styles import FRAME_WIDTH, GRID, INK, MUTED, NAVY, SEVERITY_COLORS

DEFAULT_COLORS = (
    NAVY,
    rl_colors.HexColor("#5B8DB8"),
    rl_colors.HexColor("#9DB9D5"),
    rl_colors.HexColor("#C7772E"),
    rl_colors.HexColor("#7A8B99"),
)

__all__ = ["DEFAULT_COLORS", "SEVERITY_COLORS", "bar_chart", "nice_step"]


def nice_step(maximum: float, ticks: int = 5) -> int:
    """An integer tick step (1, 2, 5, 10, 20, 50 …) giving about `ticks` ticks."""
    if maximum <= ticks:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return int(m * power)
    return int(10 * power)


def bar_chart(
    fonts: FontChoice,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str = "",
    colors: Sequence[rl_colors.Color] | None = None,
    width: float = FRAME_WIDTH,
    height: float = 72 * mm,
    horizontal: bool = False,
    stacked: bool = False,
    value_labels: bool = True,
) -> Drawing:
    """Grouped (or stacked) bars: one group per category, one bar per series, a legend
    when there is more than one series. Category and series names are translated text."""
    if not categories:
        raise ValueError("a bar chart needs at least one category")
    for name, values in series:
        if len(values) != len(categories):
            raise ValueError(
                f"series {name!r} has {len(values)} values for {len(categories)} categories"
            )
    font = fonts.body
    palette = list(colors or DEFAULT_COLORS)
    drawing = Drawing(width, height)
    drawing.initialFontName = font  # the renderer's starting font: not Helvetica
    top = height
    if title:
        drawing.add(
            String(0, height - 11, title, fontName=fonts.heading, fontSize=10.5, fillColor=NAVY)
        )
        top -= 20
    legend_h = 16 if len(series) > 1 else 0

    data = [list(values) or [0] for _name, values in series] or [[0] * len(categories)]
    if stacked:
        peak = max(sum(col) for col in zip(*data, strict=True))
    else:
        peak = max(max(v) for v in data)
    step = nice_step(peak)
    vmax = max(step, step * math.ceil(peak / step))
    if value_labels and not stacked and vmax - peak < step / 2:
        vmax += step  # room for the value label above the tallest bar

    label_w = max(stringWidth(c, font, 8) for c in categories)
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    if horizontal:
        chart.x = min(label_w + 10, width * 0.4)
        chart.y = legend_h + 16
        chart.width = width - chart.x - 12
        chart.height = top - chart.y - 4
    else:
        chart.x = 30
        chart.y = legend_h + 26
        chart.width = width - chart.x - 8
        chart.height = top - chart.y - 4
    chart.data = data
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.strokeColor = MUTED
    if horizontal:
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -4
        chart.categoryAxis.reverseDirection = 1  # first category on top
    else:
        chart.categoryAxis.labels.boxAnchor = "n"
        chart.categoryAxis.labels.dy = -4
    va = chart.valueAxis
    va.valueMin, va.valueMax, va.valueStep = 0, vmax, step
    va.labels.fontName = font
    va.labels.fontSize = 7.5
    va.labels.fillColor = MUTED
    va.labelTextFormat = "%d"
    va.strokeColor = MUTED
    va.visibleGrid = 1
    va.gridStrokeColor = GRID
    va.gridStrokeWidth = 0.4
    chart.barSpacing = 1.5
    chart.groupSpacing = 10
    chart.bars.strokeColor = None
    for i in range(len(series)):
        chart.bars[i].fillColor = palette[i % len(palette)]
    if stacked:
        chart.categoryAxis.style = "stacked"
    if value_labels:
        chart.barLabelFormat = lambda v: "" if not v else f"{v:g}"
        chart.barLabels.fontName = font
        chart.barLabels.fontSize = 7
        chart.barLabels.fillColor = INK
        if stacked:
            chart.barLabels.fillColor = rl_colors.white
        elif horizontal:
            chart.barLabels.boxAnchor = "w"
            chart.barLabels.dx = 3
        else:
            chart.barLabels.boxAnchor = "s"
            chart.barLabels.dy = 2
    drawing.add(chart)

    if len(series) > 1:
        legend = Legend()
        legend.colorNamePairs = [
            (palette[i % len(palette)], name) for i, (name, _v) in enumerate(series)
        ]
        legend.fontName = font
        legend.fontSize = 8
        legend.fillColor = INK
        legend.alignment = "right"
        legend.boxAnchor = "sw"
        legend.x = chart.x
        legend.y = 2
        legend.dx = legend.dy = 7
        legend.deltay = 10
        legend.columnMaximum = 1
        legend.dxTextSpace = 4
        legend.strokeColor = None
        legend.deltax = max(stringWidth(n, font, 8) for n, _v in series) + 22
        drawing.add(legend)
    return drawing
