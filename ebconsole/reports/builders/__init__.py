"""The six concrete reports (docs/reports.md, "Reports"): one module per report, each a
`build(data, path, options) -> BuildResult` over the plain data its `ebconsole.reports.data`
module gathers, and the registry `REPORTS` with their parameters.

Importing this package (the registry, `BuildOptions`) does not import reportlab: each
builder module imports it when a report is first built."""

from ebconsole.reports.builders.options import BuildOptions
from ebconsole.reports.builders.registry import (
    REPORTS,
    Param,
    ParamKind,
    ReportSpec,
    gather,
    generate,
    spec_for,
)

__all__ = [
    "REPORTS",
    "BuildOptions",
    "Param",
    "ParamKind",
    "ReportSpec",
    "gather",
    "generate",
    "spec_for",
]
