"""Unsaved intake forms on disk, so a crash or a closed window loses nothing.

    store = DraftStore.for_operator("clerk")        # <user data>/drafts/intake-clerk.json
    store.save({"title": "…", …})                   # temp file + fsync + os.replace
    draft = store.load()                            # Draft or None (missing, unreadable)
    store.discard()

Qt-free: only plain JSON data goes in and out.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ebconsole.durable import write_private
from ebconsole.paths import user_data_dir
from ebconsole.timeutil import utcnow

log = logging.getLogger(__name__)

FORMAT = "ebconsole-intake-draft"
VERSION = 1
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def drafts_dir() -> Path:
    return user_data_dir() / "drafts"


def draft_name(operator: str) -> str:
    """`intake-<operator>.json`; characters a file name cannot carry become `_XX`."""
    safe = _UNSAFE.sub(lambda m: "_" + "".join(f"{b:02x}" for b in m.group().encode()), operator)
    return f"intake-{safe or '_'}.json"


@dataclass(frozen=True)
class Draft:
    operator: str
    saved_at: datetime  # aware UTC
    form: dict[str, Any]


class DraftStore:
    def __init__(self, path: Path, operator: str):
        self.path = path
        self.operator = operator

    @classmethod
    def for_operator(cls, operator: str, folder: Path | None = None) -> DraftStore:
        return cls((folder or drafts_dir()) / draft_name(operator), operator)

    def exists(self) -> bool:
        return self.path.is_file()

    def save(self, form: dict[str, Any]) -> None:
        """Write atomically: a reader (or the next start after a crash) sees the old draft
        or the new one, never half a file."""
        document = {
            "format": FORMAT,
            "version": VERSION,
            "operator": self.operator,
            "saved_at": utcnow().isoformat(),
            "form": form,
        }
        data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        write_private(self.path, data)

    def load(self) -> Draft | None:
        """The draft, or None when there is none or it cannot be read (logged, kept)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            log.warning("cannot read the intake draft %s", self.path, exc_info=True)
            return None
        try:
            document = json.loads(raw.decode("utf-8"))
            if document.get("format") != FORMAT or not isinstance(document.get("form"), dict):
                raise ValueError("not an intake draft")
            if int(document.get("version", 0)) > VERSION:
                raise ValueError("written by a newer version")
            saved_at = datetime.fromisoformat(document["saved_at"])
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("ignoring an unreadable intake draft %s", self.path, exc_info=True)
            return None
        return Draft(str(document.get("operator") or self.operator), saved_at, document["form"])

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
