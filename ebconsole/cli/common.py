"""What every command shares: opening the database, the acting operator, output, errors.

The command line acts as a named operator and obeys the same rules as the console: the
operator is `--user NAME` (or $EBCONSOLE_USER), the password comes from
$EBCONSOLE_PASSWORD or an interactive prompt (never from the command line, where other
users of the machine could read it), and it is checked by the real login (Argon2, failed
attempts counted, lockout). Set-up commands (`init`, `demo` on a database without
incidents, `--version`, help) work without an operator and act as the system.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from ebconsole.actor import Actor
from ebconsole.db.session import Database, default_database_url
from ebconsole.errors import EbError
from ebconsole.i18n import Translate, _, current_language, translator

USER_ENV = "EBCONSOLE_USER"
PASSWORD_ENV = "EBCONSOLE_PASSWORD"


@dataclass
class CliContext:
    args: argparse.Namespace
    _db: Database | None = None
    _actor: Actor | None = None

    @property
    def url(self) -> str:
        return self.args.db or default_database_url()

    def database(self, *, prepare: bool = True) -> Database:
        if self._db is None:
            self._db = Database(self.url)
            if prepare:
                from ebconsole.db.migrate import prepare as prepare_schema

                prepare_schema(self._db, backup_dir=self.backup_folder())
        return self._db

    def backup_folder(self) -> Path | None:
        """The backup folder set for this database (in the console's settings, kept next
        to the database), or None: the `backups` folder next to it."""
        from ebconsole.backup.service import configured_folder
        from ebconsole.db.session import normalize_url, sqlite_path

        path = sqlite_path(normalize_url(self.url))
        return configured_folder(path) if path is not None else None

    def operator_name(self) -> str | None:
        name = (getattr(self.args, "user", None) or os.environ.get(USER_ENV) or "").strip()
        return name or None

    def actor(self) -> Actor:
        """The signed-in operator the command acts as (asked for once per command).

        The password is $EBCONSOLE_PASSWORD or, at a terminal, a prompt; a wrong one is
        counted like a failed login in the console."""
        if self._actor is not None:
            return self._actor
        from ebconsole.users.login import login

        name = self.operator_name()
        if name is None:
            fail(
                _(
                    "this command acts as an operator: give --user NAME (or ${env}); the "
                    "password is read from ${password_env} or asked for"
                ).format(env=USER_ENV, password_env=PASSWORD_ENV),
                2,
            )
        db = self.database()
        self._actor = login(db, name, self._password(name))
        return self._actor

    def _password(self, name: str) -> str:
        password = os.environ.get(PASSWORD_ENV)
        if password:
            return password
        try:
            with open("/dev/tty"):  # is there a terminal to ask at?
                pass
        except OSError:
            if not sys.stdin.isatty():
                fail(
                    _(
                        "no password for {user}: set ${password_env} or run the command at "
                        "a terminal"
                    ).format(user=name, password_env=PASSWORD_ENV),
                    2,
                )
        return getpass.getpass(_("Password for {user}: ").format(user=name))

    def system_actor(self) -> Actor:
        """The system, for set-up commands: named with this installation's site and
        workstation in the audit trail."""
        from ebconsole.users import service as users

        with self.database().session(readonly=True) as s:
            inst = users.require_installation(session=s)
            return Actor.system(inst.site_code, inst.workstation_name)

    @property
    def tr(self) -> Translate:
        return translator(current_language())

    def emit(self, data: Any, human: str) -> None:
        if self.args.json:
            json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
            sys.stdout.write("\n")
        else:
            sys.stdout.write(human.rstrip("\n") + "\n")

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def fail(message: str, code: int = 1) -> NoReturn:
    sys.stderr.write(f"ebconsole: {_('error')}: {message}\n")
    raise SystemExit(code)


def run_command(args: argparse.Namespace) -> int:
    ctx = CliContext(args)
    try:
        return int(args.handler(ctx) or 0)
    except EbError as err:
        fail(err.message(ctx.tr).replace("\n", " "), 2)
    except KeyboardInterrupt:
        fail(_("interrupted"), 130)
    except OSError as err:
        fail(str(err), 1)
    except Exception as err:
        import logging

        logging.getLogger("ebconsole").exception("command failed")
        fail(f"{type(err).__name__}: {err}", 1)
    finally:
        ctx.close()


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain text table that lines up Chinese (double-width) characters."""
    from unicodedata import east_asian_width

    def width(text: str) -> int:
        return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)

    cols = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (cols[i] - width(c)) for i, c in enumerate(cells)).rstrip()

    out = [line(headers), line(["-" * c for c in cols])]
    out.extend(line(r) for r in rows)
    return "\n".join(out)
