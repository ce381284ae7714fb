"""The fraud report of a customer-fraud incident (疑似欺诈、账户被盗): the customer, the
transactions, and the stop-payment (紧急止付) with its live countdown, its extensions and
the account freeze (冻结), each requested at a time the operator confirms."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ebconsole.i18n import N_, _
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import FRAUD_CHANNEL_LABELS
from ebconsole.timeutil import format_local
from ui.context import Context
from ui.incidents.countdown import Countdown
from ui.incidents.data import FraudView
from ui.incidents.widgets import FormDialog, LocalDateTimeEdit
from ui.models.incidents_model import TransactionsModel

STOP, EXTEND, FREEZE = "stop", "extend", "freeze"


class RequestDialog(FormDialog):
    """Confirm a stop-payment, an extension or a freeze, and when it was requested."""

    TITLES = {
        STOP: N_("Request a stop-payment"),
        EXTEND: N_("Extend the stop-payment"),
        FREEZE: N_("Request an account freeze"),
    }

    def __init__(
        self,
        ctx: Context,
        what: str,
        incident_id: uuid.UUID,
        reference: str,
        parent: QWidget | None = None,
    ):
        super().__init__(ctx, _(self.TITLES[what]), parent)
        self.setObjectName(f"{what}_dialog")
        self.what = what
        self.incident_id = incident_id
        self.set_intro(
            _(
                "{reference}: record when it was requested (now, or earlier if it was requested "
                "before it was entered)."
            ).format(reference=reference)
        )
        self.at = LocalDateTimeEdit()
        self.at.setObjectName("at")
        path = {
            STOP: "fraud.stop_payment_requested_at",
            EXTEND: "at",
            FREEZE: "fraud.freeze_requested_at",
        }[what]
        self.add_field(path, _("Requested at"), self.at)
        self.ok_button.setText(_(self.TITLES[what]))
        self.at.setFocus()

    def work(self) -> Callable[[Session], Any] | None:
        verb = {
            STOP: incidents.request_stop_payment,
            EXTEND: incidents.extend_stop_payment,
            FREEZE: incidents.request_freeze,
        }[self.what]
        incident_id, at = self.incident_id, self.at.value()
        return lambda s: verb(incident_id, at, session=s).id


def _value(text: str | None) -> QLabel:
    label = QLabel(text or "—")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class FraudPanel(QWidget):
    """Shown for an incident with a fraud report. `requested(what)` asks the detail view
    to open the request dialog (stop, extend, freeze)."""

    requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.view: FraudView | None = None

        customer = QGroupBox(_("Customer"))
        self.customer_form = QGridLayout(customer)
        self.fields: dict[str, QLabel] = {}
        names = (
            ("customer_name", _("Customer")),
            ("id_number", _("ID number")),
            ("phone", _("Phone")),
            ("account_number", _("Account")),
            ("channel", _("Channel")),
            ("police_report_no", _("Police report no.")),
        )
        for i, (key, label) in enumerate(names):
            value = _value("")
            value.setObjectName(key)
            self.fields[key] = value
            row, col = divmod(i, 2)
            caption = QLabel(label)
            caption.setEnabled(False)
            self.customer_form.addWidget(caption, row, col * 2)
            self.customer_form.addWidget(value, row, col * 2 + 1)
        self.customer_form.setColumnStretch(1, 1)
        self.customer_form.setColumnStretch(3, 1)

        stop = QGroupBox(_("Stop-payment and freeze"))
        scol = QVBoxLayout(stop)
        self.countdown = Countdown()
        self.countdown.setObjectName("countdown")
        font = self.countdown.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.countdown.setFont(font)
        self.stop_state = QLabel()
        self.stop_state.setObjectName("stop_state")
        self.stop_state.setWordWrap(True)
        form = QFormLayout()
        self.stop_requested = _value("")
        self.extensions = _value("")
        self.freeze_requested = _value("")
        form.addRow(_("Stop-payment requested"), self.stop_requested)
        form.addRow(_("Extensions"), self.extensions)
        form.addRow(_("Freeze requested"), self.freeze_requested)
        self.stop_button = QPushButton(_("Request a stop-payment…"))
        self.stop_button.setObjectName("request_stop")
        self.extend_button = QPushButton(_("Extend the stop-payment…"))
        self.extend_button.setObjectName("extend_stop")
        self.freeze_button = QPushButton(_("Request an account freeze…"))
        self.freeze_button.setObjectName("request_freeze")
        self.stop_button.clicked.connect(lambda: self.requested.emit(STOP))
        self.extend_button.clicked.connect(lambda: self.requested.emit(EXTEND))
        self.freeze_button.clicked.connect(lambda: self.requested.emit(FREEZE))
        buttons = QHBoxLayout()
        for b in (self.stop_button, self.extend_button, self.freeze_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        scol.addWidget(self.countdown)
        scol.addWidget(self.stop_state)
        scol.addLayout(form)
        scol.addLayout(buttons)

        self.transactions = TransactionsModel(self)
        self.table = QTableView()
        self.table.setObjectName("transactions")
        self.table.setModel(self.transactions)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.total = QLabel()
        self.total.setObjectName("total")

        layout = QVBoxLayout(self)
        layout.addWidget(stop)
        layout.addWidget(customer)
        heading = QLabel(_("Transactions"))
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        self.may_act = True

    def set_view(self, view: FraudView | None, *, may_act: bool, writable: bool) -> None:
        self.view = view
        self.may_act = may_act
        if view is None:
            self.countdown.set_expiry(None)
            self.transactions.set_rows([])
            return
        channel = _(FRAUD_CHANNEL_LABELS[view.channel]) if view.channel else ""
        values = {
            "customer_name": view.customer_name,
            "id_number": view.id_number,
            "phone": view.phone,
            "account_number": view.account_number,
            "channel": channel,
            "police_report_no": view.police_report_no,
        }
        for key, label in self.fields.items():
            label.setText(values.get(key) or "—")
        requested = view.stop_payment_requested_at
        self.stop_requested.setText(format_local(requested) if requested else _("Not requested"))
        self.extensions.setText(
            _("{n} of {max}").format(n=view.stop_payment_extensions, max=view.max_extensions)
        )
        self.freeze_requested.setText(
            format_local(view.freeze_requested_at)
            if view.freeze_requested_at
            else _("Not requested")
        )
        self.countdown.set_expiry(view.expires_at, done=view.expiry_done)
        self.stop_state.setVisible(requested is None)
        self.stop_state.setText(
            _(
                "No stop-payment requested yet: request it as soon as the customer has reported "
                "the fraud."
            )
        )
        self.stop_state.setStyleSheet("color: #8a5a00;")
        can = may_act and writable
        self.stop_button.setEnabled(can and requested is None)
        self.extend_button.setEnabled(
            can and requested is not None and view.stop_payment_extensions < view.max_extensions
        )
        self.freeze_button.setEnabled(can and view.freeze_requested_at is None)
        self.transactions.set_rows(view.transactions)
        self.total.setText(
            _("{count} transactions, total {amount:,.2f} CNY").format(
                count=len(view.transactions), amount=view.total
            )
        )
