"""Page geometry, colours and paragraph styles for Chinese (and English) reports."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from ebconsole.reports.fonts import FontChoice

PAGE_SIZE = A4
MARGIN_LEFT = 18 * mm
MARGIN_RIGHT = 18 * mm
MARGIN_TOP = 24 * mm  # room for the running header
MARGIN_BOTTOM = 20 * mm  # room for the running footer
FRAME_WIDTH = PAGE_SIZE[0] - MARGIN_LEFT - MARGIN_RIGHT
FRAME_HEIGHT = PAGE_SIZE[1] - MARGIN_TOP - MARGIN_BOTTOM

# A sober palette that prints well in greyscale.
INK = colors.HexColor("#1F2328")
MUTED = colors.HexColor("#5B6570")
NAVY = colors.HexColor("#1F3A5F")
RULE = colors.HexColor("#AEB9C7")
GRID = colors.HexColor("#C9D2DD")
ZEBRA = colors.HexColor("#F2F5F9")
LABEL_BG = colors.HexColor("#EEF2F7")
NOTE_BG = colors.HexColor("#FFF8E6")
NOTE_RULE = colors.HexColor("#E0B64A")
CLASSIFIED = colors.HexColor("#A61B1B")  # the internal-use marking

# Severity I–IV in the usual Chinese warning colours (red, orange, yellow, blue).
SEVERITY_COLORS = (
    colors.HexColor("#C0392B"),
    colors.HexColor("#E67E22"),
    colors.HexColor("#D4AC0D"),
    colors.HexColor("#2E86C1"),
)


# Chinese punctuation that must not start a line (标点禁则). reportlab's list is
# Japanese-oriented and lacks the full-width comma, semicolon, colon, ! and ?, closing
# quotes and book-title marks, so a line could begin with "，". Adding them makes such a
# mark hang at the end of the previous line instead, as Chinese typesetting does.
CANNOT_START_LINE = "，；：！？》〉”’…％"


def _chinese_line_breaking() -> None:
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (paragraph, textsplit):
        current: str = module.ALL_CANNOT_START
        module.ALL_CANNOT_START = current + "".join(
            ch for ch in CANNOT_START_LINE if ch not in current
        )


_chinese_line_breaking()


@dataclass(frozen=True)
class ReportStyles:
    fonts: FontChoice
    title: ParagraphStyle
    subtitle: ParagraphStyle
    org: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    cell_header: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    mono: ParagraphStyle
    frame_width: float = FRAME_WIDTH
    frame_height: float = FRAME_HEIGHT


def make_styles(fonts: FontChoice) -> ReportStyles:
    """Styles in the chosen fonts. Every style wraps Chinese (wordWrap="CJK"): a line may
    break between any two Chinese characters, and Latin words still break at spaces.

    Made once per pair of fonts and process, and shared by every report built with them
    (the paragraph fragments made from a style are kept with it, see `blocks.Para`); the
    styles are never changed once made."""
    styles = _STYLES.get((fonts.body, fonts.heading))
    if styles is None:
        styles = _STYLES[(fonts.body, fonts.heading)] = _make_styles(fonts)
    return styles if styles.fonts == fonts else replace(styles, fonts=fonts)


_STYLES: dict[tuple[str, str], ReportStyles] = {}


def _make_styles(fonts: FontChoice) -> ReportStyles:
    body_font, head_font = fonts.body, fonts.heading

    def style(name: str, **kw: object) -> ParagraphStyle:
        base: dict[str, object] = {
            "fontName": body_font,
            "fontSize": 10,
            "leading": 15,
            "textColor": INK,
            "wordWrap": "CJK",
        }
        base.update(kw)
        return ParagraphStyle(name, **base)

    cell = style("ebc-cell", fontSize=8.5, leading=11.5)
    return ReportStyles(
        fonts=fonts,
        title=style(
            "ebc-title", fontName=head_font, fontSize=20, leading=28, textColor=NAVY, spaceAfter=2
        ),
        subtitle=style(
            "ebc-subtitle",
            fontName=head_font,
            fontSize=11.5,
            leading=17,
            textColor=MUTED,
            spaceAfter=2,
        ),
        org=style("ebc-org", fontSize=9, leading=13, textColor=MUTED),
        h1=style(
            "ebc-h1",
            fontName=head_font,
            fontSize=13.5,
            leading=19,
            textColor=NAVY,
            spaceBefore=12,
            spaceAfter=6,
            keepWithNext=1,
        ),
        h2=style(
            "ebc-h2",
            fontName=head_font,
            fontSize=11.5,
            leading=16,
            textColor=NAVY,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        body=style("ebc-body", spaceAfter=5, alignment=TA_LEFT),
        small=style("ebc-small", fontSize=8, leading=11, textColor=MUTED),
        note=style("ebc-note", fontSize=8.5, leading=12.5, textColor=INK),
        cell=cell,
        cell_right=ParagraphStyle("ebc-cell-r", parent=cell, alignment=TA_RIGHT),
        cell_center=ParagraphStyle("ebc-cell-c", parent=cell, alignment=TA_CENTER),
        cell_header=style(
            "ebc-cell-h", fontName=head_font, fontSize=8.5, leading=11.5, textColor=colors.white
        ),
        label=style("ebc-label", fontName=head_font, fontSize=9, leading=13, textColor=MUTED),
        value=style("ebc-value", fontSize=9.5, leading=14),
        mono=style("ebc-mono", fontSize=7.5, leading=10.5, textColor=INK),
    )
