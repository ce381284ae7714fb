"""Crash safety: SIGKILL during bursts of intake, many times, on one real database file.

Each round forks a fresh process that saves incidents one transaction at a time through
the real service and prints each reference number after its commit returned. The test
kills it (SIGKILL: no clean-up, no atexit, no rollback) after a random delay — counted
from the moment it opened the database in even rounds, from its first reported save in
odd ones, so half the kills surely land in the middle of a burst — then checks
that every reference the process had printed is in the database and that
`PRAGMA integrity_check` is ok. The next round opens the same file, so each one also
recovers from the previous kill.

EBCONSOLE_KILL_ROUNDS sets the number of rounds (default 25), EBCONSOLE_KILL_SEED the
random seed (default: random, printed).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ROUNDS = int(os.environ.get("EBCONSOLE_KILL_ROUNDS", "25"))
MAX_DELAY = 0.3  # seconds: a burst commits many times in that, so kills land all through it


class Server:
    def __init__(self, db: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("EBCONSOLE_BLOCK_QT", None)
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("burst.py")), str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )
        assert self.line() == "serving"

    def line(self) -> str:
        assert self.proc.stdout is not None
        raw = self.proc.stdout.readline()
        assert raw, "the fork server ended"
        return raw.decode("utf-8").rstrip("\n")

    def run(self) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"run\n")
        self.proc.stdin.flush()
        word, pid = self.line().split()
        assert word == "pid"
        return int(pid)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _check(db: Path) -> tuple[str, set[str]]:
    con = sqlite3.connect(db)
    try:
        result = con.execute("PRAGMA integrity_check").fetchone()[0]
        refs = {r[0] for r in con.execute("SELECT reference FROM incident")}
    finally:
        con.close()
    return result, refs


@pytest.mark.slow
def test_every_reported_reference_survives_a_kill(tmp_path, world_db_path):
    seed = int(os.environ.get("EBCONSOLE_KILL_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    print(f"kill loop: {ROUNDS} rounds, seed {seed}")
    db = tmp_path / "ebconsole.sqlite3"
    shutil.copyfile(world_db_path, db)
    server = Server(db)
    reported: set[str] = set()
    killed_mid_burst = 0
    try:
        for round_no in range(ROUNDS):
            pid = server.run()
            word, _pid = server.line().split(" ", 1)
            assert word == "ready", f"round {round_no}: child did not start: {word} {_pid}"
            this_round: list[str] = []
            if round_no % 2:
                first = server.line()
                assert first.startswith("ref "), f"round {round_no}: unexpected {first!r}"
                this_round.append(first[4:])
            time.sleep(rng.uniform(0, MAX_DELAY))
            os.kill(pid, signal.SIGKILL)
            while True:
                line = server.line()
                if line.startswith("ref "):
                    this_round.append(line[4:])
                elif line.startswith("exit "):
                    status = int(line.split()[2])
                    break
                else:
                    raise AssertionError(f"round {round_no}: unexpected {line!r}")
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            killed_mid_burst += bool(this_round)
            reported.update(this_round)

            integrity, stored = _check(db)
            assert integrity == "ok", f"round {round_no} (seed {seed}): {integrity}"
            lost = reported - stored
            assert not lost, f"round {round_no} (seed {seed}): reported but lost: {lost}"
    finally:
        server.close()
    print(f"kill loop: {len(reported)} reported references, all present")
    # the kills really landed during bursts, not before the first save
    assert killed_mid_burst >= ROUNDS // 2
