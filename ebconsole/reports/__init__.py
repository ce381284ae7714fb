"""PDF reports (reportlab, no Qt): fonts that embed Chinese, the document frame with
header, footer, metadata and bookmarks, shared blocks, masking, charts, atomic output.

See docs/reports.md.
"""

from ebconsole.reports.blocks import Column
from ebconsole.reports.document import Report, ReportInfo, make_report_id
from ebconsole.reports.fonts import FontChoice, resolve_fonts
from ebconsole.reports.masking import Kind, Sensitive, mask_text
from ebconsole.reports.output import BuildResult, Progress, ReportWriteError

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
