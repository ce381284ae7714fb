"""Translation chores: extract the English source strings, check and compile zh_CN.

    python scripts/translations.py compile   # merge resources/translations/zh_CN/*.po → .mo
    python scripts/translations.py check     # list strings that lack a zh_CN translation
    python scripts/translations.py missing   # write the missing ones as a .po stub to stdout

zh_CN translations live in fragments, one per area (core.po, incidents.po, ui.po …), so
people working on different areas never edit the same file. They are merged into one
catalog at compile time.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
SOURCES = ("ebconsole", "ui")
KEYWORDS = {"_": None, "N_": None, "tr": None}


def extract() -> dict[str, list[str]]:
    """msgid → places where it is used."""
    found: dict[str, list[str]] = {}
    for src in SOURCES:
        folder = ROOT / src
        if not folder.exists():
            continue
        for filename, lineno, message, _comments, _ctx in extract_from_dir(
            folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            if isinstance(message, tuple):
                message = message[0]
            if message:
                found.setdefault(message, []).append(f"{src}/{filename}:{lineno}")
    return found


def _fragments(lang: str) -> list[tuple[str, str, str]]:
    """(msgid, msgstr, fragment name) of every translated message in every fragment."""
    out = []
    for fragment in sorted((TRANSLATIONS / lang).glob("*.po")):
        with fragment.open("rb") as fh:
            part = read_po(fh, locale=lang)
        for msg in part:
            if msg.id and msg.string and not msg.fuzzy:
                out.append((str(msg.id), str(msg.string), fragment.name))
    return out


def conflicts(lang: str = "zh_CN") -> list[str]:
    """One English string translated differently in two fragments: the merged catalog
    could only keep one, so the other area would show the wrong words."""
    seen: dict[str, tuple[str, str]] = {}
    found = []
    for mid, text, where in _fragments(lang):
        if mid in seen and seen[mid][0] != text:
            found.append(f"{mid!r}: {seen[mid][1]} says {seen[mid][0]!r}, {where} says {text!r}")
        seen.setdefault(mid, (text, where))
    return found


# a fixed header date: the same fragments compile to the same bytes (a build or a
# `make translations` leaves the committed catalog unchanged)
HEADER_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def merged(lang: str = "zh_CN") -> Catalog:
    catalog = Catalog(
        locale=lang,
        domain="ebconsole",
        project="ebconsole",
        creation_date=HEADER_DATE,
        revision_date=HEADER_DATE,
    )
    for mid, text, _where in _fragments(lang):
        if catalog.get(mid) is None:
            catalog.add(mid, text)
    return catalog


def missing(lang: str = "zh_CN") -> dict[str, list[str]]:
    catalog = merged(lang)
    return {
        mid: where
        for mid, where in extract().items()
        if not (catalog.get(mid) and catalog.get(mid).string)
    }


def compile_catalog(lang: str = "zh_CN") -> Path:
    out = TRANSLATIONS / lang / "LC_MESSAGES" / "ebconsole.mo"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        write_mo(fh, merged(lang))
    return out


def main(argv: list[str]) -> int:
    cmd = argv[1] if len(argv) > 1 else "compile"
    if cmd == "compile":
        print(compile_catalog())
        return 0
    gaps = missing()
    if cmd == "check":
        for mid, where in sorted(gaps.items()):
            print(f"{where[0]}: {mid!r}")
        print(f"{len(gaps)} strings lack a zh_CN translation")
        clashes = conflicts()
        for line in clashes:
            print(f"conflict: {line}")
        return 1 if gaps or clashes else 0
    if cmd == "missing":
        stub = Catalog(locale="zh_CN")
        for mid, where in sorted(gaps.items()):
            stub.add(
                mid,
                "",
                locations=[(w.rsplit(":", 1)[0], int(w.rsplit(":", 1)[1])) for w in where[:3]],
            )
        write_po(sys.stdout.buffer, stub, width=0)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
