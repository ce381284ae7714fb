"""The log file and the diagnostics text a support person asks for first (no Qt).

    from ebconsole import logs
    logs.setup_logging()          # once, at the start of the CLI or the console
    text = logs.diagnostics(db)   # Help › Copy diagnostics, `ebconsole diagnostics`

The log is a rotating file `ebconsole.log` in the user log folder (`paths.log_dir()`:
`logs/` inside EBCONSOLE_DATA_DIR when that is set). Code never logs customer data (ID
numbers, account and card numbers, phone numbers, names); as a safety net every line
written, tracebacks included, and every line shown in the diagnostics passes through
`redact()`, which masks anything shaped like an ID, account or phone number.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import platform
import re
import sys
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ebconsole.paths import log_dir, user_data_dir

if TYPE_CHECKING:
    from ebconsole.db.session import Database

LOG_FILE = "ebconsole.log"
MAX_BYTES = 2_000_000
BACKUP_COUNT = 5
LEVEL_ENV = "EBCONSOLE_LOG_LEVEL"
FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"
REDACTED = "[redacted]"
TAIL_LINES = 50

# Anything shaped like customer data. Incident and report numbers keep their digits:
# they follow a letter or a hyphen (BJ01-20261127-001, RPT-BJ01-20261128225820).
_SENSITIVE = re.compile(
    r"(?<![\w-])(?:"
    r"\d{17}[\dXx]"  # resident ID number (18 characters)
    r"|\d{4}(?:[ -]\d{4}){2,5}(?:[ -]\d{1,4})?"  # card or account number in groups
    r"|\d{12,30}"  # account, card or old (15-digit) ID number
    r"|(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}"  # mobile phone
    r"|0\d{2,3}-\d{7,8}"  # landline with area code
    r")(?![\w-])"
)

_OUR_HANDLER = "_ebconsole_log_file"


def redact(text: str) -> str:
    """`text` with ID, account, card and phone numbers masked."""
    return _SENSITIVE.sub(REDACTED, text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then masks customer-data-shaped numbers in the whole entry
    (message, arguments and traceback: SQL errors quote their parameters)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_file() -> Path:
    return log_dir() / LOG_FILE


def _level() -> int:
    name = os.environ.get(LEVEL_ENV, "INFO").upper()
    level = logging.getLevelName(name)
    return level if isinstance(level, int) else logging.INFO


def setup_logging(*, respect_existing: bool = True) -> logging.Handler | None:
    """Send the program's log to the rotating file; returns the handler added.

    Does nothing when it already did for the same file, or (`respect_existing`) when the
    caller configured logging itself (tests, an embedding program). When the file
    cannot be opened (read-only home), warnings go to standard error instead.
    """
    root = logging.getLogger()
    path = log_file() if _can_make_dir() else None
    for old in list(root.handlers):
        if getattr(old, _OUR_HANDLER, None) is not None:
            if path is not None and Path(getattr(old, _OUR_HANDLER)) == path:
                return None
            root.removeHandler(old)
            old.close()
    if respect_existing and root.handlers:
        return None
    handler: logging.Handler
    try:
        if path is None:
            raise OSError("no log folder")
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
        setattr(handler, _OUR_HANDLER, str(path))
        handler.setLevel(_level())
    except OSError:
        handler = logging.StreamHandler()
        handler.setLevel(logging.WARNING)
        setattr(handler, _OUR_HANDLER, "")
    handler.setFormatter(RedactingFormatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(min(_level(), logging.INFO))
    # Alembic says "Context impl SQLiteImpl" at every start: keep its warnings only
    logging.getLogger("alembic").setLevel(max(_level(), logging.WARNING))
    return handler


def stop_logging() -> None:
    """Remove and close the handler `setup_logging` added (tests, before moving files)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OUR_HANDLER, None) is not None:
            root.removeHandler(handler)
            handler.close()
    logging.getLogger("alembic").setLevel(logging.NOTSET)


def _can_make_dir() -> bool:
    try:
        log_dir()
    except OSError:
        return False
    return True


def recent_lines(count: int = TAIL_LINES) -> list[str]:
    """The last `count` lines of the log (older rotated files first), redacted."""
    try:
        base = log_file()
    except OSError:
        return []
    files = [base.with_name(f"{LOG_FILE}.{n}") for n in range(BACKUP_COUNT, 0, -1)] + [base]
    tail: deque[str] = deque(maxlen=count)
    for path in files:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                tail.extend(line.rstrip("\n") for line in fh)
        except OSError:
            continue
    return [redact(line) for line in tail]


# --- diagnostics --------------------------------------------------------------------------
Pairs = list[tuple[str, str]]


def _safe(label: str, compute: Callable[[], str]) -> tuple[str, str]:
    try:
        return label, compute()
    except Exception as exc:  # one broken line must not hide the others
        return label, f"unknown ({type(exc).__name__}: {redact(str(exc))[:200]})"


def hide_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    from ebconsole.db.session import normalize_url

    return make_url(normalize_url(url)).render_as_string(hide_password=True)


def _schema(db: Database) -> str:
    from ebconsole.db.migrate import current_revision, head_revision

    current, head = current_revision(db), head_revision()
    if current == head:
        return f"{current} (current)"
    return f"{current or 'none'} (this program: {head})"


def _sync_state(db: Database | None) -> Pairs:
    """The replication state, if this build has `ebconsole.sync`: its `diagnostics(db)`
    hook when it offers one, else `sync.service.sync_status`."""
    import importlib

    try:
        sync = importlib.import_module("ebconsole.sync")
    except ImportError:
        return [("Sync", "not in this build")]
    try:
        hook = getattr(sync, "diagnostics", None)
        if callable(hook):
            return [(f"Sync: {label}", redact(str(value))) for label, value in hook(db)]
        if db is None:
            return [("Sync", "available")]
        service = importlib.import_module("ebconsole.sync.service")
        with db.session(readonly=True) as s:
            st = service.sync_status(session=s)
        return [
            ("Sync hub", st.hub_url or "none (this workstation works alone)"),
            ("Sync state", "online" if st.online else f"offline since {st.offline_since}"),
            ("Sync last push / pull", f"{st.last_push or '-'} / {st.last_pull or '-'}"),
            ("Sync pending / open conflicts", f"{st.pending} / {st.open_conflicts}"),
            ("Sync last error", redact(st.last_error or "none")[:300]),
        ]
    except Exception as exc:  # a half-migrated or foreign database: say so, go on
        return [("Sync", f"status unknown ({type(exc).__name__}: {redact(str(exc))[:200]})")]


def diagnostics(
    db: Database | None = None,
    *,
    url: str | None = None,
    extra: Pairs | None = None,
    lines: int = TAIL_LINES,
) -> str:
    """Plain text for a support request: version, platform, database (password
    removed), schema revision, folders, sync state, `extra` (the console adds its Qt
    facts), then the last `lines` log lines. Nothing secret, no customer data."""
    from ebconsole import __version__
    from ebconsole.db.session import DB_ENV, default_database_url
    from ebconsole.i18n import current_language

    db_url = db.url if db is not None else (url or default_database_url())
    pairs: Pairs = [
        ("ebconsole", __version__),
        ("Build", "frozen bundle" if getattr(sys, "frozen", False) else "Python package"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("Platform", f"{platform.platform()} ({platform.machine()})"),
        ("Language", current_language()),
        _safe("Database", lambda: hide_password(db_url)),
    ]
    if db is not None:
        pairs.append(_safe("Schema revision", lambda: _schema(db)))
    pairs += [
        _safe("Data folder", lambda: str(user_data_dir())),
        _safe("Log file", lambda: str(log_file())),
    ]
    if db is not None and db.path is not None:
        pairs.append(("Database backups (default)", str(db.path.parent / "backups")))
    overrides = [
        name
        for name in ("EBCONSOLE_DATA_DIR", DB_ENV, "EBCONSOLE_RESOURCES", "EBCONSOLE_REPORT_FONT")
        if os.environ.get(name)
    ]
    pairs.append(("Environment overrides", ", ".join(overrides) or "none"))
    pairs += _sync_state(db)
    pairs += extra or []
    out = [f"{label}: {value}" for label, value in pairs]
    tail = recent_lines(lines)
    out.append("")
    out.append(f"Last {len(tail)} log lines:")
    out.extend(tail)
    return "\n".join(out) + "\n"
