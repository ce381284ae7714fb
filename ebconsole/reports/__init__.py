"""PDF reports (reportlab, no Qt): fonts that embed Chinese, the document frame with
header, footer, metadata and bookmarks, shared blocks, masking, charts, atomic output.

The names below are imported from their modules on first use (PEP 562): importing this
package, or the registry in `ebconsole.reports.builders`, does not import reportlab, so
the console starts without it and loads it when the first report is built.

See docs/reports.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ebconsole.reports.blocks import Column
    from ebconsole.reports.document import Report, ReportInfo, make_report_id
    from ebconsole.reports.fonts import FontChoice, resolve_fonts
    from ebconsole.reports.masking import Kind, Sensitive, mask_text
    from ebconsole.reports.output import BuildResult, Progress, ReportWriteError

_WHERE = {
    "BuildResult": "output",
    "Column": "blocks",
    "FontChoice": "fonts",
    "Kind": "masking",
    "Progress": "output",
    "Report": "document",
    "ReportInfo": "document",
    "ReportWriteError": "output",
    "Sensitive": "masking",
    "make_report_id": "document",
    "mask_text": "masking",
    "resolve_fonts": "fonts",
}

__all__ = [
    "BuildResult",
    "Column",
    "FontChoice",
    "Kind",
    "Progress",
    "Report",
    "ReportInfo",
    "ReportWriteError",
    "Sensitive",
    "make_report_id",
    "mask_text",
    "resolve_fonts",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next look-up is a plain module attribute
    return value
