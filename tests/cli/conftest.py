"""CLI tests run the real `ebconsole` command in a subprocess on a real SQLite file.

Commands act as a signed-in operator: by default `admin` (the administrator `ready_cli`
creates) with the password in $EBCONSOLE_PASSWORD; `user=""` runs without one. The
subprocess has no terminal (a new session), so a missing password can never block on a
prompt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.world import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):  # type: ignore[no-untyped-def]
        return json.loads(self.out)


class Cli:
    def __init__(self, db: Path, tmp: Path):
        self.db = db
        self.tmp = tmp

    def __call__(
        self,
        *args: str,
        stdin: str | None = None,
        lang: str = "en",
        user: str | None = "admin",
        password: str | None = PASSWORD,
        env: dict[str, str] | None = None,
    ) -> Result:
        cmd = [sys.executable, "-m", "ebconsole", *args, "--db", str(self.db), "--lang", lang]
        if user:
            cmd += ["--user", user]
        full_env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for name in ("EBCONSOLE_DATABASE_URL", "EBCONSOLE_USER", "EBCONSOLE_PASSWORD"):
            full_env.pop(name, None)
        if password is not None:
            full_env["EBCONSOLE_PASSWORD"] = password
        full_env.update(env or {})
        p = subprocess.run(
            cmd,
            input=stdin,
            capture_output=True,
            text=True,
            env=full_env,
            cwd=self.tmp,
            timeout=120,
            start_new_session=True,
            stdin=subprocess.DEVNULL if stdin is None else None,
        )
        return Result(p.returncode, p.stdout, p.stderr)

    def write(self, name: str, data: object, encoding: str = "utf-8") -> Path:
        path = self.tmp / name
        path.write_bytes(json.dumps(data, ensure_ascii=False).encode(encoding))
        return path


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "ebconsole.sqlite3", tmp_path)


@pytest.fixture
def ready_cli(cli: Cli) -> Cli:
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
