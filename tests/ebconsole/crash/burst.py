"""The process the kill loop kills: a fork server that imports ebconsole once, then for
every `run` line forks a child that records incidents in a burst through the
real service, each in its own transaction, and prints `ref <reference>` only after the
commit returned — exactly what a clerk is told.

The server opens the database once and saves one incident before the first fork, so the
children start with SQLAlchemy's mappers and statement cache warm (its pool is emptied
before every fork; each child opens its own connections).

Protocol on stdout (one line each, written with a single os.write, so lines never mix):
    pid <child pid>          the child was forked (the parent may kill it from now on);
                             the child waits for this line to be written before it starts
    ready <child pid>        the child has opened the database
    ref <reference>          committed and reported
    exit <child pid> <status> the child is gone (waitpid returned): every line it wrote
                             is before this one
"""

from __future__ import annotations

import contextlib
import os
import sys


def _say(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


def burst(db, clerk) -> None:  # type: ignore[no-untyped-def]
    from ebconsole.incidents import service as incidents
    from ebconsole.incidents.intake import parse_intake
    from tests.ebconsole.incidents.samples import fraud_intake

    db.engine.dispose(close=False)  # never touch a connection of the parent
    _say(f"ready {os.getpid()}")
    for _ in range(10_000):
        data = parse_intake(fraud_intake())
        with db.session(clerk) as s:
            reference = incidents.create(data, session=s).reference
        # the `with` block has committed: only now may the user be told the number
        _say(f"ref {reference}")


def serve(db_path: str) -> None:
    from ebconsole.db.session import Database
    from ebconsole.incidents import service as incidents
    from ebconsole.incidents.intake import parse_intake
    from tests.ebconsole.incidents.samples import fraud_intake
    from tests.support.world import World

    db = Database(db_path)
    clerk = World.load(db).clerk
    with db.session(clerk) as s:  # warm-up (not reported)
        incidents.create(parse_intake(fraud_intake()), session=s)
    db.engine.dispose()
    _say("serving")
    for line in sys.stdin:
        if line.strip() != "run":
            break
        sys.stdout.flush()
        go_read, go_write = os.pipe()  # the child starts once `pid` is written
        pid = os.fork()
        if pid == 0:  # the child: never returns into the loop
            code = 0
            try:
                os.close(go_write)
                os.read(go_read, 1)
                os.close(go_read)
                burst(db, clerk)
            except BaseException as exc:
                code = 1
                with contextlib.suppress(OSError):
                    _say(f"error {type(exc).__name__}: {exc}")
            finally:
                os._exit(code)
        _say(f"pid {pid}")
        os.close(go_read)
        os.write(go_write, b"g")
        os.close(go_write)
        _pid, status = os.waitpid(pid, 0)
        _say(f"exit {pid} {status}")


if __name__ == "__main__":
    serve(sys.argv[1])
