"""Run a few lines of Python in a fresh interpreter: what a module imports can only be
seen in a process that has imported nothing else (the test process has loaded it all)."""

from __future__ import annotations

import subprocess
import sys


def run_fresh(code: str) -> None:
    """Run `code` in a new interpreter; it must end by printing "ok" (its asserts fail
    the test with their message)."""
    done = subprocess.run(
        [sys.executable, "-c", code + "\nprint('ok')\n"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
