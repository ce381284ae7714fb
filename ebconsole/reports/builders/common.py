"""What the six report builders share: the report frame from an `Origin`, labels of the
domain's enums, durations, and cells that are printed as they are (not scrubbed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from reportlab.platypus import Paragraph

from ebconsole.i18n import N_, Translate
from ebconsole.incidents.enums import SEVERITY_LABELS, Severity
from ebconsole.reports import blocks
from ebconsole.reports.builders.options import BuildOptions
from ebconsole.reports.document import Report, ReportInfo
from ebconsole.timeutil import format_local

NOT_ASSESSED = N_("Not assessed")


def new_report(
    origin: Any,
    options: BuildOptions,
    *,
    title: str,
    subtitle: str = "",
    keywords: Sequence[str] = (),
) -> tuple[Report, Sections]:
    """A report on the data of `origin` (a `data.common.Origin`), its title translated,
    and the numbering of its sections (`section(title)`, `section.sub(title)`)."""
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
    rep = Report(info, t, fonts=options.fonts, audit_lines=audit)
    return rep, Sections(rep, options.language)


def raw(rep: Report, text: object, *, style: Any = None) -> Paragraph:
    """A cell or value printed exactly as recorded: not scrubbed for numbers. For staff
    and supplier phones in contact lists (they must be dialled) and bank references that
    only look like account numbers. Never use it for customer data."""
    value = "" if text is None else str(text)
    return blocks.Para.plain(blocks.plain_text(value), style or rep.styles.cell)


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
