"""Help (帮助) › Copy diagnostics (复制诊断信息): the text a support person needs, on the
clipboard, without customer data."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from ebconsole import __version__, logs

ID_NUMBER = "11010519491231002X"
REFERENCE = "BJ01-20261128-007"


@pytest.fixture
def log_to_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("EBCONSOLE_DATA_DIR", str(tmp_path))
    root = logging.getLogger()
    level = root.level
    handler = logs.setup_logging(respect_existing=False)
    assert handler is not None
    yield handler
    logs.stop_logging()
    root.setLevel(level)


def test_copy_diagnostics_action_puts_the_text_on_the_clipboard(make_main_window, log_to_tmp):
    logging.getLogger("ebconsole.incidents").info(
        "incident %s recorded for customer %s", REFERENCE, ID_NUMBER
    )
    log_to_tmp.flush()
    window = make_main_window(tabs=[])

    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "帮助(&H)")
    actions = {a.text(): a for a in help_menu.actions() if a.text()}
    assert "关于 ebconsole(&A)" in actions
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("")

    actions["复制诊断信息(&C)"].trigger()

    text = clipboard.text()
    assert f"ebconsole: {__version__}" in text
    assert f"Database: sqlite:///{window.ctx.db.path}" in text
    assert "Schema revision:" in text and "Qt / PySide6:" in text
    assert "Site / workstation: BJ01" in text and "Operator: admin" in text
    assert f"incident {REFERENCE} recorded for customer {logs.REDACTED}" in text
    assert ID_NUMBER not in text
