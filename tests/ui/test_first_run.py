"""The first-run wizard, filled in as a person would, on a brand-new SQLite file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from ebconsole.db.session import Database
from ebconsole.users import service as users
from ebconsole.users.enums import Role
from ebconsole.users.login import login
from tests.ui.typing import type_text
from ui.dialogs.first_run import ADMIN_PAGE, FINISH_PAGE, SITE_PAGE, FirstRunWizard
from ui.widgets.forms import ErrorLabel

PASSWORD = "Zhiban-2026!"


@pytest.fixture
def new_db(tmp_path):
    database = Database(str(tmp_path / "new.sqlite3"))
    yield database
    database.dispose()


@pytest.fixture
def wizard(qtbot, new_db, ops):
    w = FirstRunWizard(new_db, ops)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def click(qtbot, wizard, which):
    button = wizard.button(which)
    assert button.isVisible() and button.isEnabled(), which
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def fill_site(qtbot, wizard, workstation="值班室-1"):
    page = wizard.site_page
    type_text(qtbot, page.site_code, "bj01a")  # typed in lower case, kept in upper case
    type_text(qtbot, page.site_name, "北京分行")
    type_text(qtbot, page.workstation, workstation)
    type_text(qtbot, page.branch, "北京分行营业部")


def fill_admin(qtbot, wizard, confirm=PASSWORD):
    page = wizard.admin_page
    type_text(qtbot, page.username, "wangjg")
    type_text(qtbot, page.display_name, "王建国")
    type_text(qtbot, page.password, PASSWORD)
    type_text(qtbot, page.confirm, confirm)


def error_of(wizard, field) -> ErrorLabel:
    label = wizard.findChild(ErrorLabel, f"{field}_error")
    assert label is not None, field
    return label


def test_the_wizard_creates_the_installation_and_the_administrator(qtbot, wizard, new_db):
    assert wizard.currentId() == SITE_PAGE
    fill_site(qtbot, wizard)
    assert wizard.site_page.site_code.text() == "BJ01A"
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ADMIN_PAGE
    fill_admin(qtbot, wizard)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == FINISH_PAGE
    summary = wizard.finish_page.summary.text()
    assert "BJ01A" in summary and "王建国" in summary and "北京分行营业部" in summary
    with qtbot.waitSignal(wizard.accepted, timeout=30_000):
        click(qtbot, wizard, QWizard.WizardButton.FinishButton)

    assert wizard.actor is not None and wizard.actor.role is Role.ADMINISTRATOR
    assert wizard.actor.site_code == "BJ01A"
    with new_db.session(readonly=True) as s:
        inst = users.require_installation(session=s)
        assert (inst.site_code, inst.site_name, inst.workstation_name, inst.default_branch) == (
            "BJ01A",
            "北京分行",
            "值班室-1",
            "北京分行营业部",
        )
        admin = users.get_by_username("wangjg", session=s)
        assert admin.display_name == "王建国" and admin.role is Role.ADMINISTRATOR
        assert admin.branch == "北京分行营业部"
    assert login(new_db, "wangjg", PASSWORD).username == "wangjg"


def test_passwords_that_differ_are_named_next_to_the_field(qtbot, wizard):
    fill_site(qtbot, wizard)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    fill_admin(qtbot, wizard, confirm=PASSWORD + "x")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ADMIN_PAGE
    label = error_of(wizard, "password_confirm")
    assert label.isVisible() and label.text() == "与密码不一致"
    assert not error_of(wizard, "password").isVisible()


def test_an_empty_site_code_stops_the_first_page(qtbot, wizard):
    type_text(qtbot, wizard.site_page.workstation, "值班室-1")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == SITE_PAGE
    assert error_of(wizard, "site_code").isVisible()


def test_an_error_from_the_core_goes_back_to_its_field(qtbot, wizard, new_db):
    fill_site(qtbot, wizard, workstation="值" * 81)  # the core allows 80 characters
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    fill_admin(qtbot, wizard)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    label = error_of(wizard, "workstation")
    qtbot.waitUntil(label.isVisible, timeout=30_000)
    assert wizard.currentId() == SITE_PAGE
    assert "80" in label.text()
    assert wizard.actor is None and wizard.isVisible()
    with new_db.session(readonly=True) as s:
        assert users.get_installation(session=s) is None  # nothing half-saved
