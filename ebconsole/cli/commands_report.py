"""`report KIND [--ref REFERENCE] [--year YYYY] [--out FILE.pdf]`: write a report as a PDF.

    ebconsole report status --out 情况通报.pdf
    ebconsole report incident --ref BJ01-20261127-001 --out 事件处置报告.pdf --lang en
    ebconsole report drills --year 2026 --out drills-2026.pdf

The report modules (reportlab, the data queries) are imported only when a report is
written, so that every other command starts as fast as before.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ebconsole.cli.common import CliContext, fail
from ebconsole.i18n import _, current_language

# kind → the options it takes (kept equal to ebconsole.reports.builders.REPORTS by a test)
KINDS: dict[str, tuple[str, ...]] = {
    "incident": ("ref",),
    "status": (),
    "matrix": (),
    "resources": (),
    "drills": ("year",),
    "review": ("ref",),
}


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "report",
        parents=[common],
        help=_("write a report (PDF) that prints and reads offline"),
        description=_(
            "Reports: incident (--ref): incident response report; status: status report; "
            "matrix: responsibility matrix and emergency contacts; resources: resource "
            "inventory and checks; drills (--year): training and drill report; review "
            "(--ref): post-incident review report. The language is --lang (default: the "
            "system's)."
        ),
    )
    p.add_argument(
        "kind",
        choices=list(KINDS),
        metavar="KIND",
        help=_("incident, status, matrix, resources, drills or review"),
    )
    p.add_argument(
        "--ref", metavar="REFERENCE", help=_("the incident's reference (incident, review)")
    )
    p.add_argument(
        "--year", metavar="YYYY", help=_("the calendar year (drills; default: this year)")
    )
    p.add_argument(
        "--out",
        metavar="FILE.pdf",
        help=_(
            "where to write the PDF (default: a name made of the title, the parameters and the "
            "time, in the current folder)"
        ),
    )
    p.set_defaults(handler=cmd_report)


def cmd_report(ctx: CliContext) -> int:
    from ebconsole.i18n import translator
    from ebconsole.reports.builders import BuildOptions, generate, spec_for
    from ebconsole.reports.builders.registry import authorize_report

    a = ctx.args
    spec = spec_for(a.kind)
    wanted = {p.name for p in spec.params}
    for name in ("ref", "year"):
        if getattr(a, name, None) is not None and name not in wanted:
            fail(
                _("--{option} does not apply to the {kind} report").format(
                    option=name, kind=spec.kind
                )
            )
    params = spec.check({name: getattr(a, name, None) for name in wanted})
    actor = ctx.actor()
    authorize_report(actor, spec.kind)  # before anything is written
    lang = current_language()
    out = Path(a.out) if a.out else Path(spec.file_name(params, translator(lang)))
    if out.suffix.lower() != ".pdf":
        out = out.with_name(out.name + ".pdf")
    result = generate(
        ctx.database(),
        spec.kind,
        params,
        out,
        BuildOptions(lang=lang, author=actor.name),
        actor=actor,
    )
    data = {
        "report": spec.kind,
        "path": str(result.path),
        "pages": result.pages,
        "report_id": result.report_id,
        "embedded_font": result.embedded_font,
        "font_hint": result.font_hint,
    }
    ctx.emit(
        data,
        _("{path}: {pages} pages, report ID {report_id}").format(
            path=result.path, pages=result.pages, report_id=result.report_id
        ),
    )
    if result.font_hint:
        sys.stderr.write(f"ebconsole: {result.font_hint}\n")
    return 0
