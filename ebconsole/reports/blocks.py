"""Flowable building blocks shared by every report: headings with bookmarks, tables,
key–value blocks, the data freshness note, signature lines and the audit chain block.

Each takes the `ReportStyles` (fonts) and, where it has labels of its own, the report's
`translate`. Cell and value text is plain text: it is escaped here, never parsed as markup.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from weakref import WeakKeyDictionary
from xml.sax.saxutils import escape

from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import wordSplit
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont, stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.paragraph import (
    FragLine,
    ParaLines,
    cleanBlockQuotedText,
    textTransformFrags,
)
from reportlab.platypus.tables import CellStyle

from ebconsole.i18n import N_, Translate
from ebconsole.reports.masking import Sensitive, mask_text
from ebconsole.reports.styles import (
    GRID,
    LABEL_BG,
    MUTED,
    NAVY,
    NOTE_BG,
    NOTE_RULE,
    RULE,
    ZEBRA,
    ReportStyles,
)
from ebconsole.timeutil import format_local

Align = Literal["left", "right", "center"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Column:
    """A table column: its (already translated) title and how its cells align."""

    title: str
    align: Align = "left"


@dataclass(frozen=True)
class Render:
    """How values become text: masking and scrubbing policy of the report."""

    translate: Translate
    reveal_sensitive: bool = False  # show Sensitive values in full (authorised use only)
    scrub_text: bool = True  # mask ID/phone/card numbers found in free text

    def text(self, value: object) -> str:
        """Plain text for a cell or value (not yet escaped)."""
        if value is None:
            return ""
        if isinstance(value, Sensitive):
            return value.render(self.reveal_sensitive)
        if isinstance(value, bool):
            return self.translate(N_("Yes") if value else N_("No"))
        if isinstance(value, datetime):
            return format_local(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return f"{value:,.2f}"
        text = str(value)
        if self.scrub_text and not self.reveal_sensitive:
            text = mask_text(text)
        return text

    def markup(self, value: object, max_lines: int | None = None, line_chars: int = 1) -> str:
        """Escaped Paragraph markup for a value (see `markup`)."""
        return markup(self.text(value), max_lines, line_chars)


def markup(text: str, max_lines: int | None = None, line_chars: int = 1) -> str:
    """Escaped Paragraph markup for plain text; line breaks are kept. With `max_lines`,
    text that would wrap to more lines (at `line_chars` wide characters a line) is cut
    with "…", so that a table row always fits on one page."""
    text = _CONTROL.sub("", text).replace("\r\n", "\n")
    if max_lines is not None:
        text = _clip(text, max_lines, max(line_chars, 1))
    return escape(text).replace("\n", "<br/>")


def _clip(text: str, max_lines: int, line_chars: int) -> str:
    """`text` cut to about `max_lines` wrapped lines (a conservative estimate: every
    character counted as a full-width Chinese one)."""
    used = 0
    out: list[str] = []
    for line in text.split("\n"):
        need = max(1, -(-len(line) // line_chars))
        if used + need > max_lines:
            room = (max_lines - used) * line_chars - 1
            if room > 0:
                out.append(line[:room])
            return "\n".join(out) + "…"
        out.append(line)
        used += need
    return text


# A line break inside plain text while it is cleaned: not whitespace, and never in the
# text itself (`_CONTROL` removes it)
_BREAK = "\x00"
# per style: the fragments reportlab's parser makes of a piece of text and of a <br/>
_FRAGS: WeakKeyDictionary[Any, tuple[Any, Any]] = WeakKeyDictionary()


def _frag_templates(style: Any) -> tuple[Any, Any]:
    found = _FRAGS.get(style)
    if found is None:
        text, brk, _rest = Paragraph("x<br/>x", style).frags
        found = _FRAGS[style] = (text, brk)
    return found


def plain_frags(text: str, style: Any) -> tuple[list[Any], list[str]]:
    """The fragments reportlab's parser makes of `escape(text)` with its line breaks as
    `<br/>` (whitespace collapsed the same way, by reportlab's own function), without
    parsing: one fragment per line and one per break. Also the lines' texts."""
    cleaned = cleanBlockQuotedText(text.replace("\n", _BREAK))
    lines = cleaned.split(_BREAK)
    frag, brk = _frag_templates(style)
    frags: list[Any] = []
    for n, line in enumerate(lines):
        if n:
            frags.append(brk.clone())
        if line:
            frags.append(frag.clone(text=line))
    textTransformFrags(frags, style)
    return frags, lines


class Para(Paragraph):
    """A Paragraph that remembers its line breaks for the width it was last wrapped at.

    Tables wrap every cell several times (measuring, splitting across pages, drawing);
    Chinese line breaking is the costly part, so re-wrapping at the same width reuses the
    previous result.

    `Para.plain(text, style)` makes one of plain text without reportlab's markup parser,
    and wraps a text of several lines line by line with reportlab's fast single-font
    splitter: the same lines as reportlab's general (per-character object) splitter,
    which took ~0.2 ms a character (the grading reasons of one assessment: 80 ms).
    """

    _wrapped_at: float | None = None
    _lines: list[str] | None = None  # the lines of a `plain` paragraph, cleaned

    @classmethod
    def plain(cls, text: str, style: Any) -> Para:
        """A paragraph of plain text (control characters and `\r` already handled by the
        caller, see `markup`); `.text` is its markup, as if parsed."""
        frags, lines = plain_frags(text, style)
        para = cls(escape(text).replace("\n", "<br/>"), style, frags=frags)
        if len(frags) > 1:
            para._lines = lines
        return para

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped_at == availWidth and "blPara" in self.__dict__:
            self.width = availWidth
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth if height < 0x7FFFFFFF else None
        return width, height

    def _break_plain_lines(self, maxWidths: Any) -> Any:
        """The lines of a plain paragraph of several lines: each line split by reportlab's
        single-font splitter (`wordSplit`, as for a one-line paragraph), assembled as
        reportlab's general splitter assembles them (`cjkFragSplit`/`makeCJKParaLine`):
        a line that ends at a line break carries the break fragment, so that a paragraph
        split across pages keeps its breaks. None when it does not apply."""
        style = self.style
        if self._lines is None or self.bulletText or style.endDots:
            return None
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        texts = [f for f in self.frags if not hasattr(f, "lineBreak")]
        breaks = [f for f in self.frags if hasattr(f, "lineBreak")]
        if not texts or not breaks:
            return None
        frag, brk = texts[0], breaks[0]
        font, size = frag.fontName, frag.fontSize
        ascent, descent = getAscentDescent(font, size)
        out: list[Any] = []

        def line(extra: float, width: float, words: list[Any], broken: bool) -> None:
            out.append(
                FragLine(
                    kind=1,
                    extraSpace=extra,
                    wordCount=1,
                    words=words,
                    fontSize=size,
                    ascent=ascent,
                    descent=descent,
                    maxWidth=width,
                    currentWidth=width - extra,
                    lineBreak=broken,
                )
            )

        last = len(self._lines) - 1
        for n, text in enumerate(self._lines):
            widths = list(maxWidths[len(out) :]) or [maxWidths[-1]]
            pieces = wordSplit(text, widths, font, size) if text else []
            for k, (extra, piece) in enumerate(pieces):
                words = [frag.clone(text=piece)]
                ends = n < last and k == len(pieces) - 1
                if ends:
                    words.append(brk.clone())
                line(extra, widths[min(k, len(widths) - 1)], words, ends)
            if not pieces and n < last:  # an empty line
                line(widths[0], widths[0], [brk.clone()], True)
        self.height = 0
        return ParaLines(kind=1, lines=out)

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        """reportlab's Chinese line breaking carries the space it broke at over to the start
        of the next line (`2026-04-01` / ` 09:30`); drop it, as a Latin line break does."""
        para = self._break_plain_lines(maxWidths)
        if para is None:
            para = super().breakLinesCJK(maxWidths)
        if para.kind == 0:  # plain text: lines are (extra space, [words])
            for i, (extra, words) in enumerate(para.lines[1:], start=1):
                if words and isinstance(words[0], str) and words[0].startswith(" "):
                    head = words[0].lstrip(" ")
                    gap = stringWidth(
                        words[0][: len(words[0]) - len(head)], para.fontName, para.fontSize
                    )
                    para.lines[i] = (extra + gap, [head, *words[1:]])
            return para
        for line in para.lines[1:]:  # rich text: lines of frags
            words = getattr(line, "words", None)
            if not words or not isinstance(getattr(words[0], "text", None), str):
                continue
            first = words[0]
            stripped = first.text.lstrip(" ")
            if stripped != first.text:
                gap = stringWidth(
                    first.text[: len(first.text) - len(stripped)], first.fontName, first.fontSize
                )
                first.text = stripped
                line.extraSpace += gap
                line.currentWidth -= gap
        return para


def plain_text(text: str, max_lines: int | None = None, line_chars: int = 1) -> str:
    """Plain text as a paragraph shows it: control characters removed, `\r\n` as `\n`,
    and with `max_lines` cut as `markup` cuts it."""
    text = _CONTROL.sub("", text).replace("\r\n", "\n")
    if max_lines is not None:
        text = _clip(text, max_lines, max(line_chars, 1))
    return text


def paragraph(text: object, style: Any, render: Render | None = None) -> Paragraph:
    """A Paragraph of plain text (never parsed as markup; masked/scrubbed when a `render`
    is given)."""
    value = render.text(text) if render is not None else str(text)
    return Para.plain(plain_text(value), style)


# --- headings with bookmarks ------------------------------------------------------------


class Heading(Para):
    """A section heading that is also a PDF bookmark and an outline (sidebar) entry."""

    def __init__(self, text: str, style: Any, *, level: int, key: str):
        frags, _lines = plain_frags(text.replace("\n", " "), style)
        super().__init__(escape(text), style, frags=frags)
        self.outline_text = text
        self.level = level
        self.key = key

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # never split a heading: move it to the next page whole

    def draw(self) -> None:
        canv = self.canv
        canv.bookmarkHorizontal(self.key, 0, self.height + self.style.fontSize)
        canv.addOutlineEntry(self.outline_text, self.key, level=self.level, closed=False)
        super().draw()


# --- tables -----------------------------------------------------------------------------


def table_style(styles: ReportStyles, commands: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A TableStyle whose own font (used for plain-string cells, and set by reportlab on
    every table it draws) is the report's font, so no non-embedded Helvetica creeps in."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), styles.fonts.body), *commands])


def table_cell_style(styles: ReportStyles, **attributes: Any) -> CellStyle:
    """The style of a kind of table cell (the attributes that per-cell table style
    commands set: `fontname`, `fontsize`, `leading`, `color`, `alignment`, `valign`,
    the paddings), in the report's font unless told otherwise."""
    style = CellStyle("ebc-cell")
    style.fontname = styles.fonts.body
    for name, value in attributes.items():
        setattr(style, name, value)
    return style


def cell_styles(grid: Sequence[Sequence[CellStyle]]) -> list[list[CellStyle]]:
    """Each cell's own copy of its kind's style, for `Table(cellStyles=...)`.

    A table's cells are styled once, by kind, instead of by per-cell style commands that
    reportlab applies one cell at a time (nine commands for each cell of a data table).
    Each cell gets its own copy, as reportlab gives it, so a later `setStyle` on some
    cells changes those cells only."""
    return [[copy.copy(style) for style in row] for row in grid]


class CellTable(Table):
    """A Table that draws its plain-text cells in a TrueType font the short way.

    reportlab draws each such cell with `canvas.drawString`, which measures the text
    (only needed to centre or right-align it), makes a text object and formats the text
    through it. This writes the same operators, byte for byte (a test compares them),
    straight to the page; every other cell is drawn by reportlab."""

    _curcellstyle: Any  # the style last drawn with (reportlab's, reset by `draw`)

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:
        canv = self.canv
        just = cellstyle.alignment
        if (
            type(cellval) is not str
            or just not in _TEXT_ALIGN
            or cellstyle.valign not in _TEXT_VALIGN
            or cellstyle.href
            or cellstyle.destination
            or cellstyle.direction
            or cellstyle.shaping
            or not canv.bottomup
            or not getattr(getFont(cellstyle.fontname), "_dynamicFont", False)
        ):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if self._curcellstyle is not cellstyle:  # as reportlab: only what changed
            cur = self._curcellstyle
            if cur is None or cellstyle.color != cur.color:
                canv.setFillColor(cellstyle.color)
            if (
                cur is None
                or cellstyle.leading != cur.leading
                or cellstyle.fontname != cur.fontname
                or cellstyle.fontsize != cur.fontsize
            ):
                canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        colpos, rowpos = pos
        colwidth, rowheight = size
        lines = cellval.split("\n")
        leading = cellstyle.leading
        if cellstyle.valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + len(lines) * leading - cellstyle.fontsize
        elif cellstyle.valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - cellstyle.fontsize
        else:
            y = (
                rowpos
                + (
                    cellstyle.bottomPadding
                    + rowheight
                    - cellstyle.topPadding
                    + len(lines) * leading
                )
                / 2.0
                - cellstyle.fontsize
            )
        # the canvas's font, as a text object takes it
        font = getFont(canv._fontname)
        doc = canv._doc
        tf = f"{fp_str(canv._fontsize)} Tf {fp_str(canv._leading)} TL"
        code = canv._code
        for line in lines:
            if just == "LEFT":
                x = colpos + cellstyle.leftPadding
            else:
                width = stringWidth(line, canv._fontname, canv._fontsize)
                if just == "RIGHT":
                    x = colpos + colwidth - cellstyle.rightPadding - width
                else:
                    x = (
                        colpos
                        + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) * 0.5
                        - 0.5 * width
                    )
            ops: list[str] = []
            current = -1
            for subset, chunk in font.splitString(line, doc):
                if subset != current:
                    ops.append(f"{font.getSubsetInternalName(subset, doc)} {tf}")
                    current = subset
                ops.append(f"({canv._escape(chunk)}) Tj")
            code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {' '.join(ops)} T* ET")
            y -= leading


_TEXT_ALIGN = frozenset({"LEFT", "RIGHT", "CENTER", "CENTRE"})
_TEXT_VALIGN = frozenset({"TOP", "BOTTOM", "MIDDLE"})


def _widths(count: int, col_widths: Sequence[float] | None, total: float) -> list[float]:
    """Relative weights → points filling `total`."""
    weights = list(col_widths) if col_widths else [1.0] * count
    if len(weights) != count:
        raise ValueError(f"{count} columns but {len(weights)} column widths")
    if any(w <= 0 for w in weights):
        raise ValueError("column widths must be positive")
    scale = total / sum(weights)
    return [w * scale for w in weights]


_PAD_LEFT, _PAD_RIGHT, _PAD_TOP, _PAD_BOTTOM = 4, 4, 3, 4  # a data table's cells
_CELL_PADDING = 8.0
# Runs of characters that do not break inside (Latin words, numbers, dates, references);
# Chinese text may break between any two characters.
_UNBREAKABLE = re.compile(r"[^\s\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef]+")
_SHORT = 8  # a cell of up to this many characters is kept on one line when possible


def _min_width(text: str, style: Any) -> float:
    """The width a cell needs so its words and short labels do not break."""
    text = text.strip()
    if not text:
        return 0.0
    font, size = style.fontName, style.fontSize
    if len(text) <= _SHORT:
        return float(stringWidth(text, font, size))
    runs = _UNBREAKABLE.findall(text)
    widest = max((stringWidth(r, font, size) for r in runs), default=0.0)
    return float(max(widest, size))


def fit_widths(weights: Sequence[float], mins: Sequence[float], total: float) -> list[float]:
    """Column widths filling `total` in proportion to `weights`, except that a column gets
    at least its minimum (capped at 40% of the table) when the others can give it room."""
    mins = [min(m, total * 0.4) for m in mins]
    if sum(mins) >= total:
        scale = total / sum(mins)
        return [m * scale for m in mins]
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(weights)) if i not in fixed]
        room = total - sum(fixed.values())
        share = sum(weights[i] for i in free)
        widths = {i: room * weights[i] / share for i in free}
        short = [i for i in free if widths[i] < mins[i]]
        if not short:
            break
        for i in short:
            fixed[i] = mins[i]
    widths.update(fixed)
    return [widths[i] for i in range(len(weights))]


def _cell_limits(
    styles: ReportStyles, style: Any, widths: Sequence[float], padding: float
) -> tuple[int, list[int]]:
    """How many lines a cell may have (so a row fits in 80% of a page, header included)
    and how many full-width characters fit on a line of each column."""
    max_lines = int(styles.frame_height * 0.8 / style.leading)
    return max_lines, [int((w - padding) // style.fontSize) for w in widths]


def data_table(
    styles: ReportStyles,
    render: Render,
    columns: Sequence[Column | str],
    rows: Sequence[Sequence[object]],
    col_widths: Sequence[float] | None = None,
    repeat_header: bool = True,
    *,
    width: float | None = None,
) -> Table:
    """A table with a header row (repeated on every page it spans), zebra rows and
    wrapping Paragraph cells (a cell that fits on one line is a plain string, drawn
    the same way at a fraction of the cost). `col_widths` are relative weights (e.g. `[1, 4, 1.5]`) scaled
    to the frame width; a cell may also hold a ready Flowable."""
    cols = [c if isinstance(c, Column) else Column(str(c)) for c in columns]
    cell_style = {"left": styles.cell, "right": styles.cell_right, "center": styles.cell_center}
    for row in rows:
        if len(row) != len(cols):
            raise ValueError(f"row has {len(row)} cells, the table {len(cols)} columns")
    texts = [[None if isinstance(v, Flowable) else render.text(v) for v in row] for row in rows]
    mins = [_min_width(c.title, styles.cell_header) for c in cols]
    for text in texts:
        for i, t in enumerate(text):
            if t is not None:
                mins[i] = max(mins[i], _min_width(t, styles.cell))
    mins = [m + _CELL_PADDING + 1.5 for m in mins]  # a little slack against rounding
    widths = fit_widths(_widths(len(cols), col_widths, 1.0), mins, width or styles.frame_width)
    max_lines, chars = _cell_limits(styles, styles.cell, widths, padding=_CELL_PADDING)
    data: list[list[Any]] = [[paragraph(c.title, styles.cell_header) for c in cols]]
    room = [w - _CELL_PADDING for w in widths]
    for row, text in zip(rows, texts, strict=True):
        cells: list[Any] = []
        for i, (c, v, t) in enumerate(zip(cols, row, text, strict=True)):
            if t is None:
                cells.append(v)
            else:
                # a cell that fits on one line is a plain string, no Paragraph to parse
                # and wrap (most cells of a long table: references, times, names, states)
                plain = _one_line(t, styles.cell, room[i])
                cells.append(
                    plain
                    if plain is not None
                    else Para.plain(plain_text(t, max_lines, chars[i]), cell_style[c.align])
                )
        data.append(cells)
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY),
        ("INNERGRID", (0, 1), (-1, -1), 0.25, GRID),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
    ]
    if not rows:
        data.append(
            [paragraph(render.translate(N_("No entries")), styles.cell_center)]
            + [""] * (len(cols) - 1)
        )
        commands.append(("SPAN", (0, 1), (-1, 1)))
    else:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, ZEBRA]))
    pads = {
        "leftPadding": _PAD_LEFT,
        "rightPadding": _PAD_RIGHT,
        "topPadding": _PAD_TOP,
        "bottomPadding": _PAD_BOTTOM,
    }
    head = table_cell_style(styles, valign="MIDDLE", **pads)
    # the plain-string cells look like the Paragraph ones (styles.cell)
    cell = styles.cell
    body = {
        align: table_cell_style(
            styles,
            valign="TOP",
            fontsize=cell.fontSize,
            leading=cell.leading,
            color=cell.textColor,
            alignment=align.upper(),
            **pads,
        )
        for align in {c.align for c in cols}
    }
    kinds = [[head] * len(cols)] + [[body[c.align] for c in cols]] * (len(data) - 1)
    table = CellTable(
        data,
        colWidths=widths,
        repeatRows=1 if repeat_header else 0,
        hAlign="LEFT",
        cellStyles=cell_styles(kinds),
    )
    table.setStyle(TableStyle(commands))
    table.lead_height = _lead_height(data[:2], widths, styles.cell.leading)
    return table


def _lead_height(data: list[list[Any]], widths: list[float], leading: float) -> float:
    """The height of a table's header and first row: what must fit below a heading. Each
    row as reportlab sizes it: its tallest cell (a flowable wrapped at the column width
    less the paddings, as the table wraps it, so that the wrap is reused; a string
    `leading` a line) with the top and bottom padding."""
    total = 0.0
    for row in data:
        tallest = 0.0
        for value, width in zip(row, widths, strict=True):
            if isinstance(value, Flowable):
                inner = width - _PAD_LEFT - _PAD_RIGHT
                height = value.wrap(inner, 1e6)[1] + value.getSpaceBefore() + value.getSpaceAfter()
            else:
                height = leading * len(str(value).split("\n"))
            tallest = max(tallest, height)
        total += tallest + _PAD_TOP + _PAD_BOTTOM
    return total


def _one_line(text: str, style: Any, room: float) -> str | None:
    """`text` as a plain-string table cell when it fits on one line of `room` points in
    `style` (drawn alike, with no Paragraph to parse and wrap), else None."""
    if "\n" in text or stringWidth(text, style.fontName, style.fontSize) > room - 0.5:
        return None
    return _CONTROL.sub("", text)


def key_values(
    styles: ReportStyles,
    render: Render,
    pairs: Sequence[tuple[str, object]],
    *,
    columns: int = 2,
    label_width: float | None = None,
    width: float | None = None,
) -> Table:
    """A "label: value" grid, `columns` pairs per line (labels already translated)."""
    if columns < 1:
        raise ValueError("columns must be at least 1")
    pair_width = (width or styles.frame_width) / columns
    label = label_width or min(pair_width * 0.32, 38 * mm)
    col_widths = [label, pair_width - label] * columns
    max_lines, chars = _cell_limits(styles, styles.value, col_widths, padding=10)
    pairs = list(pairs)
    data: list[list[Any]] = []
    spans: list[tuple[Any, ...]] = []
    for row, start in enumerate(range(0, len(pairs), columns)):
        line: list[Any] = []
        for label, value in pairs[start : start + columns]:
            spans.append(("BACKGROUND", (len(line), row), (len(line), row), LABEL_BG))
            head = _one_line(label, styles.label, col_widths[0] - 10)
            if head is None:
                head = paragraph(label, styles.label)
            if isinstance(value, Flowable):
                cell: Any = value
            else:
                text = render.text(value)
                cell = _one_line(text, styles.value, col_widths[1] - 10)
                if cell is None:
                    cell = Para.plain(plain_text(text, max_lines, chars[1]), styles.value)
            line += [head, cell]
        if len(line) < 2 * columns:  # a short last line: its value runs to the edge
            spans.append(("SPAN", (len(line) - 1, row), (-1, row)))
            line += [""] * (2 * columns - len(line))
        data.append(line)
    if not data:
        data.append([""] * (2 * columns))
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("INNERGRID", (0, 0), (-1, -1), 0.25, GRID),
        *spans,
    ]
    # plain-string cells look like the Paragraph ones
    kind = [
        table_cell_style(
            styles,
            valign="TOP",
            leftPadding=5,
            rightPadding=5,
            topPadding=3,
            bottomPadding=4,
            fontname=style.fontName,
            fontsize=style.fontSize,
            leading=style.leading,
            color=style.textColor,
        )
        for style in (styles.label, styles.value)
    ]
    row_kinds = [kind[col % 2] for col in range(2 * columns)]
    table = CellTable(
        data, colWidths=col_widths, hAlign="LEFT", cellStyles=cell_styles([row_kinds] * len(data))
    )
    table.setStyle(TableStyle(commands))
    return table


# --- notes, signatures, audit -----------------------------------------------------------


def note_box(styles: ReportStyles, markup: str, *, width: float | None = None) -> Table:
    """A tinted box with a coloured rule on the left, for notes the reader must see."""
    return _note_table(styles, Para(markup, styles.note), width)


def _note_table(styles: ReportStyles, para: Paragraph, width: float | None) -> Table:
    table = Table([[para]], colWidths=[width or styles.frame_width], hAlign="LEFT")
    table.setStyle(
        table_style(
            styles,
            [
                ("BACKGROUND", (0, 0), (-1, -1), NOTE_BG),
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, NOTE_RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ],
        )
    )
    return table


def freshness_text(translate: Translate, as_of: datetime | None, source: str = "") -> str:
    """The "data as of …" sentence, with the reminder that a printed report does not update."""
    if as_of is None:
        head = translate(
            N_("Data as of: unknown (the time of the last change could not be determined).")
        )
    elif source:
        head = translate(N_("Data as of {time} ({source}).")).format(
            time=format_local(as_of, seconds=True), source=source
        )
    else:
        head = translate(N_("Data as of {time}.")).format(time=format_local(as_of, seconds=True))
    tail = translate(
        N_(
            "This report is a snapshot taken when it was generated; a printed "
            "copy does not show later changes."
        )
    )
    return f"{head} {tail}"


def freshness_line(
    styles: ReportStyles,
    translate: Translate,
    as_of: datetime | None,
    source: str = "",
    *,
    width: float | None = None,
) -> Table:
    """The data freshness note (when the data was last synced or written)."""
    text = plain_text(freshness_text(translate, as_of, source))
    return _note_table(styles, Para.plain(text, styles.note), width)


SIGNATURE_ROLES = (N_("Handled by"), N_("Reviewed by"), N_("Approved by"))


def signature_block(
    styles: ReportStyles,
    translate: Translate,
    roles: Sequence[str] = SIGNATURE_ROLES,
    *,
    width: float | None = None,
) -> KeepTogether:
    """Signature and date lines, one column per role (roles are English source labels)."""
    total = width or styles.frame_width
    n = max(len(roles), 1)
    gap = 10.0
    col = (total - gap * (n - 1)) / n
    header, sign, dated = [], [], []
    widths: list[float] = []
    for i, role in enumerate(roles):
        if i:
            header.append("")
            sign.append("")
            dated.append("")
            widths.append(gap)
        header.append(paragraph(translate(role), styles.label))
        sign.append(paragraph(translate(N_("Signature:")), styles.small))
        dated.append(paragraph(translate(N_("Date:")), styles.small))
        widths.append(col)
    table = Table([header, sign, dated], colWidths=widths, rowHeights=[None, 30, 22], hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]
    for i in range(0, len(widths), 2):
        commands.append(("LINEBELOW", (i, 1), (i, 1), 0.6, MUTED))
        commands.append(("LINEBELOW", (i, 2), (i, 2), 0.6, MUTED))
    table.setStyle(table_style(styles, commands))
    return KeepTogether([Spacer(1, 14), table])


def audit_block(
    styles: ReportStyles, translate: Translate, lines: Sequence[str], *, width: float | None = None
) -> KeepTogether:
    """The audit chain heads (supplied by the caller) printed at the end of the report, so
    a paper copy can be checked against the database later."""
    parts: list[Flowable] = [
        Spacer(1, 10),
        HRFlowable(width=width or styles.frame_width, thickness=0.5, color=RULE, spaceAfter=4),
        paragraph(translate(N_("Audit chain")), styles.label),
        paragraph(
            translate(
                N_(
                    "Check values of the audit trail when this report was "
                    "generated; compare them with the database to show the "
                    "records were not changed since."
                )
            ),
            styles.small,
        ),
        Spacer(1, 3),
    ]
    parts += [Para.plain(plain_text(line), styles.mono) for line in lines]
    return KeepTogether(parts)


# --- English reports ----------------------------------------------------------------------

_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef]")
_LATIN_STYLES: dict[str, ParagraphStyle] = {}


def latin_labels(styles: ReportStyles) -> ReportStyles:
    """Labels and column titles wrapped at spaces, for a report in English.

    Every style wraps the Chinese way (between any two characters), which also breaks
    English words that reach the end of a line ("Overdue reporti/ng"). Labels and
    column titles are the report's own words, all English in an English report, so they
    wrap at spaces; values keep Chinese wrapping (they may be Chinese data)."""
    return replace(
        styles,
        label=ParagraphStyle("ebc-label-latin", parent=styles.label, wordWrap=None),
        cell_header=ParagraphStyle("ebc-cell-h-latin", parent=styles.cell_header, wordWrap=None),
    )


def latin_cells(table: Any) -> None:
    """Cells of an English report without Chinese in them wrap at spaces ("On schedule",
    not "On sche/dule"); cells with Chinese data keep Chinese wrapping."""
    for row in table._cellvalues[1:]:
        for cell in row:
            if isinstance(cell, Paragraph) and not _CJK.search(cell.text):
                style = cell.style
                latin = _LATIN_STYLES.get(style.name)
                if latin is None:
                    latin = ParagraphStyle(f"{style.name}-latin", parent=style, wordWrap=None)
                    _LATIN_STYLES[style.name] = latin
                cell.style = latin
                cell.__dict__.pop("blPara", None)  # forget a wrap made with the old style
                cell.__dict__.pop("_wrapped_at", None)
