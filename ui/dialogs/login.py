"""Who is working: pick the operator, type the password.

Used at start, for "switch operator" (Ctrl+L) and to unlock after idle. The check runs
off the UI thread (Argon2 takes a moment) through `ebconsole.users.login.login`, which
keeps the failed-attempt count even when the password is wrong.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ebconsole.actor import Actor
from ebconsole.db.session import Database
from ebconsole.i18n import _
from ebconsole.users.login import Operator, login, operators
from ui import icons
from ui.ops import Changes, Ops
from ui.settings_store import LAST_USER, SettingsStore
from ui.widgets.forms import ErrorLabel, FieldErrors


class LoginDialog(QDialog):
    """Accepted with `self.actor` set. `mode`: "start", "switch" or "unlock"."""

    def __init__(
        self,
        db: Database,
        ops: Ops,
        settings: SettingsStore,
        *,
        mode: str = "start",
        preselect: str | None = None,
        subtitle: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.db = db
        self.ops = ops
        self.settings = settings
        self.mode = mode
        self.actor: Actor | None = None
        self._preselect = preselect or settings.value(LAST_USER) or ""
        self.setWindowIcon(icons.app_icon())
        self.setModal(True)
        self.setMinimumWidth(420)

        heading = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(icons.app_icon().pixmap(QSize(48, 48)))
        heading.addWidget(logo)
        titles = QVBoxLayout()
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(subtitle)
        self.subtitle.setWordWrap(True)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        heading.addLayout(titles, 1)

        self.user = QComboBox()
        self.user.setObjectName("user")
        self.user.setMinimumContentsLength(18)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = ErrorLabel()
        self.error.setObjectName("error")
        self.errors = FieldErrors(general=self.error)
        self.errors.bind("username", self.error, self.user)
        self.errors.bind("password", self.error, self.password)

        form = QFormLayout()
        form.addRow(_("Operator"), self.user)
        form.addRow(_("Password"), self.password)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Sign in"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Quit") if mode == "start" else _("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.setWindowTitle(
            {"switch": _("Switch operator"), "unlock": _("Console locked")}.get(mode, _("Sign in"))
        )
        self.title.setText(
            {"switch": _("Switch operator"), "unlock": _("The console is locked")}.get(
                mode, _("Who is working?")
            )
        )
        if not subtitle:
            self.subtitle.setText(_("Choose your name and enter your password."))
        self._set_working(True)
        self.ops.read(lambda: operators(db), on_result=self._fill_users, on_error=self._load_failed)

    # -- operator list -----------------------------------------------------------------
    def _fill_users(self, people: list[Operator]) -> None:
        self.user.clear()
        for person in people:
            self.user.addItem(
                _("{name} ({username}) · {role}").format(
                    name=person.display_name, username=person.username, role=_(person.role.label)
                ),
                person.username,
            )
        index = self.user.findData(self._preselect)
        self.user.setCurrentIndex(max(index, 0))
        self._set_working(False)
        if not people:
            self.error.set_error(_("No active operator account exists."))
            self.ok_button.setEnabled(False)
        self.password.setFocus()

    def _load_failed(self, exc: BaseException) -> None:
        self._set_working(False)
        self.ok_button.setEnabled(False)
        self.errors.show_exception(exc)

    # -- signing in --------------------------------------------------------------------
    def username(self) -> str:
        return str(self.user.currentData() or "")

    def select_user(self, username: str) -> bool:
        index = self.user.findData(username)
        if index >= 0:
            self.user.setCurrentIndex(index)
        return index >= 0

    def submit(self) -> None:
        if not self.ok_button.isEnabled():
            return
        username, password = self.username(), self.password.text()
        self.errors.clear()
        if not password:
            self.error.set_error(_("Enter the password."))
            self.password.setFocus()
            return
        self._set_working(True)
        db = self.db
        # a write: a failed attempt is counted, a success stamps the last login
        self.ops.write(
            lambda: login(db, username, password),
            label=_("Signing in…"),
            changes=Changes(users=True),
            on_result=self._signed_in,
            on_error=self._failed,
        )

    def _signed_in(self, actor: Actor) -> None:
        self.actor = actor
        self.settings.set_value(LAST_USER, actor.username)
        self._set_working(False)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_working(False)
        self.password.clear()
        self.errors.show_exception(exc)
        self.password.setFocus()

    def _set_working(self, working: bool) -> None:
        for widget in (self.user, self.password, self.ok_button):
            widget.setEnabled(not working)
        self.setCursor(Qt.CursorShape.BusyCursor if working else Qt.CursorShape.ArrowCursor)
