"""Small widgets of the intake form: a date-time field with a "now" button (optionally
switched off: "not known"), the affected-services entry with common services, a banner."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QPoint, QRect, QSize, Qt, QTime, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ebconsole.i18n import N_, _, current_language
from ebconsole.timeutil import to_local, utcnow

DISPLAY_FORMAT = "yyyy-MM-dd HH:mm"


# -- times: wall-clock time of the workstation's zone, naive ------------------------------
def local_now() -> datetime:
    """Now on the workstation's clock in its zone (ebconsole.timeutil), to the minute."""
    return to_local(utcnow()).replace(tzinfo=None, second=0, microsecond=0)


def to_qdatetime(value: datetime) -> QDateTime:
    # a floating wall-clock time: UTC spec so Qt applies no zone or DST of its own
    return QDateTime(
        QDate(value.year, value.month, value.day),
        QTime(value.hour, value.minute, value.second),
        QTimeZone.utc(),
    )


def from_qdatetime(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def iso_minutes(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M")


def parse_iso(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = to_local(parsed).replace(tzinfo=None)
    return parsed.replace(second=0, microsecond=0)


class DateTimeField(QWidget):
    """[☑] [2026-05-01 09:12 ▾] [Now]. `optional`: a check box says whether the time is
    given (the time is editable only then); Now checks it."""

    edited = Signal()

    def __init__(self, *, optional: bool, check_text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.optional = optional
        self.check: QCheckBox | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        if optional:
            self.check = QCheckBox(check_text)
            self.check.toggled.connect(self._toggled)
            row.addWidget(self.check)
        self.edit = QDateTimeEdit()
        self.edit.setDisplayFormat(DISPLAY_FORMAT)
        self.edit.setCalendarPopup(True)
        self.edit.setTimeZone(QTimeZone.utc())
        self.edit.setDateTime(to_qdatetime(local_now()))
        self.edit.setMinimumWidth(150)
        self.edit.dateTimeChanged.connect(self._time_changed)
        row.addWidget(self.edit)
        self.now_button = QPushButton(_("Now"))
        self.now_button.setToolTip(_("Set to the current time"))
        self.now_button.setAutoDefault(False)
        self.now_button.clicked.connect(self._now_clicked)
        row.addWidget(self.now_button)
        row.addStretch(1)
        self._quiet = False
        if optional:
            self._apply_enabled(False)

    # -- value --------------------------------------------------------------------------
    def is_set(self) -> bool:
        return self.check is None or self.check.isChecked()

    def value(self) -> datetime | None:
        return from_qdatetime(self.edit.dateTime()) if self.is_set() else None

    def set_value(self, value: datetime | None) -> None:
        """Programmatic: no `edited`."""
        self._quiet = True
        try:
            if value is not None:
                self.edit.setDateTime(to_qdatetime(value))
            if self.check is not None:
                self.check.setChecked(value is not None)
                self._apply_enabled(value is not None)
        finally:
            self._quiet = False

    def set_now(self) -> None:
        self._now_clicked()

    # -- reacting -----------------------------------------------------------------------
    def _apply_enabled(self, on: bool) -> None:
        self.edit.setEnabled(on)

    def _toggled(self, on: bool) -> None:
        self._apply_enabled(on)
        if not self._quiet:
            self.edited.emit()

    def _time_changed(self) -> None:
        if self._quiet:
            return
        self.edited.emit()

    def _now_clicked(self) -> None:
        self._quiet = True
        try:
            if self.check is not None:
                self.check.setChecked(True)
                self._apply_enabled(True)
            self.edit.setDateTime(to_qdatetime(local_now()))
        finally:
            self._quiet = False
        self.edited.emit()


# -- a layout that wraps its items onto the next line -----------------------------------
class FlowLayout(QLayout):
    """Left to right, wrapping when the line is full (Qt's flow layout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line = area.x(), area.y(), 0
        gap = self.spacing()
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line > 0:
                x, y, line = area.x(), y + line + gap, 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + gap
            line = max(line, hint.height())
        return y + line - rect.y() + margins.bottom()


# -- affected services ------------------------------------------------------------------
# The bank's names of its e-banking services, recorded as they are (Chinese) in every
# interface language; the button shows the label in the operator's language.
COMMON_SERVICES: tuple[tuple[str, str], ...] = (
    ("手机银行", N_("Mobile banking")),
    ("网上银行", N_("Online banking")),
    ("电话银行", N_("Phone banking")),
    ("ATM", N_("ATM")),
    ("快捷支付", N_("Quick pay")),
    ("微信银行", N_("WeChat banking")),
    ("跨行转账", N_("Interbank transfer")),
)
_SEPARATORS = re.compile(r"[,，、;；]")


def split_services(text: str) -> list[str]:
    result: list[str] = []
    for part in _SEPARATORS.split(text):
        name = part.strip()
        if name and name not in result:
            result.append(name)
    return result


def join_services(names: Iterable[str]) -> str:
    return "、".join(names)


class ServicesEdit(QWidget):
    """A line of names separated by 、 or commas, and a button per common service that
    adds or removes it."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(4)
        self.line = QLineEdit()
        self.line.setPlaceholderText(_("Names separated by 、 or commas"))
        self.line.textEdited.connect(self._typed)
        col.addWidget(self.line)
        chips = FlowLayout(spacing=4)
        self.chips: dict[str, QToolButton] = {}
        for name, label in COMMON_SERVICES:
            chip = QToolButton()
            # the name as recorded; its English label in the English interface
            chip.setText(_(label) if current_language() == "en" else name)
            chip.setToolTip(_("Add or remove “{name}”").format(name=name))
            chip.setCheckable(True)
            # a mouse shortcut: from the keyboard the names are typed, and seven more Tab
            # stops would stand between the description and the rest of the form
            chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            chip.setObjectName(f"service_{name}")
            chip.toggled.connect(lambda on, n=name: self._chip_toggled(n, on))
            chips.addWidget(chip)
            self.chips[name] = chip
        col.addLayout(chips)

    def services(self) -> list[str]:
        return split_services(self.line.text())

    def set_services(self, names: Iterable[str]) -> None:
        self.line.setText(join_services(split_services("、".join(names))))
        self._sync_chips()

    def _typed(self) -> None:
        self._sync_chips()
        self.edited.emit()

    def _sync_chips(self) -> None:
        present = set(self.services())
        for name, chip in self.chips.items():
            chip.blockSignals(True)
            chip.setChecked(name in present)
            chip.blockSignals(False)

    def _chip_toggled(self, name: str, on: bool) -> None:
        names = self.services()
        if on and name not in names:
            names.append(name)
        elif not on and name in names:
            names.remove(name)
        self.line.setText(join_services(names))
        self.edited.emit()


# -- a banner above the form -------------------------------------------------------------
class Banner(QFrame):
    """A coloured strip with a sentence and buttons; non-modal."""

    STYLES = {
        "info": ("#e8f0fe", "#1a3d7c", "#aac4f0"),
        "success": ("#e6f4ea", "#0d5224", "#9ccfac"),
        "warning": ("#fef7e0", "#6b4a00", "#f0d488"),
    }

    def __init__(self, kind: str = "info", parent: QWidget | None = None):
        super().__init__(parent)
        back, fore, border = self.STYLES[kind]
        self.setObjectName(f"banner_{kind}")
        self.setStyleSheet(
            f"QFrame#banner_{kind} {{ background: {back}; border: 1px solid {border};"
            f" border-radius: 4px; }} QFrame#banner_{kind} QLabel {{ color: {fore}; }}"
        )
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(10, 6, 6, 6)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.row.addWidget(self.text, 1)
        self.setVisible(False)

    def add_button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        self.row.addWidget(button)
        return button
