"""The `ebconsole` command: the desktop console by default, headless sub-commands for
scripts, the duty-room terminal and tests."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Iterator, Sequence

from ebconsole import __version__
from ebconsole.cli import (
    commands_admin,
    commands_audit,
    commands_backup,
    commands_incident,
    commands_report,
    commands_sync,
)
from ebconsole.cli.common import CliContext, fail, run_command
from ebconsole.i18n import _, current_language, set_language, system_language
from ebconsole.logs import setup_logging


def build_parser() -> argparse.ArgumentParser:
    # SUPPRESS: a sub-command's copy of an option must not overwrite the value given
    # before the sub-command (`ebconsole --db X init`); defaults are filled in main().
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument(
        "--db",
        metavar="URL",
        help=_(
            "database URL or SQLite file (default: $EBCONSOLE_DATABASE_URL or the user data folder)"
        ),
    )
    common.add_argument("--lang", choices=["zh_CN", "en"], help=_("language of messages"))
    common.add_argument("--json", action="store_true", help=_("print data as JSON"))
    common.add_argument(
        "--user",
        metavar="NAME",
        help=_(
            "act as this operator (default: $EBCONSOLE_USER); the password is read from "
            "$EBCONSOLE_PASSWORD or asked for, never given on the command line"
        ),
    )

    parser = argparse.ArgumentParser(
        prog="ebconsole",
        parents=[common],
        description=_(
            "E-banking emergency response console. With no command it opens the desktop console."
        ),
        epilog=_(
            "Operators: incident, obligations and report act as a signed-in operator (--user "
            "NAME, password from $EBCONSOLE_PASSWORD or a prompt) and obey that operator's "
            "role, as in the console. init, demo on a database without incidents, --version "
            "and help need no operator. See docs/security.md."
        ),
    )
    parser.add_argument("--version", action="version", version=f"ebconsole {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", parents=[common], help=_("open the desktop console"))
    gui.set_defaults(handler=_run_gui)
    diag = sub.add_parser(
        "diagnostics",
        parents=[common],
        help=_("print facts for a support request: version, database, log (no customer data)"),
    )
    diag.set_defaults(handler=_diagnostics)
    commands_admin.register(sub, common)
    commands_incident.register(sub, common)
    commands_report.register(sub, common)
    commands_backup.register(sub, common)
    commands_audit.register(sub, common)
    commands_sync.register(sub, common)
    return parser


def _run_gui(ctx: CliContext) -> int:
    import importlib

    try:
        # The core never imports the UI statically (import contract); the command
        # only hands over to it when asked to open the console.
        run_gui = importlib.import_module("ui.app").run_gui
    except ImportError as exc:  # PySide6 missing: a clear line, not a traceback
        fail(
            _("the desktop console needs PySide6 ({detail}); install ebconsole[gui]").format(
                detail=exc
            )
        )
    return run_gui(ctx.args.db, ctx.args.lang)


def _diagnostics(ctx: CliContext) -> int:
    from ebconsole.logs import diagnostics, redact

    try:
        db = ctx.database()
    except Exception as exc:  # support needs the text most when the database fails
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        sys.stdout.write(diagnostics(url=ctx.url, extra=[("Database error", redact(first))]))
        return 0
    sys.stdout.write(diagnostics(db))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `ebconsole` command and return its exit code (it never raises SystemExit:
    `fail()`, argparse's errors, --help and --version become the code they carry).

    What the command changes in the process — the message language and the log file
    handler — is put back on return, so `main` can run many commands in one process (the
    tests' in-process runner, an embedding program) without one leaking into the next.
    The command reads `sys.stdin` and writes `sys.stdout`/`sys.stderr` as they are at the
    call, and the environment ($EBCONSOLE_USER, $EBCONSOLE_PASSWORD, …) as it is then."""
    with _restored_process_state():
        try:
            return _main(list(sys.argv[1:] if argv is None else argv))
        except SystemExit as exc:
            return _exit_code(exc)


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    sys.stderr.write(f"{exc.code}\n")
    return 1


@contextlib.contextmanager
def _restored_process_state() -> Iterator[None]:
    language = current_language()
    root = logging.getLogger()
    alembic = logging.getLogger("alembic")
    levels = (root.level, alembic.level)
    handlers = list(root.handlers)
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`)
                stream.flush()
        set_language(language)
        for handler in list(root.handlers):
            if handler not in handlers:  # ours, from setup_logging(): close the log file
                root.removeHandler(handler)
                handler.close()
        root.setLevel(levels[0])
        alembic.setLevel(levels[1])


def _main(argv: list[str]) -> int:
    # parse the language first so that help and errors come out in it
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    known, _rest = pre.parse_known_args(argv)
    set_language(known.lang or system_language())
    parser = build_parser()
    args = parser.parse_args(argv)
    for name, default in (("db", None), ("lang", None), ("json", False), ("user", None)):
        if not hasattr(args, name):
            setattr(args, name, default)
    if getattr(args, "handler", None) is None:
        if args.command is None:
            args.handler = _run_gui
        else:
            parser.parse_args([args.command, "--help"])
    setup_logging()
    # the command's name only: its arguments may hold customer data
    logging.getLogger("ebconsole").info("ebconsole %s: %s", __version__, args.command or "gui")
    return run_command(args)
