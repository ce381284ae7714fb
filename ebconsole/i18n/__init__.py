"""Translation for the core: gettext catalogs under resources/translations.

Source strings are English; `zh_CN` is the primary language. The core never formats
sentences with Qt: callers get a plain `translate(str) -> str` for a language.
"""

from __future__ import annotations

import gettext
import locale
import os
from collections.abc import Callable
from functools import cache

from ebconsole.paths import resources_dir

SUPPORTED = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
DOMAIN = "ebconsole"

Translate = Callable[[str], str]

_current = DEFAULT_LANGUAGE


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


@cache
def _catalog(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(
        DOMAIN, localedir=str(resources_dir() / "translations"), languages=[lang], fallback=True
    )


def normalize_language(lang: str | None) -> str:
    """Map a locale name (zh_CN.UTF-8, zh-Hans, en_US …) to a supported language."""
    if not lang:
        return DEFAULT_LANGUAGE
    low = lang.replace("-", "_").lower()
    if low.startswith("zh"):
        return "zh_CN"
    if low.startswith("en") or low in ("c", "posix"):
        return "en"
    return DEFAULT_LANGUAGE


def system_language() -> str:
    for var in ("EBCONSOLE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(var):
            return normalize_language(os.environ[var])
    loc = locale.getlocale()[0]
    return normalize_language(loc)


def translator(lang: str) -> Translate:
    return _catalog(normalize_language(lang)).gettext


def set_language(lang: str) -> None:
    global _current
    _current = normalize_language(lang)


def current_language() -> str:
    return _current


def _(message: str) -> str:
    """Translate into the current language."""
    return _catalog(_current).gettext(message)
