"""What the six report builders share: the report frame from an `Origin`, labels of the
domain's enums, durations, and cells that are printed as they are (not scrubbed)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from ebconsole.i18n import N_, Translate, normalize_language, translator
from ebconsole.incidents.enums import SEVERITY_LABELS, Severity
from ebconsole.reports import blocks
from ebconsole.reports.blocks import Heading
from ebconsole.reports.document import Report, ReportInfo
from ebconsole.reports.fonts import FontChoice
from ebconsole.reports.output import Progress
from ebconsole.reports.styles import ReportStyles
from ebconsole.timeutil import format_local

NOT_ASSESSED = N_("Not assessed")
NONE_RECORDED = N_("None recorded.")


@dataclass(frozen=True)
class BuildOptions:
    """How to build: language, who generates it, fonts, clock (tests) and progress."""

    lang: str = "zh_CN"
    author: str = ""
    fonts: FontChoice | None = None
    generated_at: datetime | None = None
    progress: Progress | None = None

    @property
    def language(self) -> str:
        return normalize_language(self.lang)

    @property
    def translate(self) -> Translate:
        return translator(self.language)


def new_report(
    origin: Any,
    options: BuildOptions,
    *,
    title: str,
    subtitle: str = "",
    keywords: Sequence[str] = (),
) -> Report:
    """A report on the data of `origin` (a `data.common.Origin`), its title translated."""
    t = options.translate
    if origin.shared_database:
        source = t(N_("shared database {host}")).format(host=origin.database_host or "-")
    else:
        source = t(N_("this workstation's database"))
    info = ReportInfo(
        title=title,
        subtitle=subtitle,
        site_code=origin.site_code,
        site_name=origin.site_name,
        workstation=origin.workstation,
        author=options.author,
        keywords=(t(N_("E-banking emergency response plan")), *keywords),
        language=options.language,
        generated_at=options.generated_at,
        data_as_of=origin.data_as_of,
        data_source=source,
    )
    audit = []
    if origin.audit_entries:
        audit.append(
            t(N_("audit trail: {count} entries; latest {time} {id}")).format(
                count=origin.audit_entries,
                time=format_local(origin.last_audit_at, seconds=True),
                id=origin.last_audit_id or "",
            )
        )
    # the hash-chain heads, so a paper copy can be checked against the database later
    audit += [f"{h.origin}  #{h.seq}  sha256:{h.short}" for h in origin.audit_heads]
    rep = _Report(info, t, fonts=options.fonts, audit_lines=audit)
    if options.language != "zh_CN":
        rep.styles = latin_labels(rep.styles)
        rep.latin = True
    return rep


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


class _Report(Report):
    """`Report` whose two layout passes see the same flowables.

    `Report.build` lays the same flowables out twice (page count, then output), but a
    reportlab build leaves marks on them: a flowable moved to the next page is marked
    `_postponed` (meeting it postponed again raises LayoutError), and a heading grouped
    with the block after it gets `keepWithNext = 0` set on the instance. The second pass
    then failed, or laid out differently from the first (page "X / Y" wrong, a third
    pass). The marks are undone before each pass.
    """

    _kept: dict[int, tuple[Any, bool, Any]] | None = None
    latin = False  # an English report: see `latin_labels`

    def data_table(self, *args: Any, **kwargs: Any) -> Any:
        """A table right after a heading: the heading no longer "keeps with next".

        reportlab keeps a keep-with-next heading together with the *whole* next flowable,
        so a heading over a table longer than the rest of the page moved to the next page
        with it, leaving the page's rest blank (or a section title alone on a page). The
        conditional page break `Report.data_table` puts before the heading already keeps
        it with the table's first rows."""
        table = super().data_table(*args, **kwargs)
        before = self.story[-3] if len(self.story) >= 3 else None  # [heading, table, spacer]
        if isinstance(before, Heading):
            before.__dict__["keepWithNext"] = 0
        if self.latin:
            _latin_cells(table)
        return table

    def _flowables(self) -> list[Flowable]:
        story = super()._flowables()
        if self._kept is None:
            self._kept = {}
            _snapshot(story, self._kept)
        _restore(story, self._kept)
        return story


_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef]")
_LATIN_STYLES: dict[str, ParagraphStyle] = {}


def _latin_cells(table: Any) -> None:
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


def _walk(flowables: Sequence[Any]) -> Any:
    for f in flowables:
        yield f
        inner = getattr(f, "_content", None)  # KeepTogether and friends
        if isinstance(inner, list | tuple):
            yield from _walk(inner)


def _snapshot(story: Sequence[Any], kept: dict[int, tuple[Any, bool, Any]]) -> None:
    for f in _walk(story):
        had = "keepWithNext" in f.__dict__
        kept[id(f)] = (f, had, f.__dict__.get("keepWithNext"))


def _restore(story: Sequence[Any], kept: dict[int, tuple[Any, bool, Any]]) -> None:
    for f in _walk(story):
        f.__dict__.pop("_postponed", None)
        entry = kept.get(id(f))
        if entry is None:
            continue
        _f, had, value = entry
        if had:
            f.__dict__["keepWithNext"] = value
        else:
            f.__dict__.pop("keepWithNext", None)


def raw(rep: Report, text: object, *, style: Any = None) -> Paragraph:
    """A cell or value printed exactly as recorded: not scrubbed for numbers. For staff
    and supplier phones in contact lists (they must be dialled) and bank references that
    only look like account numbers. Never use it for customer data."""
    value = "" if text is None else str(text)
    return blocks.Para(blocks.markup(value), style or rep.styles.cell)


def severity_label(t: Translate, severity: Severity | None) -> str:
    return t(SEVERITY_LABELS[severity]) if severity is not None else t(NOT_ASSESSED)


def label(t: Translate, labels: Mapping[Any, str], value: Any) -> str:
    """The translated label of an enum value ("" for None)."""
    if value is None:
        return ""
    return t(labels.get(value, str(value)))


def duration(t: Translate, span: timedelta | None) -> str:
    """`3 d 4 h`, `2 h 15 min`, `40 min` in the report's language ("" for None)."""
    if span is None:
        return ""
    minutes = max(int(span.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return t(N_("{days} d {hours} h")).format(days=days, hours=hours)
    if hours:
        return t(N_("{hours} h {minutes} min")).format(hours=hours, minutes=mins)
    return t(N_("{minutes} min")).format(minutes=mins)


def between(start: datetime | None, end: datetime | None) -> timedelta | None:
    if start is None or end is None:
        return None
    return end - start


def joined(lang: str, items: Sequence[str]) -> str:
    """Items joined with the list separator of the language (、 in Chinese)."""
    return ("、" if lang.startswith("zh") else ", ").join(i for i in items if i)


_CHINESE_NUMERALS = "一二三四五六七八九十"


def numbered(lang: str, number: int, text: str) -> str:
    """A section title with its number: `三、处置时间线` / `3. Timeline`."""
    if lang.startswith("zh") and 1 <= number <= len(_CHINESE_NUMERALS):
        return f"{_CHINESE_NUMERALS[number - 1]}、{text}"
    return f"{number}. {text}"


class Sections:
    """Numbers a report's sections as they are added."""

    def __init__(self, rep: Report, lang: str):
        self.rep = rep
        self.lang = lang
        self.count = 0

    def __call__(self, text: str) -> None:
        self.count += 1
        self.rep.heading(numbered(self.lang, self.count, text))

    def sub(self, text: str) -> None:
        self.rep.heading(text, level=1)
