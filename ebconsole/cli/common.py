"""What every command shares: opening the database, the acting operator, output, errors."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import dataclass
from typing import Any, NoReturn

from ebconsole.actor import Actor
from ebconsole.db.session import Database, default_database_url
from ebconsole.errors import EbError
from ebconsole.i18n import Translate, _, current_language, translator
from ebconsole.users.enums import Role


@dataclass
class CliContext:
    args: argparse.Namespace
    _db: Database | None = None

    @property
    def url(self) -> str:
        return self.args.db or default_database_url()

    def database(self, *, prepare: bool = True) -> Database:
        if self._db is None:
            self._db = Database(self.url)
            if prepare:
                from ebconsole.db.migrate import prepare as prepare_schema

                prepare_schema(self._db)
        return self._db

    def actor(self) -> Actor:
        """The operator the command acts as, with the installation's site and workstation."""
        from ebconsole.users import service as users

        db = self.database()
        name = self.args.user or os.environ.get("EBCONSOLE_USER")
        with db.session(readonly=True) as s:
            inst = users.require_installation(session=s)
            if name:
                user = users.get_by_username(name, session=s)
                if user is None or not user.active or user.archived_at is not None:
                    raise EbError.one("login_failed", "username")
                return users.actor_for(user, inst)
            # No named operator: act as the workstation's local account holder, recorded
            # as such in the audit trail.
            return Actor(username=f"os:{getpass.getuser()}", role=Role.ADMINISTRATOR,
                         display_name=getpass.getuser(), site_code=inst.site_code,
                         workstation=inst.workstation_name)

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
