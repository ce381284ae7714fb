"""How a report is built (language, author, fonts, clock, progress): plain values, no
reportlab, so that callers can prepare a build without loading the PDF library."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ebconsole.i18n import Translate, normalize_language, translator
from ebconsole.reports.output import Progress

if TYPE_CHECKING:
    from ebconsole.reports.fonts import FontChoice


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
