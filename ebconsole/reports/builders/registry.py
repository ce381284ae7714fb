"""The six reports, their parameters, and building one from a database.

    from ebconsole.reports.builders import REPORTS, BuildOptions, generate

    spec = REPORTS["incident"]
    params = spec.check({"ref": "BJ01-20261127-001"})        # ValidationFailed if wrong
    result = generate(db, "incident", params, "out.pdf", BuildOptions(lang="zh_CN"))

`generate` reads the data in one read-only session (`spec.load`), closes it, then lays the
PDF out (`spec.build`): the UI runs both on a worker thread and never holds a database
transaction open while the PDF is written.

The registry names each report's loader and builder by module path and imports them on
first use: the console's Reports tab lists the reports and checks their parameters without
loading reportlab (87 modules) and the report data modules; the first build loads them.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ebconsole.actor import Actor
from ebconsole.db.session import Database
from ebconsole.errors import ValidationFailed
from ebconsole.i18n import N_, Translate
from ebconsole.i18n.messages import register_labels
from ebconsole.reports.builders import titles
from ebconsole.reports.builders.options import BuildOptions
from ebconsole.reports.output import BuildResult
from ebconsole.timeutil import to_local, utcnow
from ebconsole.users.permissions import Permission, denied, has
from ebconsole.validation import Checker

MIN_YEAR = 2000
MAX_YEAR = 2100

register_labels(
    {
        "ref": N_("Incident number"),
        "year": N_("Year"),
        "report": N_("Report"),
    }
)


class ParamKind(StrEnum):
    INCIDENT = "incident"  # an incident reference (the UI offers a picker with search)
    YEAR = "year"  # a calendar year (default: this year)


@dataclass(frozen=True)
class Param:
    name: str  # the key in `params` and the CLI option (`--ref`, `--year`)
    kind: ParamKind
    label: str  # English source, translate on display


REF = Param("ref", ParamKind.INCIDENT, N_("Incident number"))
YEAR = Param("year", ParamKind.YEAR, N_("Year"))


@dataclass(frozen=True)
class ReportSpec:
    kind: str
    title: str  # English source, translate on display
    description: str  # English source
    params: tuple[Param, ...]
    # "module:function", imported on first use (see the module's docstring)
    loader: str  # loader(*params, session=s) -> plain data
    builder: str  # builder(data, path, options) -> BuildResult

    def check(self, values: Mapping[str, object]) -> dict[str, Any]:
        """The parameters, checked and typed; every broken rule is reported at once."""
        c = Checker()
        out: dict[str, Any] = {}
        for p in self.params:
            raw = values.get(p.name)
            if p.kind is ParamKind.INCIDENT:
                out[p.name] = c.text(p.name, raw, required=True, max_len=40)
            else:
                year = c.integer(p.name, raw, min_value=MIN_YEAR, max_value=MAX_YEAR)
                out[p.name] = year if year is not None else to_local(utcnow()).year
        c.raise_if_failed()
        return out

    def load(self, params: Mapping[str, Any], *, session: Session) -> Any:
        args = [params[p.name] for p in self.params]
        load: Callable[..., Any] = _function(self.loader)
        return load(*args, session=session)

    def build(self, data: Any, path: str | Path, options: BuildOptions) -> BuildResult:
        build: Callable[[Any, str | Path, BuildOptions], BuildResult] = _function(self.builder)
        return build(data, path, options)

    def file_name(
        self, params: Mapping[str, Any], translate: Translate, when: datetime | None = None
    ) -> str:
        """A file name for the report: `事件处置报告_BJ01-20261127-001_20261128-0930.pdf`."""
        parts = [translate(self.title)]
        parts += [str(params[p.name]) for p in self.params if params.get(p.name) is not None]
        parts.append(f"{to_local(when or utcnow()):%Y%m%d-%H%M}")
        name = "_".join(parts)
        return re.sub(r'[\\/:*?"<>|\s]+', "-", name) + ".pdf"


def _function(target: str) -> Any:
    """The function `module:name` names (its module imported on first use)."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


_DATA = "ebconsole.reports.data."
_BUILD = "ebconsole.reports.builders."

REPORTS: dict[str, ReportSpec] = {
    spec.kind: spec
    for spec in (
        ReportSpec(
            "incident",
            titles.INCIDENT,
            N_(
                "One incident from report to review: intake, fraud report, assessments, "
                "timeline, obligations, review, signatures."
            ),
            (REF,),
            _DATA + "incident:load",
            _BUILD + "incident:build",
        ),
        ReportSpec(
            "status",
            titles.STATUS,
            N_(
                "The situation now: open incidents by severity, overdue obligations, who is "
                "on duty, overdue checks, training and drills due."
            ),
            (),
            _DATA + "status:load",
            _BUILD + "status:build",
        ),
        ReportSpec(
            "matrix",
            titles.MATRIX,
            N_("The emergency groups, who does what in each phase, and the contact list."),
            (),
            _DATA + "matrix:load",
            _BUILD + "matrix:build",
        ),
        ReportSpec(
            "resources",
            titles.RESOURCES,
            N_("Every emergency reserve with its readiness and check status."),
            (),
            _DATA + "resources:load",
            _BUILD + "resources:build",
        ),
        ReportSpec(
            "drills",
            titles.DRILLS,
            N_(
                "A year's training sessions and drills, their evaluations and findings, and "
                "the at-least-once-a-year rule."
            ),
            (YEAR,),
            _DATA + "drills:load",
            _BUILD + "drills:build",
        ),
        ReportSpec(
            "review",
            titles.REVIEW,
            N_(
                "One incident's review: cause, evaluation of the handling, lessons and "
                "improvement actions."
            ),
            (REF,),
            _DATA + "incident:load",
            _BUILD + "review:build",
        ),
    )
}


def spec_for(kind: str) -> ReportSpec:
    spec = REPORTS.get(kind)
    if spec is None:
        raise ValidationFailed.one(
            "invalid_choice", "report", value=str(kind)[:40], allowed=", ".join(REPORTS)
        )
    return spec


# the reports a clerk may print: the incident response report of an incident they may see
CLERK_REPORTS = frozenset({"incident"})


def authorize_report(actor: Actor | None, kind: str) -> None:
    """PermissionDenied unless `actor` may print a `kind` report: coordinators and
    administrators every report; a clerk the incident response report of an incident of
    their branch (checked when its data is read). Customer data is masked in every report.
    None: an internal build (scripts, tests), not restricted."""
    if actor is None or has(actor, Permission.PRINT_REPORTS):
        return
    if kind in CLERK_REPORTS and has(actor, Permission.PRINT_OWN_INCIDENT_REPORT):
        return
    raise denied(actor, Permission.PRINT_REPORTS)


def gather(
    db: Database, kind: str, params: Mapping[str, Any], *, actor: Actor | None = None
) -> Any:
    """The report's data, read in one read-only session (closed on return), as `actor`
    (who must be allowed to print it and to see the incident)."""
    spec = spec_for(kind)
    authorize_report(actor, spec.kind)
    with db.session(actor, readonly=True) as s:
        return spec.load(params, session=s)


def generate(
    db: Database,
    kind: str,
    params: Mapping[str, Any],
    path: str | Path,
    options: BuildOptions,
    *,
    actor: Actor | None = None,
) -> BuildResult:
    """Check `params`, gather the data as `actor` and write the PDF to `path`
    (atomically). The operator-facing callers (CLI, console) pass the operator."""
    spec = spec_for(kind)
    authorize_report(actor, spec.kind)
    checked = spec.check(params)
    data = gather(db, kind, checked, actor=actor)
    return spec.build(data, path, options)
