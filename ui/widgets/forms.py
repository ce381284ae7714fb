"""Errors next to the fields they concern.

self.errors = FieldErrors(general=self.general_error)
self.errors.bind("site_code", self.site_code_error, self.site_code)
...
op = ctx.write(..., on_error=self.errors.show_exception)
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ebconsole.errors import EbError, FieldError
from ebconsole.i18n import _
from ui.errors import error_text, show_error

ERROR_COLOUR = "#b3261e"


class ErrorLabel(QLabel):
    """Red, wrapped, hidden while empty."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.setVisible(False)

    def set_error(self, text: str | None) -> None:
        self.setText(text or "")
        self.setVisible(bool(text))


def message_without_field(error: FieldError) -> str:
    """The rule that broke, for a label already standing next to its field."""
    return FieldError(error.code, None, error.params).message(_)


class FieldErrors:
    """Maps error field paths to the labels (and widgets) that show them."""

    def __init__(self, general: ErrorLabel | None = None):
        self.general = general
        self._labels: dict[str, tuple[ErrorLabel, QWidget | None]] = {}

    def bind(self, field: str, label: ErrorLabel, widget: QWidget | None = None) -> None:
        self._labels[field] = (label, widget)

    def widget_for(self, field: str) -> QWidget | None:
        bound = self._lookup(field)
        return bound[1] if bound else None

    def _lookup(self, field: str | None) -> tuple[ErrorLabel, QWidget | None] | None:
        if not field:
            return None
        path = field
        while path:
            if path in self._labels:
                return self._labels[path]
            path = path.rpartition(".")[0]
        return None

    def clear(self) -> None:
        for label, _widget in self._labels.values():
            label.set_error(None)
        if self.general is not None:
            self.general.set_error(None)

    def show(self, errors: Iterable[FieldError]) -> QWidget | None:
        """Show each error next to its field (or in the general label); returns the widget
        of the first error that has one, to focus it."""
        self.clear()
        per_label: dict[int, tuple[ErrorLabel, list[str]]] = {}
        general: list[str] = []
        first: QWidget | None = None
        for err in errors:
            bound = self._lookup(err.field)
            if bound is None:
                general.append(err.message(_))
                continue
            label, widget = bound
            per_label.setdefault(id(label), (label, []))[1].append(message_without_field(err))
            if first is None and widget is not None:
                first = widget
        for label, texts in per_label.values():
            label.set_error("\n".join(texts))
        if general and self.general is not None:
            self.general.set_error("\n".join(general))
        return first

    def show_exception(self, exc: BaseException) -> QWidget | None:
        if isinstance(exc, EbError):
            widget = self.show(exc.errors)
        else:
            self.clear()
            if self.general is None:
                show_error(None, exc)
            else:
                self.general.set_error(error_text(exc))
            widget = None
        if widget is not None:
            widget.setFocus()
        return widget
