"""The report document: A4 pages with a title block, running header and footer, PDF
metadata and bookmarks, built from the blocks in `ebconsole.reports.blocks`.

    rep = Report(ReportInfo(title=t("Incident register"), site_code="BJ01",
                            workstation="值班台-1"), translator("zh_CN"))
    rep.heading(t("Incidents"))
    rep.data_table([t("No."), t("Title")], rows, col_widths=[1, 4])
    result = rep.build(path)

Page "X / Y" needs the page count, known only when the last page is laid out. The
document is laid out **once**: each page's footer shows a form XObject (`pageN`) where its
"page X / Y" goes, and the canvas defines those forms when it saves, with the total then
known (`_NumberedCanvas`). A PDF may define a form after the pages that show it; the
bookmarks and the outline stay on their pages (deferring whole pages, reportlab's usual
"NumberedCanvas" recipe, would point every bookmark at page 1). The running header and
footer, the same on every page, are drawn once, as one more form that every page shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)
from reportlab.platypus.flowables import HRFlowable

from ebconsole import __version__
from ebconsole.i18n import N_, Translate, normalize_language
from ebconsole.reports import blocks
from ebconsole.reports.blocks import Column, Heading, Render
from ebconsole.reports.fonts import FontChoice, resolve_fonts
from ebconsole.reports.output import BuildResult, Progress, ProgressMeter, atomic_file
from ebconsole.reports.styles import (
    CLASSIFIED,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    MUTED,
    NAVY,
    PAGE_SIZE,
    RULE,
    ReportStyles,
    make_styles,
)
from ebconsole.timeutil import format_local, to_local, utcnow

PLAN_NAME = N_("E-banking emergency response plan")
INTERNAL_USE = N_("Internal use only")


def make_report_id(site_code: str, when: datetime | None = None) -> str:
    """`RPT-<site>-<yyyymmddHHMMSS>` in the workstation's local time."""
    site = re.sub(r"[^A-Z0-9]", "", (site_code or "").upper()) or "LOCAL"
    return f"RPT-{site}-{to_local(when or utcnow()):%Y%m%d%H%M%S}"


def format_generated(when: datetime) -> str:
    """`2026-05-01 14:30:05 (UTC+08:00)`: local time with its offset, for paper."""
    offset = to_local(when).strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return f"{format_local(when, seconds=True)} ({zone})"


@dataclass(frozen=True)
class ReportInfo:
    """What a report is and where it comes from (all text already translated)."""

    title: str
    site_code: str
    workstation: str
    subtitle: str = ""
    site_name: str = ""
    author: str = ""  # who generated it (display name)
    subject: str = ""  # PDF subject; defaults to the subtitle or the plan's name
    keywords: tuple[str, ...] = ()
    language: str = "zh_CN"
    generated_at: datetime | None = None  # default: now
    report_id: str = ""  # default: make_report_id(site_code, generated_at)
    data_as_of: datetime | None = None  # when the data was last synced/written
    data_source: str = ""  # e.g. "local database" / "shared server db01"


PAGE_LABEL = N_("Page {page} / {pages}")
_PAGE_NUMBER_SIZE = 8
_PAGE_NUMBER_Y = 11 * mm


@dataclass
class _Pass:
    pages: int = 0
    outline_shown: bool = False


class _NumberedCanvas(Canvas):
    """A canvas that writes each page's "page X / Y" when it saves, the total known then.

    Every page drew `doForm("pageN")` at the right end of its footer (`page_label_form`);
    `save` defines the forms, each with its page's label right-aligned at the form's
    origin, then writes the file. With `running`, it also defines the form of the running
    header and footer that every page shows.
    """

    label: Callable[[int, int], str] = staticmethod(lambda page, pages: f"{page} / {pages}")
    font_name = "Helvetica"
    # draws the running header and footer, given the number of pages
    running: Callable[[Canvas, int], None] | None = None

    def save(self) -> None:
        if self._code:
            self.showPage()
        pages = self.getPageNumber() - 1
        if self.running is not None:
            self.beginForm(_RUNNING_FORM)
            self.running(self, pages)
            self.endForm()
        for page in range(1, pages + 1):
            text = self.label(page, pages)
            width = stringWidth(text, self.font_name, _PAGE_NUMBER_SIZE)
            self.beginForm(_page_form(page), -width - 2, -3, 2, _PAGE_NUMBER_SIZE + 3)
            self.setFont(self.font_name, _PAGE_NUMBER_SIZE)
            self.setFillColor(MUTED)
            self.drawRightString(0, 0, text)
            self.endForm()
        super().save()


def _page_form(page: int) -> str:
    return f"ebcPage{page}"


_RUNNING_FORM = "ebcRunning"


class _DocTemplate(BaseDocTemplate):
    def __init__(self, target: Any, report: Report, state: _Pass, **kw: Any):
        self.report = report
        self.state = state
        super().__init__(target, **kw)
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [PageTemplate(id="page", frames=[frame], onPage=report._decorate_page)]
        )


class Report:
    """A report under construction: add blocks in order, then `build(path)`.

    The `add_*`-style methods append to the story and return the flowable they made; the
    flowable-making functions in `blocks` are there for custom layouts (`add(...)`).
    """

    def __init__(
        self,
        info: ReportInfo,
        translate: Translate,
        *,
        fonts: FontChoice | None = None,
        reveal_sensitive: bool = False,
        scrub_text: bool = True,
        audit_lines: Sequence[str] = (),
    ):
        self.info = info
        self.translate = translate
        self.fonts = fonts or resolve_fonts()
        self.styles: ReportStyles = make_styles(self.fonts)
        self.render = Render(translate, reveal_sensitive=reveal_sensitive, scrub_text=scrub_text)
        self.generated_at = info.generated_at or utcnow()
        self.report_id = info.report_id or make_report_id(info.site_code, self.generated_at)
        self.audit_lines: list[str] = list(audit_lines)  # printed after the last block
        self.story: list[Flowable] = []
        self._level = -1
        self._headings = 0
        self._fitted: dict[tuple[str, str, float, float], str] = {}
        # an English report: its own words wrap at spaces (see `blocks.latin_labels`)
        self.latin = normalize_language(info.language) != "zh_CN"
        if self.latin:
            self.styles = blocks.latin_labels(self.styles)

    # --- blocks -----------------------------------------------------------------------
    def add(self, *flowables: Flowable) -> None:
        self.story.extend(flowables)

    def heading(self, text: str, level: int = 0) -> Heading:
        """A section heading (level 0) or sub-heading (1, 2 …) with a bookmark."""
        level = max(0, min(level, self._level + 1))
        self._level = level
        self._headings += 1
        style = self.styles.h1 if level == 0 else self.styles.h2
        if level == 0 and self.story:
            self.story.append(CondPageBreak(45 * mm))  # no section title at a page's foot
        flowable = Heading(text, style, level=level, key=f"sec{self._headings}")
        self.story.append(flowable)
        return flowable

    def _keep_with_heading(self, height: float) -> None:
        """A heading just added must not stay alone at a page's foot: make the page break
        before it wait for room for the heading *and* `height` of the block after it."""
        if len(self.story) < 2 or not isinstance(self.story[-1], Heading):
            return
        heading = self.story[-1]
        _w, own = heading.wrap(self.styles.frame_width, 1e6)
        need = own + heading.getSpaceBefore() + heading.getSpaceAfter() + height + 6
        if isinstance(self.story[-2], CondPageBreak):
            self.story[-2] = CondPageBreak(max(self.story[-2].height, need))
        else:
            self.story.insert(-1, CondPageBreak(need))

    def paragraph(self, text: object) -> Paragraph:
        p = blocks.paragraph(text, self.styles.body, self.render)
        self.story.append(p)
        return p

    def note(self, text: str) -> Table:
        box = blocks.note_box(self.styles, self.render.markup(text))
        self.story += [box, Spacer(1, 6)]
        return box

    def key_values(self, pairs: Sequence[tuple[str, object]], columns: int = 2) -> Table:
        table = blocks.key_values(self.styles, self.render, pairs, columns=columns)
        self.story += [table, Spacer(1, 6)]
        return table

    def data_table(
        self,
        columns: Sequence[Column | str],
        rows: Sequence[Sequence[object]],
        col_widths: Sequence[float] | None = None,
        repeat_header: bool = True,
        *,
        empty: str | None = None,
    ) -> Table | Paragraph:
        """A table with its header repeated on every page it spans; with `empty` and no
        rows, that sentence instead of an empty table.

        A table right after a heading: the conditional page break before the heading
        keeps it with the table's first rows, and the heading no longer "keeps with
        next" (reportlab would keep it with the *whole* table and move both to the next
        page, leaving the rest of this one blank)."""
        if not rows and empty is not None:
            return self.paragraph(empty)
        table = blocks.data_table(
            self.styles, self.render, columns, rows, col_widths, repeat_header
        )
        self._keep_with_heading(table.lead_height)
        if self.story and isinstance(self.story[-1], Heading):
            self.story[-1].__dict__["keepWithNext"] = 0
        if self.latin:
            blocks.latin_cells(table)
        self.story += [table, Spacer(1, 8)]
        return table

    def chart(self, drawing: Flowable) -> Flowable:
        self.story += [drawing, Spacer(1, 6)]
        return drawing

    def freshness(self, as_of: datetime | None, source: str = "") -> Table:
        box = blocks.freshness_line(self.styles, self.translate, as_of, source)
        self.story += [box, Spacer(1, 6)]
        return box

    def signatures(self, roles: Sequence[str] = blocks.SIGNATURE_ROLES) -> Flowable:
        block = blocks.signature_block(self.styles, self.translate, roles)
        self.story.append(block)
        return block

    def spacer(self, height_mm: float = 4) -> None:
        self.story.append(Spacer(1, height_mm * mm))

    def page_break(self) -> None:
        self.story.append(PageBreak())

    # --- the fixed parts --------------------------------------------------------------
    def title_block(self) -> list[Flowable]:
        t, info, s = self.translate, self.info, self.styles
        parts: list[Flowable] = []
        org = info.site_name or t(PLAN_NAME)
        parts.append(blocks.paragraph(org, s.org))
        parts.append(blocks.paragraph(info.title, s.title))
        if info.subtitle:
            parts.append(blocks.paragraph(info.subtitle, s.subtitle))
        parts.append(
            HRFlowable(width=s.frame_width, thickness=1.6, color=NAVY, spaceBefore=4, spaceAfter=8)
        )
        site = f"{info.site_name} ({info.site_code})" if info.site_name else info.site_code
        pairs: list[tuple[str, object]] = [
            (t(N_("Report ID")), self.report_id),
            (t(N_("Generated at")), format_generated(self.generated_at)),
            (t(N_("Site")), site),
            (t(N_("Workstation")), info.workstation),
        ]
        if info.author:
            pairs.append((t(N_("Prepared by")), info.author))
        plain = Render(t, reveal_sensitive=True, scrub_text=False)  # our own fields
        parts += [
            blocks.key_values(s, plain, pairs, columns=2),
            Spacer(1, 6),
            blocks.freshness_line(s, t, info.data_as_of, info.data_source),
            Spacer(1, 10),
        ]
        return parts

    def _flowables(self) -> list[Flowable]:
        story = self.title_block() + list(self.story)
        if self.audit_lines:
            story.append(blocks.audit_block(self.styles, self.translate, self.audit_lines))
        return story

    # --- page decoration --------------------------------------------------------------
    def _fit(self, text: str, font: str, size: float, width: float) -> str:
        """`text` cut with "…" to `width`; the running header and footer are the same on
        every page, so each is measured once per report."""
        key = (text, font, size, width)
        fitted = self._fitted.get(key)
        if fitted is None:
            fitted = text
            if stringWidth(text, font, size) > width:
                while text and stringWidth(text + "…", font, size) > width:
                    text = text[:-1]
                fitted = text + "…"
            self._fitted[key] = fitted
        return fitted

    def _decorate_page(self, canv: Canvas, doc: _DocTemplate) -> None:
        """Each page shows the running header and footer (one form, drawn once by
        `_draw_running`) and its own "page X / Y" form."""
        state = doc.state
        page = canv.getPageNumber()
        state.pages = max(state.pages, page)
        if not state.outline_shown:
            canv.showOutline()
            state.outline_shown = True
        canv.doForm(_RUNNING_FORM)
        canv.saveState()
        canv.translate(PAGE_SIZE[0] - MARGIN_RIGHT, _PAGE_NUMBER_Y)
        canv.doForm(_page_form(page))  # "page X / Y", written when the total is known
        canv.restoreState()

    def _draw_running(self, canv: Canvas, pages: int) -> None:
        """The running header and footer, the same on every page of the `pages`."""
        t, info, fonts = self.translate, self.info, self.fonts
        page_w, page_h = PAGE_SIZE
        left, right = MARGIN_LEFT, page_w - MARGIN_RIGHT
        width = right - left
        canv.saveState()

        # header: site · title on the left, the internal-use marking on the right
        y = page_h - 14 * mm
        mark = t(INTERNAL_USE)
        mark_size = 8.5
        mark_w = stringWidth(mark, fonts.heading, mark_size)
        canv.setStrokeColor(CLASSIFIED)
        canv.setFillColor(CLASSIFIED)
        canv.setLineWidth(0.6)
        canv.rect(right - mark_w - 8, y - 3, mark_w + 8, mark_size + 6, stroke=1, fill=0)
        canv.setFont(fonts.heading, mark_size)
        canv.drawRightString(right - 4, y, mark)
        head = " · ".join(p for p in (info.site_name or t(PLAN_NAME), info.title) if p)
        canv.setFillColor(MUTED)
        canv.setFont(fonts.body, 8)
        canv.drawString(left, y, self._fit(head, fonts.body, 8, width - mark_w - 24))
        canv.setStrokeColor(NAVY)
        canv.setLineWidth(0.8)
        canv.line(left, y - 6, right, y - 6)

        # footer: report id / generated / workstation on the left; "page X / Y" goes right
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(left, 15 * mm, right, 15 * mm)
        page_text = self._page_label(pages, 99999)  # room for it, with a long total
        room = width - stringWidth(page_text, fonts.body, _PAGE_NUMBER_SIZE) - 12
        line1 = t(N_("Report ID {report_id}")).format(report_id=self.report_id)
        line2 = t(N_("Generated {time} · Workstation {workstation}")).format(
            time=format_generated(self.generated_at), workstation=info.workstation
        )
        canv.setFillColor(MUTED)
        canv.setFont(fonts.body, 7.5)
        canv.drawString(left, 11 * mm, self._fit(line1, fonts.body, 7.5, room))
        canv.drawString(left, 7.5 * mm, self._fit(line2, fonts.body, 7.5, room))
        canv.restoreState()

    # --- building ---------------------------------------------------------------------
    def _doc(self, target: Any, state: _Pass) -> _DocTemplate:
        info, t = self.info, self.translate
        lang = normalize_language(info.language)
        keywords = [*info.keywords, self.report_id]
        return _DocTemplate(
            target,
            self,
            state,
            pagesize=PAGE_SIZE,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=info.title,
            author=info.author or info.site_name or info.site_code,
            subject=info.subject or info.subtitle or t(PLAN_NAME),
            creator=f"ebconsole {__version__}",
            keywords=", ".join(keywords),
            lang="zh-CN" if lang == "zh_CN" else "en",
            displayDocTitle=True,
            initialFontName=self.fonts.body,  # no stray non-embedded Helvetica
        )

    def _page_label(self, page: int, pages: int) -> str:
        return self.translate(PAGE_LABEL).format(page=page, pages=pages)

    def _canvasmaker(self) -> type[_NumberedCanvas]:
        report = self

        class ReportCanvas(_NumberedCanvas):
            font_name = report.fonts.body
            running = staticmethod(report._draw_running)

            @staticmethod
            def label(page: int, pages: int) -> str:
                return report._page_label(page, pages)

        return ReportCanvas

    def build(self, path: str | Path, progress: Progress | None = None) -> BuildResult:
        """Write the PDF to `path` atomically, in one layout pass; `progress(done, total)`
        on a 0–100 scale."""
        meter = ProgressMeter(progress)
        meter.report(0)
        story = self._flowables()
        total = len(story)

        def on_progress(kind: str, value: int) -> None:
            if kind == "PROGRESS":
                meter.layout(value, total)

        state = _Pass()
        with atomic_file(path) as fh:
            doc = self._doc(fh, state)
            doc.setProgressCallBack(on_progress)
            doc.build(story, canvasmaker=self._canvasmaker())
            meter.output(1, 1)
        meter.finished()
        return BuildResult(
            path=Path(path),
            pages=state.pages,
            embedded_font=self.fonts.embedded,
            font_hint=self.fonts.hint_text(self.translate),
            report_id=self.report_id,
        )
