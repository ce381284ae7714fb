"""The first-run wizard, filled in as a person would, on a brand-new SQLite file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
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


# -- a further workstation joins the bank's others ---------------------------------------


@pytest.fixture
def bank_bundle(tmp_path):
    """The bank's first workstation (BJ01A, administrator wangjg), exported to a bundle
    signed with the deployment key written next to it."""
    from ebconsole.bootstrap import initialise
    from ebconsole.sync.bundle import export_bundle
    from ebconsole.sync.keys import create_key
    from ebconsole.users.schemas import InstallationCreate, UserCreate

    first = Database(str(tmp_path / "first.sqlite3"))
    actor = initialise(
        first,
        InstallationCreate(site_code="BJ01A", workstation_name="值班室-1"),
        UserCreate(
            username="wangjg", display_name="王建国", role=Role.ADMINISTRATOR, password=PASSWORD
        ),
    )
    key_file = tmp_path / "sync.key"
    bundle = tmp_path / "bank.ebx"
    export_bundle(first, bundle, key=create_key(key_file), actor=actor)
    first.dispose()
    return bundle, key_file


def choose(qtbot, radio):
    # on the indicator: a radio button is hit on its indicator and text, not its whole width
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    assert radio.isChecked()


def fill_second_site(qtbot, wizard):
    page = wizard.site_page
    type_text(qtbot, page.site_code, "BJ01B")
    type_text(qtbot, page.workstation, "值班室-2")


def test_a_workstation_joins_from_a_bundle_and_signs_in_with_an_arrived_account(
    qtbot, wizard, new_db, bank_bundle
):
    bundle, key_file = bank_bundle
    page = wizard.site_page
    assert not page.choice.hub_url.isVisible() and not page.choice.bundle_file.isVisible()
    choose(qtbot, page.choice.bundle)
    assert page.choice.bundle_file.isVisible() and page.choice.key_file.isVisible()
    fill_second_site(qtbot, wizard)
    type_text(qtbot, page.choice.bundle_file.edit, str(bundle))
    type_text(qtbot, page.choice.key_file.edit, str(key_file))
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == ADMIN_PAGE
    assert wizard.admin_page.username.text() == ""  # optional when joining
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == FINISH_PAGE
    assert str(bundle) in wizard.finish_page.summary.text()
    assert not wizard.finish_page.demo.isVisible()  # demo data would reach the whole bank
    with qtbot.waitSignal(wizard.accepted, timeout=60_000):
        click(qtbot, wizard, QWizard.WizardButton.FinishButton)

    assert wizard.joined and wizard.actor is None  # the console asks for a sign-in
    with new_db.session(readonly=True) as s:
        inst = users.require_installation(session=s)
        assert (inst.site_code, inst.workstation_name) == ("BJ01B", "值班室-2")
    assert login(new_db, "wangjg", PASSWORD).site_code == "BJ01B"


def test_a_bundle_signed_with_another_key_is_refused_next_to_its_field(
    qtbot, wizard, new_db, bank_bundle, tmp_path
):
    from ebconsole.sync.keys import create_key

    bundle, _key = bank_bundle
    other_key = tmp_path / "other.key"
    create_key(other_key)
    page = wizard.site_page
    choose(qtbot, page.choice.bundle)
    fill_second_site(qtbot, wizard)
    type_text(qtbot, page.choice.bundle_file.edit, str(bundle))
    type_text(qtbot, page.choice.key_file.edit, str(other_key))
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    label = error_of(wizard, "bundle")
    qtbot.waitUntil(label.isVisible, timeout=60_000)
    assert wizard.currentId() == SITE_PAGE
    assert "签名" in label.text()  # the signature does not match the deployment key
    assert wizard.actor is None and not wizard.joined and wizard.isVisible()
    with new_db.session(readonly=True) as s:
        assert users.get_installation(session=s) is None  # nothing set up


def test_joining_names_the_missing_hub_and_bundle_before_anything_is_written(qtbot, wizard):
    page = wizard.site_page
    fill_second_site(qtbot, wizard)
    choose(qtbot, page.choice.hub)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == SITE_PAGE
    assert error_of(wizard, "hub").isVisible()
    choose(qtbot, page.choice.bundle)
    type_text(qtbot, page.choice.bundle_file.edit, "/nonexistent/bank.ebx")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == SITE_PAGE
    assert "/nonexistent/bank.ebx" in error_of(wizard, "bundle").text()
