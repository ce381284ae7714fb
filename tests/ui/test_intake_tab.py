"""事件登记 Intake: a clerk types a report as on the phone with a customer, saves it, gets
the reference; broken rules show next to their fields and nothing is saved; an unsaved
form outlives a closed window or a crash."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from ebconsole.i18n import current_language
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import Category, Channel, FraudChannel, Status
from ebconsole.incidents.schemas import IncidentFilter
from tests.ui.conftest import wait_idle
from tests.ui.typing import type_text
from ui.i18n import apply_language
from ui.intake import draft as draft_module
from ui.intake.draft import DraftStore
from ui.intake.transactions import (
    AMOUNT,
    COUNTERPARTY_NAME,
    CURRENCY,
    ERROR_BACKGROUND,
    ERROR_ROLE,
    KEY_ROLE,
    TIME,
    TransactionsModel,
)
from ui.intake.widgets import local_now
from ui.ops import Changes
from ui.permissions import can
from ui.tabs.intake_tab import EDITING, SAVED, IntakeTab

REFERENCE = re.compile(r"^BJ01-\d{8}-\d{3}$")
GOOD_ID = "110105198503150027"  # check digit 7
BAD_ID = "110105198503150028"


@pytest.fixture(autouse=True)
def drafts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Drafts go to this test's folder, never to the user data directory."""
    folder = tmp_path / "drafts"
    monkeypatch.setattr(draft_module, "drafts_dir", lambda: folder)
    return folder


# -- helpers: what a person does ------------------------------------------------------
def key(qtbot, keys: str | Qt.Key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1):
    for _ in range(times):
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        qtbot.keyClick(widget, keys, modifier)


def focused():
    return QApplication.focusWidget()


def tab_to(qtbot, widget, limit: int = 60) -> None:
    """Press Tab until `widget` has the focus (as a person walks the form)."""
    for _ in range(limit):
        if focused() is widget:
            return
        key(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget.objectName() or widget!r}")


def choose(qtbot, combo: QComboBox, value: str) -> None:
    """Arrow keys on a closed combo box until `value` is chosen."""
    combo.setFocus()
    target = combo.findData(value)
    assert target >= 0, value
    while combo.currentIndex() != target:
        key(qtbot, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)


def type_cell(qtbot, text: str) -> None:
    """Type into the open table-cell editor (Chinese through the input method)."""
    editor = focused()
    assert isinstance(editor, QLineEdit), f"no cell editor open: {editor!r}"
    type_text(qtbot, editor, text, clear=False)


def saved(qtbot, tab: IntakeTab) -> str:
    qtbot.waitUntil(lambda: bool(tab.last_reference) and tab.mode != "saving", timeout=15_000)
    return tab.last_reference


def incident_count(db) -> int:
    with db.session(readonly=True) as s:
        return incidents.count_incidents(IncidentFilter(), session=s)


def read_incident(db, reference: str) -> dict:
    """The saved incident as plain data, read back through a read-only session."""
    with db.session(readonly=True) as s:
        inc = incidents.get_by_reference(reference, session=s)
        fraud = inc.fraud
        return {
            "id": str(inc.id),
            "title": inc.title,
            "category": inc.category,
            "subcategory": inc.subcategory,
            "channel": inc.channel,
            "status": inc.status,
            "reporter": (inc.reporter_name, inc.reporter_department),
            "branch": inc.branch,
            "description": inc.description,
            "services": list(inc.affected_services),
            "occurred_at": inc.occurred_at,
            "fraud": None
            if fraud is None
            else {
                "customer_name": fraud.customer_name,
                "id_number": fraud.id_number,
                "phone": fraud.phone,
                "account_number": fraud.account_number,
                "channel": fraud.channel,
                "police_report_no": fraud.police_report_no,
                "stop_payment_requested_at": fraud.stop_payment_requested_at,
                "transactions": [
                    (
                        t.position,
                        t.time,
                        t.amount,
                        t.currency,
                        t.counterparty_name,
                        t.counterparty_account,
                        t.counterparty_bank,
                        t.reference,
                    )
                    for t in fraud.transactions
                ],
            },
        }


def fill_fraud_quickly(
    qtbot, tab: IntakeTab, *, id_number: str = GOOD_ID, transactions: list[dict] | None = None
) -> None:
    """A minimal customer-fraud report (for tests about something else than typing)."""
    form = tab.form
    choose(qtbot, form.incident.category, Category.CUSTOMER_FRAUD)
    type_text(qtbot, form.incident.title_edit, "客户反映银行卡被盗刷")
    type_text(qtbot, form.fraud.customer_name, "王秀英")
    type_text(qtbot, form.fraud.id_number, id_number)
    type_text(qtbot, form.fraud.account_number, "6222021234567890123")
    for tx in transactions or []:
        form.fraud.model.add_row(tx)


# -- the whole report, from the keyboard -------------------------------------------------
def test_clerk_types_a_fraud_report_with_two_transactions_and_gets_the_reference(
    make_tab, clerk, db, qtbot, drafts
):
    tab = make_tab(IntakeTab, clerk)
    form = tab.form
    assert not form.fraud.isVisible()
    # the operator is the reporter; a clerk records for their own branch
    assert form.reporter.name.text() == "张丽"
    assert form.reporter.department.text() == "北京分行营业部"
    assert form.incident.branch.text() == "北京分行营业部"

    form.incident.category.setFocus()
    choose(qtbot, form.incident.category, Category.CUSTOMER_FRAUD)
    assert form.fraud.isVisible()
    assert form.incident.channel.currentData() == Channel.CUSTOMER_FEEDBACK

    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.incident.subcategory
    labels = [
        form.incident.subcategory.itemText(i) for i in range(form.incident.subcategory.count())
    ]
    assert "账户被盗" in labels and "服务器宕机" not in labels  # filtered by class
    choose(qtbot, form.incident.subcategory, "account_theft")
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.incident.channel
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.incident.title_edit
    type_text(qtbot, focused(), "客户反映手机银行账户被盗刷两笔", clear=False)
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.incident.occurred_at.check
    key(qtbot, Qt.Key.Key_Space)  # occurred: known, starts at the reported time
    assert form.incident.occurred_at.value() is not None

    tab_to(qtbot, form.incident.description)
    type_text(
        qtbot, focused(), "客户来电称其手机银行在未经本人操作的情况下发生两笔转账。", clear=False
    )
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.incident.services.line
    type_text(qtbot, focused(), "手机银行，快捷支付", clear=False)
    assert form.incident.services.chips["快捷支付"].isChecked()
    qtbot.mouseClick(form.incident.services.chips["快捷支付"], Qt.MouseButton.LeftButton)
    assert form.incident.services.line.text() == "手机银行"
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.reporter.name  # the reporter: already the clerk

    tab_to(qtbot, form.fraud.customer_name)  # past the reporter, who is the clerk
    type_text(qtbot, focused(), "王秀英", clear=False)
    key(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "11010519850315002x")  # a lower-case x is upper-cased
    assert form.fraud.id_number.text() == "11010519850315002X"
    key(qtbot, Qt.Key.Key_Backspace)  # a wrong check digit: corrected with the keyboard
    qtbot.keyClicks(focused(), "7")
    key(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "13812345678")
    key(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "6222 0212 3456 7890 123")
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.fraud.channel
    choose(qtbot, form.fraud.channel, FraudChannel.MOBILE_BANKING)
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, focused(), "京公朝立字〔2026〕1234号", clear=False)
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.fraud.stop_payment.check
    key(qtbot, Qt.Key.Key_Space)  # stop-payment requested (now)

    tab_to(qtbot, form.fraud.add_button)
    key(qtbot, Qt.Key.Key_Space)  # the first transaction: the time cell opens
    assert form.fraud.model.rowCount() == 1
    qtbot.keyClicks(focused(), "2026-05-01 09:12")
    key(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "4999.00")
    key(qtbot, Qt.Key.Key_Tab)
    assert focused().text() == "CNY"  # the default currency, kept
    key(qtbot, Qt.Key.Key_Tab)
    type_cell(qtbot, "李强")
    key(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "6217000010012345678")
    key(qtbot, Qt.Key.Key_Tab)
    type_cell(qtbot, "中国建设银行")
    key(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "TX202605010912001")
    key(qtbot, Qt.Key.Key_Tab)  # past the last cell: out of the table
    assert focused() is form.fraud.add_button

    key(qtbot, Qt.Key.Key_Space)  # the second: its time starts from the first one's
    assert form.fraud.model.rowCount() == 2
    assert focused().text() == "2026-05-01 09:12"
    qtbot.keyClicks(focused(), "2026-05-01 09:15")
    key(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "20000")
    key(qtbot, Qt.Key.Key_Tab, times=2)
    type_cell(qtbot, "刘伟")
    key(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "6228480012345678901")
    key(qtbot, Qt.Key.Key_Tab)
    type_cell(qtbot, "中国农业银行")
    key(qtbot, Qt.Key.Key_Tab, times=2)
    assert focused() is form.fraud.add_button

    qtbot.waitUntil(lambda: tab.store.exists(), timeout=3000)  # the draft keeps it meanwhile
    before = incident_count(db)
    with qtbot.waitSignal(tab.ctx.ops.changed, timeout=15_000) as broadcast:
        key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert tab.mode in ("saving", SAVED)
    assert broadcast.args[0] == Changes(incidents=True, obligations=True)
    reference = saved(qtbot, tab)
    assert REFERENCE.match(reference)
    assert tab.saved_banner.isVisible() and tab.reference_label.text() == reference
    assert tab.mode == SAVED and not form.isEnabled()  # Save shows what was saved
    assert focused() is tab.new_button
    assert not tab.store.exists()  # saved: the draft is gone
    assert incident_count(db) == before + 1

    key(
        qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert QGuiApplication.clipboard().text() == reference

    with qtbot.waitSignal(tab.ctx.hub.open_record) as opened:  # to the incident list
        qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == ["incidents", tab.last_incident_id]

    got = read_incident(db, reference)
    assert got["id"] == tab.last_incident_id
    assert got["title"] == "客户反映手机银行账户被盗刷两笔"
    assert (got["category"], got["subcategory"]) == (Category.CUSTOMER_FRAUD, "account_theft")
    assert got["channel"] == Channel.CUSTOMER_FEEDBACK and got["status"] == Status.REPORTED
    assert got["reporter"] == ("张丽", "北京分行营业部") and got["branch"] == "北京分行营业部"
    assert got["services"] == ["手机银行"] and got["occurred_at"] is not None
    fraud = got["fraud"]
    assert fraud["customer_name"] == "王秀英" and fraud["id_number"] == GOOD_ID
    assert fraud["phone"] == "13812345678"
    assert fraud["account_number"] == "6222021234567890123"
    assert fraud["channel"] == FraudChannel.MOBILE_BANKING
    assert fraud["police_report_no"] == "京公朝立字〔2026〕1234号"
    assert fraud["stop_payment_requested_at"] is not None
    first, second = fraud["transactions"]
    # typed in the workstation's zone (Asia/Shanghai), stored in UTC
    assert first[1].replace(tzinfo=None).isoformat() == "2026-05-01T01:12:00"
    assert first[2:] == (
        Decimal("4999.00"),
        "CNY",
        "李强",
        "6217000010012345678",
        "中国建设银行",
        "TX202605010912001",
    )
    assert second[1].replace(tzinfo=None).isoformat() == "2026-05-01T01:15:00"
    assert second[2:] == (
        Decimal("20000.00"),
        "CNY",
        "刘伟",
        "6228480012345678901",
        "中国农业银行",
        None,
    )

    # New: the next report, the reporter kept
    key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert tab.mode == EDITING and form.isEnabled()
    assert form.incident.title_edit.text() == "" and form.fraud.model.rowCount() == 0
    assert form.reporter.name.text() == "张丽"
    assert focused() is form.incident.category


# -- broken rules: next to the field, in the operator's language, nothing saved -----------
def test_wrong_id_check_digit_shows_under_the_id_field_in_chinese_and_saves_nothing(
    make_tab, clerk, db, qtbot
):
    tab = make_tab(IntakeTab, clerk)
    fill_fraud_quickly(qtbot, tab, id_number=BAD_ID)
    before = incident_count(db)

    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)

    labels = tab.form.error_labels()
    error = labels["fraud.id_number"]
    assert error.isVisible()
    assert error.text() == "不是有效的居民身份证号码（GB 11643：校验码应为 7）"
    assert focused() is tab.form.fraud.id_number  # the first bad field
    assert tab.form.fraud.id_number.property("invalid") is True
    assert tab.summary.text().startswith("未保存")
    assert [name for name, label in labels.items() if label.isVisible()] == ["fraud.id_number"]
    assert tab.mode == EDITING and not tab.ctx.ops.active
    wait_idle(qtbot, tab.ctx.ops)
    assert incident_count(db) == before

    # corrected: the mark goes as soon as the rule holds (checked while typing)
    key(qtbot, Qt.Key.Key_Backspace)
    qtbot.keyClicks(focused(), "7")
    qtbot.waitUntil(lambda: not error.isVisible(), timeout=3000)
    assert not tab.summary.isVisible()
    assert tab.form.fraud.id_number.property("invalid") is False


def test_bad_amount_in_the_second_transaction_flags_that_cell(make_tab, clerk, db, qtbot):
    tab = make_tab(IntakeTab, clerk)
    model = tab.form.fraud.model
    fill_fraud_quickly(
        qtbot,
        tab,
        transactions=[
            {"time": "2026-05-01 09:12", "amount": "4999.00", "counterparty_name": "李强"},
            {},  # an empty row: left out, and not counted
            {"time": "2026-05-01 09:15", "amount": "1200.555", "counterparty_name": "刘伟"},
        ],
    )
    before = incident_count(db)

    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    bad = model.index(2, AMOUNT)
    assert model.data(bad, ERROR_ROLE) == "小数位超过 2 位"
    assert model.data(bad, Qt.ItemDataRole.ToolTipRole) == "小数位超过 2 位"
    assert model.data(bad, Qt.ItemDataRole.BackgroundRole) == ERROR_BACKGROUND
    assert model.error_cells() == [(2, "amount")]
    assert model.data(model.index(0, AMOUNT), ERROR_ROLE) is None
    assert tab.form.fraud.table_error.text() == "交易 3 › 金额：小数位超过 2 位"
    assert focused() is tab.form.fraud.table
    assert tab.form.fraud.table.currentIndex() == bad
    assert incident_count(db) == before

    # typed over: the cell is clean again, and the report saves
    model.setData(bad, "1200.55")
    assert model.data(bad, ERROR_ROLE) is None
    tab.save()
    reference = saved(qtbot, tab)
    amounts = [t[2] for t in read_incident(db, reference)["fraud"]["transactions"]]
    assert amounts == [Decimal("4999.00"), Decimal("1200.55")]


def test_subtypes_follow_the_class_in_the_interface_language(make_tab, clerk, qtbot):
    apply_language("en")
    tab = make_tab(IntakeTab, clerk)
    incident = tab.form.incident
    assert not incident.subcategory.isEnabled()  # no class yet
    choose(qtbot, incident.category, Category.NETWORK_ATTACK)
    names = [incident.subcategory.itemText(i) for i in range(incident.subcategory.count())]
    assert names == [
        "— none —",
        "Hacker attack",
        "Virus intrusion",
        "DDoS attack",
        "Data leak",
        "Phishing site",
    ]
    choose(qtbot, incident.subcategory, "ddos")
    choose(qtbot, incident.category, Category.SYSTEM_FAILURE)
    assert tab.form.intake()[0]["subcategory"] == ""
    assert not tab.form.fraud.isVisible()


def test_a_form_of_nothing_names_every_missing_field(make_tab, clerk, qtbot):
    tab = make_tab(IntakeTab, clerk)
    tab.form.reporter.name.clear()
    tab.save()
    visible = {n for n, label in tab.form.error_labels().items() if label.isVisible()}
    assert visible == {"title", "category", "reporter.name"}
    assert tab.form.error_labels()["title"].text() == "为必填项"
    assert focused() is tab.form.incident.title_edit


def test_english_interface_shows_english_errors(make_tab, clerk, qtbot):
    apply_language("en")
    assert current_language() == "en"
    tab = make_tab(IntakeTab, clerk)
    assert IntakeTab.title() == "Intake"
    fill_fraud_quickly(
        qtbot, tab, id_number=BAD_ID, transactions=[{"time": "2026-05-01 09:12", "amount": "0"}]
    )
    tab.save()
    labels = tab.form.error_labels()
    assert labels["fraud.id_number"].text() == (
        "is not a valid mainland ID number (GB 11643: 18 characters, check digit 7)"
    )
    assert labels["fraud.transactions"].text() == (
        "Transaction 1 › Amount: must be greater than zero"
    )
    assert tab.summary.text() == "Not saved. Problems to fix: 2 (marked in red)."
    assert tab.form.fraud.model.headerData(AMOUNT, Qt.Orientation.Horizontal) == "Amount"


# -- save and new ------------------------------------------------------------------------
def test_save_and_new_clears_for_the_next_caller_keeping_reporter_and_branch(
    make_tab, coordinator, db, qtbot
):
    tab = make_tab(IntakeTab, coordinator)
    form = tab.form
    assert form.reporter.name.text() == "李明"
    assert form.incident.branch.text() == "北京分行营业部"  # the installation's branch
    type_text(qtbot, form.reporter.phone, "010-66012345")

    choose(qtbot, form.incident.category, Category.SYSTEM_FAILURE)
    choose(qtbot, form.incident.channel, Channel.SYSTEM_MONITORING)
    type_text(qtbot, form.incident.title_edit, "网上银行登录页面无法访问")
    form.incident.description.setFocus()
    type_text(qtbot, form.incident.description, "监控发现登录失败率升高。", clear=False)
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # from the text box
    first = saved(qtbot, tab)

    assert tab.mode == EDITING and form.isEnabled()
    assert tab.reference_label.text() == first and tab.saved_banner.isVisible()
    assert form.incident.title_edit.text() == ""
    assert form.incident.category.currentIndex() == -1
    assert form.incident.description.toPlainText() == ""
    assert form.reporter.name.text() == "李明"
    assert form.reporter.phone.text() == "010-66012345"
    assert form.incident.branch.text() == "北京分行营业部"
    assert focused() is form.incident.category
    assert not tab.store.exists()

    choose(qtbot, form.incident.category, Category.NATURAL_DISASTER)
    choose(qtbot, form.incident.channel, Channel.EMPLOYEE_REPORT)
    type_text(qtbot, form.incident.title_edit, "营业部停电")
    key(
        qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    tab.last_reference = ""
    second = saved(qtbot, tab)
    assert second != first and REFERENCE.match(second)
    got = read_incident(db, first)
    assert got["title"] == "网上银行登录页面无法访问" and got["fraud"] is None
    assert got["reporter"] == ("李明", "电子银行部")
    assert read_incident(db, second)["title"] == "营业部停电"


# -- drafts ----------------------------------------------------------------------------
def test_an_unsaved_form_is_offered_back_after_the_window_was_closed(
    make_tab, clerk, qtbot, drafts
):
    tab = make_tab(IntakeTab, clerk)
    fill_fraud_quickly(
        qtbot,
        tab,
        transactions=[
            {"time": "2026-05-01 09:12", "amount": "4999.00", "counterparty_name": "李强"}
        ],
    )
    choose(qtbot, tab.form.incident.subcategory, "telecom_fraud")
    qtbot.waitUntil(lambda: tab.store.exists(), timeout=3000)
    path = tab.store.path
    assert path == drafts / "intake-clerk.json"
    gone: list[bool] = []
    tab.destroyed.connect(lambda *_: gone.append(True))
    tab.close()  # the window goes, nothing saved
    tab.deleteLater()
    qtbot.waitUntil(lambda: bool(gone))

    again = make_tab(IntakeTab, clerk)
    assert again.draft_banner.isVisible()
    assert "客户反映银行卡被盗刷" in again.draft_banner.text.text()
    assert again.form.incident.title_edit.text() == ""  # offered, not forced
    qtbot.mouseClick(again.restore_button, Qt.MouseButton.LeftButton)
    form = again.form
    assert not again.draft_banner.isVisible()
    assert form.incident.title_edit.text() == "客户反映银行卡被盗刷"
    assert form.incident.category.currentData() == Category.CUSTOMER_FRAUD
    assert form.incident.subcategory.currentData() == "telecom_fraud"
    assert form.fraud.isVisible() and form.fraud.id_number.text() == GOOD_ID
    assert form.fraud.model.rows()[0]["counterparty_name"] == "李强"
    assert path.exists()  # still unsaved

    again.save()
    saved(qtbot, again)
    assert not path.exists()


def test_a_draft_left_by_a_killed_process_is_offered(make_tab, clerk, qtbot, drafts):
    path = drafts / "intake-clerk.json"
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from ui.intake.draft import DraftStore\n"
        "DraftStore(Path(sys.argv[1]), 'clerk').save({'title': '营业部ATM吞卡', "
        "'category': 'other', 'channel': 'employee_report', 'reporter': {'name': '张丽'},"
        " 'occurred_at': '2026-05-01T08:40', 'affected_services': ['ATM']})\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert run.returncode != 0  # killed, no clean shutdown
    assert path.exists()

    tab = make_tab(IntakeTab, clerk)
    assert tab.draft_banner.isVisible()
    tab.restore_draft()
    form = tab.form
    assert form.incident.title_edit.text() == "营业部ATM吞卡"
    assert form.incident.category.currentData() == Category.OTHER
    assert form.incident.occurred_at.value().isoformat() == "2026-05-01T08:40:00"
    assert form.incident.services.services() == ["ATM"]
    assert form.incident.services.chips["ATM"].isChecked()


def test_discarding_the_offered_draft_removes_it(make_tab, clerk, qtbot, drafts):
    DraftStore.for_operator("clerk").save({"title": "旧草稿"})
    tab = make_tab(IntakeTab, clerk)
    assert tab.draft_banner.isVisible()
    qtbot.mouseClick(tab.discard_button, Qt.MouseButton.LeftButton)
    assert not tab.draft_banner.isVisible()
    assert not tab.store.exists()
    assert tab.form.incident.title_edit.text() == ""


def test_an_unreadable_draft_is_ignored(make_tab, clerk, drafts):
    drafts.mkdir(parents=True)
    (drafts / "intake-clerk.json").write_text('{"format": "ebconsole-intake-dr', "utf-8")
    tab = make_tab(IntakeTab, clerk)
    assert not tab.draft_banner.isVisible()


def test_each_operator_has_their_own_draft(make_tab, clerk, coordinator, drafts):
    DraftStore.for_operator("clerk").save({"title": "张丽的草稿"})
    assert not make_tab(IntakeTab, coordinator).draft_banner.isVisible()
    assert make_tab(IntakeTab, clerk).draft_banner.isVisible()


def test_an_untouched_form_leaves_no_draft(make_tab, clerk, qtbot, drafts):
    tab = make_tab(IntakeTab, clerk)
    type_text(qtbot, tab.form.incident.title_edit, "测试")
    qtbot.waitUntil(tab.store.exists, timeout=3000)
    tab.form.incident.title_edit.selectAll()
    key(qtbot, Qt.Key.Key_Backspace)  # back to what it was
    qtbot.waitUntil(lambda: not tab.store.exists(), timeout=3000)


def test_switching_the_language_keeps_the_form(make_main_window, clerk, qtbot, drafts):
    window = make_main_window(clerk, tabs=[IntakeTab])
    tab = window.tab("intake")
    type_text(qtbot, tab.form.incident.title_edit, "网银无法登录")
    window.switch_language("en")
    new = window.tab("intake")
    assert new is not tab
    assert new.form.incident.title_edit.text() == "网银无法登录"
    assert not new.draft_banner.isVisible()
    assert window.tab_widget.tabText(0) == "Intake"


def test_new_on_an_unsaved_form_puts_it_aside_to_restore(make_tab, clerk, qtbot):
    tab = make_tab(IntakeTab, clerk)
    type_text(qtbot, tab.form.incident.title_edit, "手机银行短信验证码延迟")
    key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert tab.form.incident.title_edit.text() == ""
    assert tab.draft_banner.isVisible() and tab.store.exists()
    assert "手机银行短信验证码延迟" in tab.draft_banner.text.text()
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert tab.form.incident.title_edit.text() == "手机银行短信验证码延迟"


def test_reported_at_follows_the_clock_until_the_report_starts(make_tab, clerk, qtbot):
    tab = make_tab(IntakeTab, clerk)
    reported = tab.form.incident.reported_at
    # the tab was opened at the start of the shift, hours before the call
    reported.set_value(datetime(2026, 5, 1, 8, 0))
    tab.baseline = tab.form.state()
    type_text(qtbot, tab.form.incident.title_edit, "客户来电")
    assert abs(reported.value() - local_now()) < timedelta(minutes=2)
    # later edits leave a time the operator set alone
    reported.set_value(datetime(2026, 5, 1, 8, 0))
    type_text(qtbot, tab.form.incident.title_edit, "客户来电反映")
    assert reported.value() == datetime(2026, 5, 1, 8, 0)


def test_the_transactions_columns_are_remembered(make_tab, clerk):
    tab = make_tab(IntakeTab, clerk)
    tab.form.fraud.table.horizontalHeader().resizeSection(COUNTERPARTY_NAME, 233)
    tab.save_state()
    again = make_tab(IntakeTab, clerk)
    assert again.form.fraud.table.horizontalHeader().sectionSize(COUNTERPARTY_NAME) == 233


# -- permissions ------------------------------------------------------------------------
def test_every_signed_in_role_may_record_intake(admin, coordinator, clerk):
    for actor in (admin, coordinator, clerk):
        assert can(actor, IntakeTab.permission)


# -- the transactions model ----------------------------------------------------------------
def test_transactions_model_passes_the_model_tester(qtmodeltester):
    model = TransactionsModel()
    model.add_row({"time": "2026-05-01 09:12", "amount": "4999.00", "counterparty_name": "李强"})
    model.add_row({"time": "2026-05-01 09:15", "amount": "20000"})
    model.set_errors({(1, "amount"): "小数位超过 2 位"})
    qtmodeltester.check(model)
    assert model.headerData(TIME, Qt.Orientation.Horizontal, KEY_ROLE) == "time"


def test_transactions_model_keeps_error_marks_on_their_rows():
    model = TransactionsModel()
    for amount in ("1", "2", "3"):
        model.add_row({"amount": amount})
    assert model.data(model.index(0, CURRENCY)) == "CNY"
    model.set_errors({(1, "amount"): "a", (2, "counterparty_name"): "b"})
    model.insertRows(0, 1)
    assert model.error_cells() == [(2, "amount"), (3, "counterparty_name")]
    model.removeRows(2, 1)
    assert model.error_cells() == [(2, "counterparty_name")]
    assert model.data(model.index(2, COUNTERPARTY_NAME), ERROR_ROLE) == "b"
    model.setData(model.index(0, CURRENCY), "usd")
    assert model.rows()[0]["currency"] == "USD"
