"""The workstation's settings, as a form built from the declared list
(`ebconsole.settings.SETTINGS`). Saving broadcasts `Changes(settings=True)`; the main
window applies a new language at once (tabs and menus rebuilt)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ebconsole.i18n import _
from ebconsole.settings import SETTINGS, Kind, Setting
from ui import icons
from ui.context import Context
from ui.errors import show_error
from ui.ops import Changes
from ui.permissions import Action


class _PathEdit(QWidget):
    def __init__(self, setting: Setting, parent: QWidget | None = None):
        super().__init__(parent)
        self.setting = setting
        self.edit = QLineEdit()
        self.edit.setClearButtonEnabled(True)
        browse = QToolButton()
        browse.setText(_("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(browse)

    def _browse(self) -> None:
        title = _(self.setting.label)
        if self.setting.kind is Kind.FOLDER:
            path = QFileDialog.getExistingDirectory(self, title, self.edit.text())
        else:
            filters = (
                f"{_('Font files')} ({self.setting.file_filter})"
                if self.setting.file_filter
                else ""
            )
            path, _chosen = QFileDialog.getOpenFileName(self, title, self.edit.text(), filters)
        if path:
            self.edit.setText(path)


class SettingsDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Settings"))
        self.setWindowIcon(icons.icon("settings"))
        self.setMinimumWidth(520)
        self.editors: dict[str, QWidget] = {}
        may_edit = ctx.can(Action.EDIT_SETTINGS)
        database = ctx.settings.use_database(ctx.db)  # where the backup settings are kept

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for setting in SETTINGS:
            editor = self._editor(setting)
            editor.setObjectName(setting.key)
            editor.setEnabled(may_edit or not setting.restricted)
            self._load(editor, ctx.settings.get(setting.key))
            self.editors[setting.key] = editor
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            col.setSpacing(2)
            col.addWidget(editor)
            if setting.help:
                note = QLabel(_(setting.help))
                note.setWordWrap(True)
                note.setEnabled(False)
                col.addWidget(note)
            form.addRow(_(setting.label), box)

        layout = QVBoxLayout(self)
        if not may_edit:
            notice = QLabel(_("Only an administrator may change the settings shown greyed out."))
            notice.setWordWrap(True)
            layout.addWidget(notice)
        layout.addLayout(form)
        where = QLabel(
            _("Stored for this workstation user in {file}").format(file=ctx.settings.file_name)
        )
        where.setWordWrap(True)
        where.setEnabled(False)
        layout.addWidget(where)
        if database is not None:
            shared = QLabel(
                _(
                    "Backup settings are kept with the database, in {file}; "
                    "the ebconsole command uses them too."
                ).format(file=database.path)
            )
            shared.setObjectName("database_settings_file")
            shared.setWordWrap(True)
            shared.setEnabled(False)
            layout.addWidget(shared)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _editor(self, setting: Setting) -> QWidget:
        if setting.kind is Kind.CHOICE:
            combo = QComboBox()
            for value, label in setting.choices:
                combo.addItem(_(label), value)
            return combo
        if setting.kind is Kind.INTEGER:
            spin = QSpinBox()
            spin.setRange(
                setting.minimum if setting.minimum is not None else -(2**31),
                setting.maximum if setting.maximum is not None else 2**31 - 1,
            )
            return spin
        if setting.kind is Kind.FLAG:
            return QCheckBox()
        if setting.kind in (Kind.FOLDER, Kind.FILE):
            return _PathEdit(setting)
        return QLineEdit()

    def _load(self, editor: QWidget, value: Any) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, _PathEdit):
            editor.edit.setText(str(value))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value))

    def value(self, key: str) -> Any:
        editor = self.editors[key]
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, _PathEdit):
            return editor.edit.text().strip()
        assert isinstance(editor, QLineEdit)
        return editor.text().strip()

    def set_value(self, key: str, value: Any) -> None:
        """Fill an editor as a person would (tests, scripted set-up)."""
        self._load(self.editors[key], value)

    def accept(self) -> None:
        store = self.ctx.settings
        changed = False
        try:
            for setting in SETTINGS:
                if not self.editors[setting.key].isEnabled():
                    continue
                new = setting.coerce(self.value(setting.key))
                if new != store.get(setting.key):
                    store.set(setting.key, new)  # a database setting: on disk on return
                    changed = True
            store.sync()
        except OSError as exc:  # the file next to the database cannot be written
            show_error(self, exc, _("Settings"))
            if changed:
                self.ctx.hub.changed.emit(Changes(settings=True))
            return  # the dialog stays open: nothing claims to be saved
        super().accept()
        if changed:
            self.ctx.hub.changed.emit(Changes(settings=True))
