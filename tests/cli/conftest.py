"""CLI tests run the `ebconsole` command on a real SQLite file.

Most run it in this process (`cli`, `ready_cli`): `ebconsole.cli.main(argv)` with its own
standard input, captured standard output and error, the environment and the current
folder of the call, all put back afterwards — no interpreter start and no imports per
call. `main` itself puts back what a command changes in the process (language, log
handler); the runner checks after every call that it did. A handful of tests
(tests/cli/test_cli_process.py) run the real executable in a subprocess (`process_cli`):
the entry point, --version, exit codes, Ctrl+C and the refusal to prompt without a
terminal.

Commands act as a signed-in operator: by default `admin` (the administrator `ready_cli`
creates) with the password in $EBCONSOLE_PASSWORD; `user=""` runs without one. In this
process there may be a terminal to prompt at, so a call without a password
(`password=None`) must use `process_cli` (no terminal: a new session)."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.shared import built_once
from tests.support.world import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
# the operator and database of the developer's shell never reach a test's command
CLEARED_ENV = ("EBCONSOLE_DATABASE_URL", "EBCONSOLE_USER", "EBCONSOLE_PASSWORD")


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):  # type: ignore[no-untyped-def]
        return json.loads(self.out)


def _environment(password: str | None, env: dict[str, str] | None) -> dict[str, str]:
    full = {k: v for k, v in os.environ.items() if k not in CLEARED_ENV}
    if password is not None:
        full["EBCONSOLE_PASSWORD"] = password
    full.update(env or {})
    return full


@contextmanager
def _process_state(
    environ: dict[str, str], cwd: Path, stdin: str | None
) -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    """Environment, current folder and standard streams for one call, restored after."""
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    data = (stdin or "").encode("utf-8")
    fake_in = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    os.environ.clear()
    os.environ.update(environ)
    os.chdir(cwd)
    sys.stdin, sys.stdout, sys.stderr = fake_in, out, err
    try:
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    raw = stream.buffer
    assert isinstance(raw, io.BytesIO)
    return raw.getvalue().decode("utf-8")


def run_in_process(argv: list[str], *, environ: dict[str, str], cwd: Path, stdin: str | None):
    """`ebconsole.cli.main(argv)` here; checks that it left no process-wide state behind."""
    from ebconsole.cli import main
    from ebconsole.i18n import current_language

    language = current_language()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    with _process_state(environ, cwd, stdin) as (out, err):
        code = main(argv)
    assert isinstance(code, int), f"main returned {code!r}"
    # what `main` must put back itself (a leak would change the next command's run)
    assert current_language() == language, "the CLI left its language set"
    assert root.handlers == handlers and root.level == level, "the CLI left logging changed"
    return Result(code, _text(out), _text(err))


class Cli:
    """`cli("incident", "list", user="clerk")` → Result(code, out, err), in this process."""

    in_process = True

    def __init__(self, db: Path, tmp: Path):
        self.db = db
        self.tmp = tmp

    def argv(self, args: tuple[str, ...], lang: str, user: str | None) -> list[str]:
        argv = [*args, "--db", str(self.db), "--lang", lang]
        if user:
            argv += ["--user", user]
        return argv

    def __call__(
        self,
        *args: str,
        stdin: str | None = None,
        lang: str = "en",
        user: str | None = "admin",
        password: str | None = PASSWORD,
        env: dict[str, str] | None = None,
    ) -> Result:
        if password is None and user:
            raise AssertionError(
                "a command without $EBCONSOLE_PASSWORD may prompt at this terminal: "
                "use process_cli (no terminal) for it"
            )
        return run_in_process(
            self.argv(args, lang, user),
            environ=_environment(password, env),
            cwd=self.tmp,
            stdin=stdin,
        )

    def write(self, name: str, data: object, encoding: str = "utf-8") -> Path:
        path = self.tmp / name
        path.write_bytes(json.dumps(data, ensure_ascii=False).encode(encoding))
        return path


class ProcessCli(Cli):
    """The real command, `python -m ebconsole`, in a new session without a terminal (a
    missing password can never block on a prompt)."""

    in_process = False

    def __call__(
        self,
        *args: str,
        stdin: str | None = None,
        lang: str = "en",
        user: str | None = "admin",
        password: str | None = PASSWORD,
        env: dict[str, str] | None = None,
    ) -> Result:
        p = self.start(*args, lang=lang, user=user, password=password, env=env, stdin=stdin)
        out, err = p.communicate(stdin, timeout=120)
        return Result(p.returncode, out, err)

    def start(
        self,
        *args: str,
        lang: str = "en",
        user: str | None = "admin",
        password: str | None = PASSWORD,
        env: dict[str, str] | None = None,
        stdin: str | None = None,
        executable: list[str] | None = None,
    ) -> subprocess.Popen[str]:
        cmd = [*(executable or [sys.executable, "-m", "ebconsole"]), *self.argv(args, lang, user)]
        environ = _environment(password, env)
        environ["PYTHONPATH"] = str(ROOT)
        return subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environ,
            cwd=self.tmp,
            start_new_session=True,
        )


def initialise(cli: Cli) -> Cli:
    """`ebconsole init` of site BJ01A with the administrator `admin`."""
    r = cli(
        "init",
        "--site",
        "BJ01A",
        "--workstation",
        "值班室-1",
        "--admin",
        "admin",
        "--admin-name",
        "王建国",
        env={"EBCONSOLE_ADMIN_PASSWORD": PASSWORD},
    )
    assert r.code == 0, r.err
    return cli


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "ebconsole.sqlite3", tmp_path)


@pytest.fixture(scope="session")
def initialised_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database as `ebconsole init` (`initialise` above) leaves it, made once a run by
    that command and shared by the workers (copy it before writing)."""

    def build(path: Path) -> None:
        initialise(Cli(path, path.parent))

    return built_once(tmp_path_factory, "cli-initialised.sqlite3", build)


@pytest.fixture
def ready_cli(cli: Cli, initialised_template: Path) -> Cli:
    """`cli` on a copy of the initialised database (site BJ01A, administrator `admin`)."""
    shutil.copyfile(initialised_template, cli.db)
    return cli


@pytest.fixture
def process_cli(tmp_path: Path) -> ProcessCli:
    return ProcessCli(tmp_path / "ebconsole.sqlite3", tmp_path)
