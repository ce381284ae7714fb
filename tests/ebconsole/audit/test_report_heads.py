"""Every printed report ends with the audit chain heads, so paper can be checked later."""

from __future__ import annotations

import shutil

import pytest

from ebconsole.audit.verify import verify
from ebconsole.db.session import Database
from ebconsole.reports.builders import BuildOptions, generate
from tests.ebconsole.reports.conftest import pdftotext

pytestmark = pytest.mark.slow


def test_a_report_prints_the_chain_heads(world_db_path, tmp_path):
    path = tmp_path / "ebconsole.sqlite3"
    shutil.copyfile(world_db_path, path)
    db = Database(str(path))
    head = verify(db).chains[0].head
    out = tmp_path / "职责矩阵.pdf"

    generate(db, "matrix", {}, out, BuildOptions("zh_CN"))
    db.dispose()

    text = " ".join(pdftotext(out).split())
    assert "审计链校验值" in text
    assert f"{head.origin} #{head.seq} sha256:{head.short}" in text
