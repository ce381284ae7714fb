"""The `ebconsole` command: the desktop console by default, headless sub-commands for
scripts, the duty-room terminal and tests."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ebconsole import __version__
from ebconsole.cli import commands_admin, commands_incident, commands_report
from ebconsole.cli.common import CliContext, fail, run_command
from ebconsole.i18n import _, set_language, system_language


def build_parser() -> argparse.ArgumentParser:
    # SUPPRESS: a sub-command's copy of an option must not overwrite the value given
    # before the sub-command (`ebconsole --db X init`); defaults are filled in main().
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--db", metavar="URL", help=_(
        "database URL or SQLite file (default: $EBCONSOLE_DATABASE_URL or the user data folder)"))
    common.add_argument("--lang", choices=["zh_CN", "en"], help=_("language of messages"))
    common.add_argument("--json", action="store_true", help=_("print data as JSON"))
    common.add_argument("--user", metavar="NAME", help=_(
        "act as this operator (default: $EBCONSOLE_USER)"))

    parser = argparse.ArgumentParser(
        prog="ebconsole", parents=[common],
        description=_("E-banking emergency response console. With no command it opens the desktop console."))
    parser.add_argument("--version", action="version", version=f"ebconsole {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", parents=[common], help=_("open the desktop console"))
    gui.set_defaults(handler=_run_gui)
    commands_admin.register(sub, common)
    commands_incident.register(sub, common)
    commands_report.register(sub, common)
    return parser


def _run_gui(ctx: CliContext) -> int:
    import importlib

    try:
        # The core never imports the UI statically (import contract); the command
        # only hands over to it when asked to open the console.
        run_gui = importlib.import_module("ui.app").run_gui
    except ImportError as exc:  # PySide6 missing: a clear line, not a traceback
        fail(_("the desktop console needs PySide6 ({detail}); install ebconsole[gui]").format(
            detail=exc))
    return run_gui(ctx.args.db, ctx.args.lang)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
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
    return run_command(args)
