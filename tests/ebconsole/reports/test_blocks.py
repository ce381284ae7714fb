from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ebconsole.i18n import translator
from ebconsole.reports import Column, Report, ReportInfo
from ebconsole.reports import masking as m
from ebconsole.reports.blocks import Render, fit_widths, markup
from ebconsole.reports.document import format_generated, make_report_id
from tests.ebconsole.reports.conftest import page_texts

ZH = translator("zh_CN")


def _report(**kw) -> Report:
    info = ReportInfo(
        title="测试报告",
        site_code="BJ01",
        workstation="值班台",
        generated_at=datetime(2026, 5, 1, 6, 30, tzinfo=UTC),
    )
    return Report(info, ZH, **kw)


def test_report_id_and_generated_time():
    when = datetime(2026, 5, 1, 6, 30, 5, tzinfo=UTC)
    assert make_report_id("bj-01", when) == "RPT-BJ01-20260501143005"
    assert make_report_id("", when) == "RPT-LOCAL-20260501143005"
    assert format_generated(when) == "2026-05-01 14:30:05 (UTC+08:00)"


def test_render_values():
    r = Render(ZH)
    assert r.text(None) == ""
    assert r.text(True) == "是" and r.text(False) == "否"
    assert r.text(datetime(2026, 5, 1, 6, 30, tzinfo=UTC)) == "2026-05-01 14:30"
    assert r.text(date(2026, 5, 1)) == "2026-05-01"
    assert r.text(Decimal("48000")) == "48,000.00"
    assert r.text(m.phone("13812345678")) == "138****5678"
    assert r.text("卡号6222021234567891234") == "卡号6222 **** **** 1234"
    revealed = Render(ZH, reveal_sensitive=True)
    assert revealed.text(m.phone("13812345678")) == "13812345678"
    assert revealed.text("卡号6222021234567891234") == "卡号6222021234567891234"
    assert Render(ZH, scrub_text=False).text("卡号6222021234567891234") == "卡号6222021234567891234"


def test_markup_escapes_and_clips():
    assert markup("a < b & <b>c</b>\n第二行") == "a &lt; b &amp; &lt;b&gt;c&lt;/b&gt;<br/>第二行"
    assert markup("控制\x00字符\x1b") == "控制字符"
    clipped = markup("很长" * 1000, max_lines=3, line_chars=10)
    assert clipped.endswith("…") and len(clipped) <= 31


def test_fit_widths():
    assert fit_widths([1, 1], [0, 0], 100) == [50, 50]
    widths = fit_widths([1, 8, 1], [30, 0, 0], 100)
    assert widths[0] == 30 and sum(widths) == pytest.approx(100)
    assert widths[1] / widths[2] == pytest.approx(8)
    assert sum(fit_widths([1, 1, 1], [60, 60, 60], 100)) == pytest.approx(100)


def test_table_shapes_and_errors():
    rep = _report()
    with pytest.raises(ValueError, match="2 columns but 3"):
        rep.data_table(["a", "b"], [], col_widths=[1, 2, 3])
    with pytest.raises(ValueError, match="row has 1 cells"):
        rep.data_table(["a", "b"], [["x"]])


def test_blocks_build_and_read_back(tmp_path):
    rep = _report(audit_lines=["audit #7 sha256:" + "0f" * 32])
    rep.heading("一、数据表")
    rep.heading("（一）空表", level=1)
    rep.data_table(["编号", "说明"], [])
    rep.heading("（二）特殊字符", level=3)  # clamped to level 2: no gap in the outline
    rep.data_table(
        ["编号", Column("金额（元）", "right")],
        [["<script>&amp;", Decimal("1234.5")], ["超长" * 5000, Decimal("0")]],
    )
    rep.key_values(
        [
            ("客户", m.name("欧阳娜娜")),
            ("证件", m.id_number("11010519491231002X")),
            ("长说明", "很长的说明" * 3000),
        ],
        columns=1,
    )
    rep.note("请于 24 小时内补录书面报告。")
    rep.freshness(None)
    rep.signatures(["Handled by", "Approved by"])
    out = tmp_path / "blocks.pdf"
    result = rep.build(out)
    text = "".join(page_texts(out))
    assert "无记录" in text
    assert "<script>&amp;" in text
    assert "1,234.50" in text
    assert "…" in text  # the 10 000-character cell was cut to fit one page
    assert "欧**娜" in text and "110***********002X" in text
    assert "请于 24 小时内补录书面报告。" in text
    assert "数据截至：未知" in text
    assert "经办人" in text and "审批人" in text and "复核人" not in text
    assert "审计链校验值" in text and "0f0f0f" in text
    assert result.pages >= 2


PLAIN_TEXTS = [
    "客户来电称接到冒充公安的电话，被要求将资金转入安全账户。",
    "  A & B <c> 中文  tabs\there \u3000全角空格 ",
    "• 中断时长（分钟） 420 ≥ 180, 受影响省份数 3 ≥ 2（PBOC Order 2025 No. 4: main "
    "functions down in peak hours in 2+ provinces for 3 h or more）\n• 第二条 & 理由\n"
    "• Outage (minutes) 420 ≥ 360, Provinces affected 3 ≥ 1, During peak business hours",
    "第一行\n\n第三行（前面一行是空的）\n",
    "\n开头换行 a  \n  b 结尾",
    "",
]


def _merged(frags) -> list[tuple[bool, str]]:
    """(is a line break, text) with neighbouring text fragments joined: reportlab's parser
    cuts text at each entity (`&amp;`), which changes nothing drawn."""
    out: list[tuple[bool, str]] = []
    for f in frags:
        brk = bool(getattr(f, "lineBreak", False))
        if out and not brk and not out[-1][0]:
            out[-1] = (False, out[-1][1] + f.text)
        else:
            out.append((brk, f.text))
    return out


def _attrs(frag) -> str:
    """A fragment's attributes but its text (font, size, colour, line break …)."""
    return repr(sorted((k, repr(v)) for k, v in frag.__dict__.items() if k != "text"))


def _lines(para) -> list[str]:
    blpara = para.blPara
    if blpara.kind == 0:
        return [" ".join(words).rstrip() for _extra, words in blpara.lines]
    return ["".join(w.text for w in line.words).rstrip() for line in blpara.lines]


def test_plain_paragraphs_are_what_the_markup_parser_makes_of_them():
    """`Para.plain` skips reportlab's markup parser and wraps several lines line by line;
    its fragments, lines and heights are those of the parsed markup."""
    from ebconsole.reports.blocks import Para, plain_text
    from ebconsole.reports.fonts import resolve_fonts
    from ebconsole.reports.styles import make_styles

    styles = make_styles(resolve_fonts())
    for style in (styles.body, styles.cell, styles.value, styles.cell_right):
        for text in PLAIN_TEXTS:
            plain = Para.plain(plain_text(text), style)
            parsed = Para(markup(text), style)  # parsed, split by reportlab's general splitter
            assert _merged(plain.frags) == _merged(parsed.frags), text
            kinds = {_attrs(f) for f in parsed.frags}  # a text's and a break's
            assert {_attrs(f) for f in plain.frags} <= kinds, text
            for width in (60, 150, 400):
                assert plain.wrap(width, 1e6) == parsed.wrap(width, 1e6), text
                assert _lines(plain) == _lines(parsed), (text, width)


def test_table_cells_are_drawn_as_reportlab_draws_them():
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Table

    from ebconsole.reports import blocks

    rep = _report()
    table = blocks.data_table(
        rep.styles,
        rep.render,
        [Column("编号", "right"), "标题", Column("状态", "center")],
        [
            [1, "核心系统 CORE-01 宕机", "处置中"],
            [22, "两行\n的单元格", ""],
            [333, "", "已关闭 (closed)"],
        ],
    )
    assert isinstance(table, blocks.CellTable)
    codes = []
    for draw_cell in (blocks.CellTable._drawCell, Table._drawCell):
        canvas = Canvas("unused.pdf")
        if draw_cell is blocks.CellTable._drawCell:  # the short way, really
            for name in ("drawString", "drawRightString", "drawCentredString"):
                setattr(canvas, name, None)
        table.__dict__["_drawCell"] = draw_cell.__get__(table)
        table.wrapOn(canvas, rep.styles.frame_width, 500)
        table.drawOn(canvas, 40, 300)
        codes.append(canvas._code)
    assert codes[0] == codes[1]
    assert any("Tm /F" in line for line in codes[0])  # drawn in the report's font

    # the cells' styles are each their own: styling one cell changes that cell only
    table.setStyle([("TEXTCOLOR", (1, 1), (1, 1), "red")])
    colours = {str(row[1].color) for row in table._cellStyles[1:]}
    assert len(colours) == 2
