"""A font that shows Chinese: found among the installed ones, or named for the user to
install (without one, every Chinese character is an empty box)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ebconsole.i18n import N_

# Preferred families, best first; matched as substrings, case-insensitive.
PREFERRED_CJK = (
    "Microsoft YaHei",  # Windows (微软雅黑)
    "PingFang SC",  # macOS
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",  # Debian fonts-wqy-microhei
    "WenQuanYi Zen Hei",
    "Noto Sans CJK",
    "Source Han Sans",
    "PingFang",
    "Microsoft YaHei UI",
    "SimHei",
    "SimSun",
    "WenQuanYi",
)

MISSING_FONT = N_(
    "No font with Chinese characters is installed, so Chinese text would show as empty "
    "boxes. Install one and restart the console:\n\n"
    "Debian/Ubuntu: sudo apt install fonts-wqy-microhei (or fonts-noto-cjk)\n"
    "Windows: Microsoft YaHei (微软雅黑) ships with the system; repair the system fonts.\n\n"
    "This session continues in English."
)


def find_cjk_family(
    families: list[str] | None = None, chinese: set[str] | None = None
) -> str | None:
    """The best installed family for Simplified Chinese, or None. `families` (all) and
    `chinese` (those that claim Simplified Chinese) default to the installed fonts."""
    if families is None:
        families = list(QFontDatabase.families())
        if chinese is None:
            chinese = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    chinese = chinese or set()
    for wanted in PREFERRED_CJK:
        w = wanted.lower()
        # "@…" are vertical-text variants; the shortest match is the base family
        # ("WenQuanYi Micro Hei" rather than "WenQuanYi Micro Hei Mono")
        matches = [f for f in families if w in f.lower() and not f.startswith("@")]
        if matches:
            return min(matches, key=len)
    # anything else that claims Simplified Chinese (e.g. AR PL UMing, Droid Sans Fallback)
    for family in families:
        if family in chinese and not family.startswith("@"):
            return family
    return None


def apply_cjk_font(app: QApplication) -> str | None:
    """Make the Chinese-capable family the application font; None when there is none."""
    family = find_cjk_family()
    if family is None:
        return None
    font = QFont(app.font())
    # Keep the platform's size; put the CJK family first, the platform's after it so
    # symbols it lacks still come from somewhere.
    font.setFamilies([family, *[f for f in app.font().families() if f != family]])
    app.setFont(font)
    return family
