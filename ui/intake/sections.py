"""The sections of the intake form: the incident, the reporter and the fraud report.

Every field is bound to its intake-format path (`fraud.id_number`), so an error of the
core's `parse_intake` shows under the field it names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ebconsole.i18n import _
from ebconsole.incidents.enums import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    FRAUD_CHANNEL_LABELS,
    Category,
)
from ebconsole.incidents.rules import MAX
from ui.intake.transactions import (
    AMOUNT,
    COUNTERPARTY_ACCOUNT,
    COUNTERPARTY_BANK,
    COUNTERPARTY_NAME,
    CURRENCY,
    REFERENCE,
    TIME,
    TransactionDelegate,
    TransactionsModel,
    TransactionsView,
)
from ui.intake.widgets import DateTimeField, ServicesEdit
from ui.widgets.forms import ErrorLabel, FieldErrors

_INDEX = re.compile(r"\[\d+\]$")

ID_CHARS = r"[0-9Xx ]*"
PHONE_CHARS = r"\+?[0-9\- ()]*"
ACCOUNT_CHARS = r"[0-9\- ]*"


class IntakeErrors(FieldErrors):
    """FieldErrors that also finds `affected_services[2]` under `affected_services`."""

    def _lookup(self, field: str | None):  # type: ignore[no-untyped-def]
        if not field:
            return None
        path = field
        while path:
            if path in self._labels:
                return self._labels[path]
            stripped = _INDEX.sub("", path)
            path = stripped if stripped != path else path.rpartition(".")[0]
        return None


# -- combos -----------------------------------------------------------------------------
def fill_combo(
    combo: QComboBox, items: Iterable[tuple[str, str]], *, blank: str | None = None
) -> None:
    """Items (value, label); `blank`: a first item for "none" with the value ""."""
    current = combo_value(combo)
    combo.blockSignals(True)
    combo.clear()
    if blank is not None:
        combo.addItem(blank, "")
    for value, label in items:
        combo.addItem(label, value)
    set_combo_value(combo, current)
    combo.blockSignals(False)


def combo_value(combo: QComboBox) -> str:
    data = combo.currentData()
    return str(data) if data is not None else ""


def set_combo_value(combo: QComboBox, value: str | None) -> None:
    index = combo.findData(value or "")
    if index < 0 and not value:
        index = -1  # the placeholder
    combo.setCurrentIndex(index)


def line_edit(name: str, max_len: int, chars: str | None = None) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setMaxLength(max_len)
    if chars:
        edit.setValidator(QRegularExpressionValidator(QRegularExpression(chars), edit))
    return edit


class Section(QGroupBox):
    """A group of fields in a form layout; each field has its error label beneath it."""

    edited = Signal()

    def __init__(self, title: str, errors: IntakeErrors, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.errors = errors
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.error_labels: dict[str, ErrorLabel] = {}

    def add_field(
        self, path: str, label: str, widget: QWidget, focus: QWidget | None = None
    ) -> ErrorLabel:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addWidget(widget)
        error = ErrorLabel()
        error.setObjectName(f"error_{path}")
        col.addWidget(error)
        focus = focus or widget
        box.setFocusProxy(focus)  # the label's mnemonic (its buddy is the box) lands here
        self.form.addRow(label, box)
        self.errors.bind(path, error, focus)
        self.error_labels[path] = error
        return error

    def changed(self, *_args: Any) -> None:
        self.edited.emit()


# -- the incident --------------------------------------------------------------------------
class IncidentSection(Section):
    category_changed = Signal(str)

    def __init__(self, errors: IntakeErrors, parent: QWidget | None = None):
        super().__init__(_("Incident"), errors, parent)
        self._subtypes: dict[str, list[tuple[str, str]]] = {}
        self._pending_subtype = ""

        self.category = QComboBox()
        self.category.setObjectName("category")
        self.category.setPlaceholderText(_("Choose the class…"))
        fill_combo(self.category, [(c.value, _(CATEGORY_LABELS[c])) for c in Category])
        self.category.setCurrentIndex(-1)
        self.add_field("category", _("&Class"), self.category)

        self.subcategory = QComboBox()
        self.subcategory.setObjectName("subcategory")
        self.subcategory.setEnabled(False)
        self.add_field("subcategory", _("Subtype"), self.subcategory)

        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        self.channel.setPlaceholderText(_("How was it found?"))
        fill_combo(self.channel, [(c.value, _(label)) for c, label in CHANNEL_LABELS.items()])
        self.channel.setCurrentIndex(-1)
        self.add_field("channel", _("Channel"), self.channel)

        self.title_edit = line_edit("title", MAX["title"])
        self.title_edit.setPlaceholderText(_("What happened, in one line"))
        self.add_field("title", _("&Title"), self.title_edit)

        self.occurred_at = DateTimeField(optional=True, check_text=_("known"))
        self.occurred_at.setObjectName("occurred_at")
        assert self.occurred_at.check is not None
        self.add_field("occurred_at", _("Occurred at"), self.occurred_at, self.occurred_at.check)

        self.reported_at = DateTimeField(optional=False)
        self.reported_at.setObjectName("reported_at")
        self.add_field("reported_at", _("Reported at"), self.reported_at, self.reported_at.edit)

        self.branch = line_edit("branch", MAX["branch"])
        self.add_field("branch", _("&Branch"), self.branch)

        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText(
            _("What the caller or the monitoring said, what was done so far")
        )
        self.description.setMinimumHeight(72)
        self.description.setMaximumHeight(110)
        self.add_field("description", _("&Description"), self.description)

        self.services = ServicesEdit()
        self.services.setObjectName("affected_services")
        self.add_field(
            "affected_services", _("Affected services"), self.services, self.services.line
        )

        assert self.occurred_at.check is not None
        self.occurred_at.check.toggled.connect(self._occurred_switched)
        self.category.currentIndexChanged.connect(self._category_changed)
        self.subcategory.activated.connect(self.changed)
        self.channel.activated.connect(self.changed)
        self.title_edit.textEdited.connect(self.changed)
        self.occurred_at.edited.connect(self.changed)
        self.reported_at.edited.connect(self.changed)
        self.branch.textEdited.connect(self.changed)
        self.description.textChanged.connect(self._description_changed)
        self.services.edited.connect(self.changed)
        self._quiet = False

    def focus_chain(self) -> list[QWidget]:
        occurred, reported = self.occurred_at, self.reported_at
        assert occurred.check is not None
        return [
            self.category,
            self.subcategory,
            self.channel,
            self.title_edit,
            occurred.check,
            occurred.edit,
            occurred.now_button,
            reported.edit,
            reported.now_button,
            self.branch,
            self.description,
            self.services.line,
        ]

    def _occurred_switched(self, on: bool) -> None:
        # switched on: start from the reported time (it cannot be later than that)
        reported = self.reported_at.edit.dateTime()
        if on and self.occurred_at.edit.dateTime() > reported:
            self.occurred_at.edit.setDateTime(reported)

    def _description_changed(self) -> None:
        if not self._quiet:
            self.changed()

    def category_value(self) -> str:
        return combo_value(self.category)

    def _category_changed(self) -> None:
        if not self._quiet:
            self._pending_subtype = ""  # a subtype of the class chosen before
        self._fill_subtypes()
        if not self._quiet:
            self.category_changed.emit(self.category_value())
            self.changed()

    # -- subtypes (loaded off the UI thread) -----------------------------------------------
    def set_subtypes(self, subtypes: dict[str, list[tuple[str, str]]]) -> None:
        """`{category: [(code, label), …]}` in the interface language."""
        wanted = combo_value(self.subcategory) or self._pending_subtype
        self._subtypes = subtypes
        self._fill_subtypes(wanted)

    def _fill_subtypes(self, wanted: str | None = None) -> None:
        category = self.category_value()
        items = self._subtypes.get(category, [])
        fill_combo(self.subcategory, items, blank=_("— none —"))
        if wanted is not None:
            set_combo_value(self.subcategory, wanted)
            if combo_value(self.subcategory) != wanted:
                self._pending_subtype = wanted  # not loaded yet (or unknown): keep it
            else:
                self._pending_subtype = ""
        if self.subcategory.currentIndex() < 0:
            self.subcategory.setCurrentIndex(0)
        self.subcategory.setEnabled(bool(category))

    def subcategory_value(self) -> str:
        return combo_value(self.subcategory) or self._pending_subtype

    # -- state ------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {
            "category": self.category_value(),
            "subcategory": self.subcategory_value(),
            "channel": combo_value(self.channel),
            "title": self.title_edit.text(),
            "occurred_at": self.occurred_at.value(),
            "reported_at": self.reported_at.value(),
            "branch": self.branch.text(),
            "description": self.description.toPlainText(),
            "affected_services": self.services.services(),
        }

    def set_state(self, state: dict[str, Any]) -> None:
        self._quiet = True
        try:
            set_combo_value(self.category, state.get("category") or "")
            self._pending_subtype = ""
            self._fill_subtypes(state.get("subcategory") or "")
            set_combo_value(self.channel, state.get("channel") or "")
            self.title_edit.setText(state.get("title") or "")
            self.occurred_at.set_value(state.get("occurred_at"))
            self.reported_at.set_value(state.get("reported_at"))
            self.branch.setText(state.get("branch") or "")
            self.description.setPlainText(state.get("description") or "")
            self.services.set_services(state.get("affected_services") or [])
        finally:
            self._quiet = False


# -- the reporter --------------------------------------------------------------------------
class ReporterSection(Section):
    def __init__(self, errors: IntakeErrors, parent: QWidget | None = None):
        super().__init__(_("Reporter"), errors, parent)
        self.name = line_edit("reporter.name", MAX["name"])
        self.add_field("reporter.name", _("Reporter &name"), self.name)
        self.department = line_edit("reporter.department", MAX["department"])
        self.add_field("reporter.department", _("Department"), self.department)
        self.phone = line_edit("reporter.phone", MAX["phone"], PHONE_CHARS)
        self.add_field("reporter.phone", _("Phone"), self.phone)
        for edit in (self.name, self.department, self.phone):
            edit.textEdited.connect(self.changed)

    def focus_chain(self) -> list[QWidget]:
        return [self.name, self.department, self.phone]

    def state(self) -> dict[str, str]:
        return {
            "name": self.name.text(),
            "department": self.department.text(),
            "phone": self.phone.text(),
        }

    def set_state(self, state: dict[str, Any]) -> None:
        self.name.setText(state.get("name") or "")
        self.department.setText(state.get("department") or "")
        self.phone.setText(state.get("phone") or "")


# -- the fraud report --------------------------------------------------------------------
class FraudSection(Section):
    """Customer fraud: the customer, where the money went, what was asked of the police
    and of the banks (stop-payment 紧急止付, freeze 冻结)."""

    def __init__(
        self,
        errors: IntakeErrors,
        default_time: Callable[[int], str],
        parent: QWidget | None = None,
    ):
        super().__init__(_("Fraud report"), errors, parent)
        self.general_error = ErrorLabel()
        self.general_error.setObjectName("error_fraud")
        self.form.addRow(self.general_error)

        self.customer_name = line_edit("fraud.customer_name", MAX["customer_name"])
        self.add_field("fraud.customer_name", _("C&ustomer name"), self.customer_name)
        self.id_number = line_edit("fraud.id_number", 20, ID_CHARS)
        self.id_number.setPlaceholderText(_("18 characters, e.g. 110105198503150027"))
        self.add_field("fraud.id_number", _("&ID number"), self.id_number)
        self.phone = line_edit("fraud.phone", MAX["phone"], PHONE_CHARS)
        self.add_field("fraud.phone", _("Customer phone"), self.phone)
        self.account_number = line_edit("fraud.account_number", 40, ACCOUNT_CHARS)
        self.account_number.setPlaceholderText(_("Account or card number"))
        self.add_field("fraud.account_number", _("Account number"), self.account_number)
        # "give the account or the phone" is about both: shown above, focus on the account
        self.errors.bind("fraud", self.general_error, self.account_number)

        self.channel = QComboBox()
        self.channel.setObjectName("fraud.channel")
        fill_combo(
            self.channel,
            [(c.value, _(label)) for c, label in FRAUD_CHANNEL_LABELS.items()],
            blank=_("— not known —"),
        )
        self.channel.setCurrentIndex(0)
        self.add_field("fraud.channel", _("Where the money moved"), self.channel)

        self.police_report_no = line_edit("fraud.police_report_no", MAX["police_report_no"])
        self.police_report_no.setPlaceholderText("京公朝立字〔2026〕1234号")
        self.add_field("fraud.police_report_no", _("Police report number"), self.police_report_no)

        self.stop_payment = DateTimeField(optional=True, check_text=_("requested"))
        self.stop_payment.setObjectName("fraud.stop_payment_requested_at")
        assert self.stop_payment.check is not None
        self.add_field(
            "fraud.stop_payment_requested_at",
            _("Stop-payment requested at"),
            self.stop_payment,
            self.stop_payment.check,
        )
        self.freeze = DateTimeField(optional=True, check_text=_("requested"))
        self.freeze.setObjectName("fraud.freeze_requested_at")
        assert self.freeze.check is not None
        self.add_field(
            "fraud.freeze_requested_at", _("Freeze requested at"), self.freeze, self.freeze.check
        )

        # transactions
        self.model = TransactionsModel(self)
        self.table = TransactionsView()
        self.table.setObjectName("fraud.transactions")
        self.table.setModel(self.model)
        self.table.setItemDelegate(TransactionDelegate(default_time, self.table))
        self.table.setMinimumHeight(130)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in (
            (TIME, 124),
            (AMOUNT, 90),
            (CURRENCY, 48),
            (COUNTERPARTY_NAME, 84),
            (COUNTERPARTY_ACCOUNT, 160),
            (COUNTERPARTY_BANK, 110),
            (REFERENCE, 120),
        ):
            header.resizeSection(col, max(width, header.sectionSizeHint(col)))
        self.add_button = QPushButton(_("&Add transaction"))
        self.add_button.setObjectName("add_transaction")
        self.add_button.setToolTip(_("Add a transaction (Ctrl+Insert)"))
        self.add_button.setAutoDefault(False)
        self.remove_button = QPushButton(_("Remove transaction"))
        self.remove_button.setObjectName("remove_transaction")
        self.remove_button.setToolTip(_("Remove the selected transaction (Ctrl+Delete)"))
        self.remove_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_transaction)
        self.remove_button.clicked.connect(self.remove_transaction)
        for keys, slot in (
            ("Ctrl+Insert", self.add_transaction),
            ("Ctrl+Delete", self.remove_transaction),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(4)
        col.addWidget(self.table)
        col.addLayout(buttons)
        self.table_error = ErrorLabel()
        self.table_error.setObjectName("error_fraud.transactions")
        col.addWidget(self.table_error)
        box.setFocusProxy(self.table)
        self.form.addRow(_("Transactions"), box)
        self.errors.bind("fraud.transactions", self.table_error, self.table)

        for edit in (
            self.customer_name,
            self.id_number,
            self.phone,
            self.account_number,
            self.police_report_no,
        ):
            edit.textEdited.connect(self.changed)
        self.id_number.textEdited.connect(self._upper_x)
        self.channel.activated.connect(self.changed)
        self.stop_payment.edited.connect(self.changed)
        self.freeze.edited.connect(self.changed)
        for sig in (self.model.dataChanged, self.model.rowsInserted, self.model.rowsRemoved):
            sig.connect(self._model_changed)
        self.model.modelReset.connect(self._update_buttons)
        self.table.selectionModel().currentChanged.connect(self._update_buttons)
        self._quiet = False
        self._update_buttons()

    def focus_chain(self) -> list[QWidget]:
        assert self.stop_payment.check is not None and self.freeze.check is not None
        return [
            self.customer_name,
            self.id_number,
            self.phone,
            self.account_number,
            self.channel,
            self.police_report_no,
            self.stop_payment.check,
            self.stop_payment.edit,
            self.stop_payment.now_button,
            self.freeze.check,
            self.freeze.edit,
            self.freeze.now_button,
            self.table,
            self.add_button,
            self.remove_button,
        ]

    def _upper_x(self, text: str) -> None:
        if "x" in text:
            pos = self.id_number.cursorPosition()
            self.id_number.setText(text.upper())
            self.id_number.setCursorPosition(pos)

    def _model_changed(self, *_args: Any) -> None:
        self._update_buttons()
        if not self._quiet:
            self.changed()

    def _update_buttons(self, *_args: Any) -> None:
        self.remove_button.setEnabled(self.model.rowCount() > 0)

    def add_transaction(self) -> None:
        row = self.model.add_row()
        index = self.model.index(row, TIME)
        self.table.setFocus()
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def remove_transaction(self) -> None:
        if self.model.rowCount() == 0:
            return
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else self.model.rowCount() - 1
        column = max(0, current.column())
        self.model.removeRows(row, 1)
        if self.model.rowCount():
            self.table.setCurrentIndex(
                self.model.index(min(row, self.model.rowCount() - 1), column)
            )
            self.table.setFocus()
        else:
            self.add_button.setFocus()

    # -- state ------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {
            "customer_name": self.customer_name.text(),
            "id_number": self.id_number.text(),
            "phone": self.phone.text(),
            "account_number": self.account_number.text(),
            "channel": combo_value(self.channel),
            "transactions": self.model.rows(),
            "police_report_no": self.police_report_no.text(),
            "stop_payment_requested_at": self.stop_payment.value(),
            "freeze_requested_at": self.freeze.value(),
        }

    def set_state(self, state: dict[str, Any]) -> None:
        self._quiet = True
        try:
            self.customer_name.setText(state.get("customer_name") or "")
            self.id_number.setText(state.get("id_number") or "")
            self.phone.setText(state.get("phone") or "")
            self.account_number.setText(state.get("account_number") or "")
            set_combo_value(self.channel, state.get("channel") or "")
            if self.channel.currentIndex() < 0:
                self.channel.setCurrentIndex(0)
            self.police_report_no.setText(state.get("police_report_no") or "")
            self.stop_payment.set_value(state.get("stop_payment_requested_at"))
            self.freeze.set_value(state.get("freeze_requested_at"))
            rows: Sequence[Any] = state.get("transactions") or []
            self.model.set_rows([r for r in rows if isinstance(r, dict)])
        finally:
            self._quiet = False
