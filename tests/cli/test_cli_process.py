"""The real executable in a subprocess: what the in-process runner cannot show — the
installed entry point, exit codes as the shell sees them, Ctrl+C, and no prompt without a
terminal."""

from __future__ import annotations

import json
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from ebconsole import __version__
from tests.cli.conftest import Cli, ProcessCli
from tests.cli.test_cli import OUTAGE
from tests.support.world import PASSWORD


def _script() -> list[str]:
    """The `ebconsole` console script installed next to this Python, else `-m ebconsole`."""
    script = Path(sys.executable).with_name("ebconsole")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "ebconsole"]


def test_version_through_the_installed_entry_point(process_cli: ProcessCli):
    p = process_cli.start("--version", user="", executable=_script())
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    assert out.strip() == f"ebconsole {__version__}"


def test_a_session_in_real_processes_with_its_exit_codes(process_cli: ProcessCli):
    cli = process_cli
    # set up in this process (faster); the commands after it run as real processes
    r = Cli(cli.db, cli.tmp)(
        "init",
        "--site",
        "BJ01A",
        "--workstation",
        "值班室-1",
        "--admin",
        "admin",
        "--password-stdin",
        stdin=PASSWORD + "\n",
        user="",
    )
    assert r.code == 0, r.err
    r = cli("incident", "add", "-", stdin=json.dumps(OUTAGE), lang="zh_CN")
    assert r.code == 0, r.err
    assert r.out.strip().startswith("BJ01A-")
    r = cli("incident", "show", "BJ01A-20990101-999")  # an error: one line, exit code 2
    assert r.code == 2 and r.err.count("\n") == 1 and "BJ01A-20990101-999" in r.err
    r = cli("incident", "frobnicate")  # argparse: usage error
    assert r.code == 2 and "usage:" in r.err


def test_no_password_and_no_terminal_is_refused_not_prompted(
    process_cli: ProcessCli, initialised_template: Path
):
    shutil.copyfile(initialised_template, process_cli.db)  # as `initialise` leaves it
    # a new session without a terminal, no $EBCONSOLE_PASSWORD: a clear refusal
    r = process_cli("incident", "list", user="admin", password=None)
    assert r.code == 2 and "EBCONSOLE_PASSWORD" in r.err and "admin" in r.err


READ_SYSCALLS = {"0", "63"}  # read(2) on x86-64 and on arm64


@pytest.mark.skipif(not Path("/proc/self/syscall").exists(), reason="needs Linux /proc")
def test_ctrl_c_ends_the_command_with_130_and_one_line(process_cli: ProcessCli, tmp_path):
    """The command waits for its intake on standard input; Ctrl+C (SIGINT) ends it with
    exit code 130 and a line saying so, not a traceback."""
    data = tmp_path / "data"
    # a child inherits an *ignored* or *blocked* SIGINT across exec, and Python leaves it
    # so: start it as a terminal would, SIGINT at its default and unblocked, whatever this
    # test process (a pytest worker) was given
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    mask = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        p = process_cli.start(
            "incident", "add", "-", user="", stdin="", env={"EBCONSOLE_DATA_DIR": str(data)}
        )
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        signal.signal(signal.SIGINT, inherited)
    log = data / "logs" / "ebconsole.log"

    def waiting_for_input() -> bool:
        # the command has started (its log line) and is blocked in a read of stdin: the
        # system call it sleeps in (/proc/PID/syscall: number, then the arguments) has
        # file descriptor 0 as its first argument. Merely sleeping is not enough: under
        # load the process also sleeps earlier (opening the database, writing its log).
        started = log.is_file() and ": incident" in log.read_text(encoding="utf-8")
        call = Path(f"/proc/{p.pid}/syscall").read_text().split()
        return started and len(call) > 1 and call[0] in READ_SYSCALLS and call[1] == "0x0"

    while not waiting_for_input():
        assert p.poll() is None, p.communicate()
        time.sleep(0.01)
    p.send_signal(signal.SIGINT)
    _out, err = p.communicate(timeout=60)
    assert p.returncode == 130, f"{err} (this process's SIGINT: {inherited}, mask {mask})"
    assert err == "ebconsole: error: interrupted\n"
