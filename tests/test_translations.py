"""Every user-visible string has its zh_CN translation (zh_CN is the primary language)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_tool():
    spec = importlib.util.spec_from_file_location(
        "translations_tool", ROOT / "scripts" / "translations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_string_has_a_zh_cn_translation():
    gaps = load_tool().missing("zh_CN")
    listing = "\n".join(f"  {where[0]}: {msgid!r}" for msgid, where in sorted(gaps.items()))
    assert not gaps, (
        f"{len(gaps)} strings lack a zh_CN translation; add them to your area's .po fragment "
        f"in resources/translations/zh_CN/ (scripts/translations.py missing prints a stub):\n"
        f"{listing}"
    )


def test_no_string_is_translated_two_ways():
    clashes = load_tool().conflicts("zh_CN")
    assert not clashes, "one English string, two translations:\n" + "\n".join(clashes)


def test_compiled_catalog_is_current():
    """The shipped .mo holds every translation of the fragments (make translations)."""
    import gettext

    tool = load_tool()
    mo = ROOT / "resources" / "translations" / "zh_CN" / "LC_MESSAGES" / "ebconsole.mo"
    with mo.open("rb") as fh:
        shipped = gettext.GNUTranslations(fh)
    for msg in tool.merged("zh_CN"):
        if msg.id:
            assert shipped.gettext(msg.id) == msg.string, msg.id
