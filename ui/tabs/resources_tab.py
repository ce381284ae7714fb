"""应急资源 — the inventory of emergency reserves (plan §5): technical (backup systems,
the technical team, monitoring), people and material (spare equipment, supplies, backup
media, logistics), with status, location, quantity, contact and the periodic check.

Overdue checks stand out (red, bold, the overdue icon) and can be listed alone. Marking
an item checked is one action (the button or Ctrl+K on the selected row); coordinators
and administrators record checks, administrators keep the inventory.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ebconsole.i18n import _
from ebconsole.resources import service as resources
from ebconsole.resources.enums import ResourceKind
from ebconsole.timeutil import to_local, utcnow
from ui.context import Context
from ui.errors import show_error
from ui.models.resources_model import (
    Inventory,
    ResourceRow,
    ResourcesModel,
    kind_text,
    load_inventory,
)
from ui.ops import Changes
from ui.permissions import Action
from ui.plan.form import confirm
from ui.plan.resource_dialogs import CheckDialog, ResourceDialog
from ui.plan.table import ALERT, Latest, RowsProxy, make_table, select_where, selected_row
from ui.plan.widgets import focus_when_shown, tab_action, tool_button
from ui.tabs import register
from ui.tabs.base import Tab

CLOCK_MS = 5 * 60_000  # overdue is judged again as time passes


@register
class ResourcesTab(Tab):
    key = "resources"
    order = 50
    icon_name = "resources"
    permission = Action.VIEW_PLAN

    @classmethod
    def title(cls) -> str:
        return _("Resources")

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.loader = Latest(ctx, self)
        self.may_check = ctx.can(Action.CHECK_RESOURCES)
        self.may_edit = ctx.can(Action.EDIT_INVENTORY)
        self.inventory = Inventory(())
        self._pending_select: uuid.UUID | None = None
        self.dialog: QWidget | None = None

        # -- filters -------------------------------------------------------------------
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("kind_filter")
        self.kind_filter.addItem(_("All kinds"), None)
        for kind in ResourceKind:
            self.kind_filter.addItem(kind_text(kind), kind)
        self.kind_filter.currentIndexChanged.connect(self._apply_filter)
        kind_label = QLabel(_("&Kind:"))
        kind_label.setBuddy(self.kind_filter)
        self.overdue_only = QCheckBox(_("Only &overdue checks"))
        self.overdue_only.setObjectName("overdue_only")
        self.overdue_only.toggled.connect(self._apply_filter)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(_("Find name, location or contact (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        # -- the table -----------------------------------------------------------------
        self.model = ResourcesModel(self)
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = make_table(
            self.proxy, name="resources", widths=(140, 220, 80, 70, 170, 230, 130, 170)
        )
        self.table.sortByColumn(ResourcesModel.KIND, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(lambda _index: self.edit_item())
        self.table.selectionModel().selectionChanged.connect(self._update_actions)

        # -- actions -------------------------------------------------------------------
        self.check_action = tab_action(
            self, "mark_checked", _("&Mark checked"), self.mark_checked, "Ctrl+K", "refresh"
        )
        self.check_note_action = tab_action(
            self,
            "check_with_note",
            _("Checked, with state and &note…"),
            self.check_with_note,
            "Ctrl+Shift+K",
        )
        self.add_action = tab_action(
            self, "add_resource", _("&Add…"), self.add_item, "Ctrl+N", "resources"
        )
        self.edit_action = tab_action(self, "edit_resource", _("&Edit…"), self.edit_item)
        self.archive_action = tab_action(self, "archive_resource", _("Archi&ve"), self.archive_item)
        tab_action(self, "find", _("Find"), self.search.setFocus, "Ctrl+F")
        if not self.may_check:
            for action in (self.check_action, self.check_note_action):
                action.setToolTip(_("Only a coordinator or an administrator records checks."))
        if not self.may_edit:
            for action in (self.add_action, self.edit_action, self.archive_action):
                action.setToolTip(_("Only an administrator keeps the inventory."))

        check_button = tool_button(self.check_action)
        check_button.setObjectName("mark_checked_button")
        menu = QMenu(check_button)
        menu.addAction(self.check_note_action)
        check_button.setMenu(menu)
        check_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)

        bar = QHBoxLayout()
        bar.addWidget(kind_label)
        bar.addWidget(self.kind_filter)
        bar.addWidget(self.overdue_only)
        bar.addWidget(self.search, 1)
        bar.addSpacing(12)
        bar.addWidget(check_button)
        for action in (self.add_action, self.edit_action, self.archive_action):
            bar.addWidget(tool_button(action))

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

        self.setTabOrder(self.kind_filter, self.overdue_only)
        self.setTabOrder(self.overdue_only, self.search)
        self.setTabOrder(self.search, self.table)
        ctx.settings.restore_header(self.table.horizontalHeader(), "resources/table")
        saved = ctx.settings.value("resources/overdue_only")
        self.overdue_only.setChecked(str(saved).lower() == "true")

        self.clock = QTimer(self)
        self.clock.setInterval(CLOCK_MS)
        self.clock.timeout.connect(self._tick)
        self.clock.start()
        self._update_actions()

    # -- loading -----------------------------------------------------------------------
    def refresh(self, changes: Changes) -> None:
        if changes.touches("resources"):
            self.loader.read(load_inventory, self._loaded)

    def _loaded(self, inventory: Inventory) -> None:
        self.inventory = inventory
        selected = self.selected_item()
        wanted = self._pending_select or (selected.id if selected else None)
        self._pending_select = None
        self.model.set_rows(inventory.rows)
        self._apply_filter()
        if (wanted is None or not self._select(wanted)) and self.proxy.rowCount():
            self.table.selectRow(0)
        self._update_actions()

    def _tick(self) -> None:
        self.model.set_now(utcnow())
        self._apply_filter()

    def _apply_filter(self, *_args: Any) -> None:
        kind = self.kind_filter.currentData()
        overdue_only = self.overdue_only.isChecked()
        needle = self.search.text().strip().lower()
        now = self.model.now

        def accept(row: ResourceRow) -> bool:
            if kind is not None and row.kind != kind:
                return False
            if overdue_only and not row.overdue(now):
                return False
            if needle:
                hay = " ".join(
                    p or ""
                    for p in (
                        row.name,
                        row.location,
                        row.contact_name,
                        row.contact_phone,
                        row.notes,
                    )
                ).lower()
                return needle in hay
            return True

        self.proxy.set_filter(accept)
        self._show_summary()
        self._update_actions()

    def _show_summary(self) -> None:
        total = len(self.model.rows())
        overdue = self.model.overdue_count()
        shown = self.proxy.rowCount()
        text = _("{shown} of {total} items").format(shown=shown, total=total)
        if overdue:
            text += " · " + (
                f"<b style='color:{ALERT.name()}'>"
                + _("{count} checks overdue").format(count=overdue)
                + "</b>"
            )
        else:
            text += " · " + _("every check is up to date")
        self.summary.setText(text)

    def _select(self, item_id: uuid.UUID) -> bool:
        return select_where(self.table, lambda row: row.id == item_id)

    def open_record(self, record_id: str) -> None:
        """Show one item (the Overview links overdue checks here)."""
        try:
            item_id = uuid.UUID(str(record_id))
        except ValueError:
            return
        if not self._select(item_id):
            self.kind_filter.setCurrentIndex(0)
            self.search.clear()
            self.overdue_only.setChecked(False)
            if not self._select(item_id):
                self._pending_select = item_id
        self.table.setFocus()

    def selected_item(self) -> ResourceRow | None:
        row = selected_row(self.table)
        return row if isinstance(row, ResourceRow) else None

    def _update_actions(self, *_args: Any) -> None:
        has_item = self.selected_item() is not None
        self.check_action.setEnabled(self.may_check and has_item)
        self.check_note_action.setEnabled(self.may_check and has_item)
        self.add_action.setEnabled(self.may_edit)
        self.edit_action.setEnabled(self.may_edit and has_item)
        self.archive_action.setEnabled(self.may_edit and has_item)

    # -- checks ------------------------------------------------------------------------
    def mark_checked(self) -> None:
        """Record a check of the selected item now, by the operator: one action."""
        item = self.selected_item()
        if not self.may_check or item is None:
            return
        item_id, name = item.id, item.name
        self._pending_select = item_id

        def done(next_due: Any) -> None:
            self.ctx.hub.status_message.emit(
                _("Check recorded: {name}; next check due {date}").format(name=name, date=next_due),
                5000,
            )

        self.ctx.write(
            lambda s: _check_now(item_id, s),
            changes=Changes(resources=True),
            on_result=done,
            on_error=lambda exc: show_error(self, exc),
            owner=self,
        )

    def check_with_note(self) -> CheckDialog | None:
        item = self.selected_item()
        if not self.may_check or item is None:
            return None
        self._pending_select = item.id
        return self._open(CheckDialog(self.ctx, item, self))

    # -- inventory ---------------------------------------------------------------------
    def _open(self, dialog: Any) -> Any:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.open()
        self.dialog = dialog
        return dialog

    def _saved(self, item_id: Any) -> None:
        if isinstance(item_id, uuid.UUID):
            self._pending_select = item_id

    def add_item(self) -> ResourceDialog | None:
        if not self.may_edit:
            return None
        return self._open(
            ResourceDialog(
                self.ctx,
                self.inventory.default_days,
                kind=self.kind_filter.currentData(),
                parent=self,
            )
        )

    def edit_item(self) -> ResourceDialog | None:
        item = self.selected_item()
        if item is None or not self.may_edit:
            return None
        return self._open(ResourceDialog(self.ctx, self.inventory.default_days, item, parent=self))

    def archive_item(self) -> Any:
        item = self.selected_item()
        if not self.may_edit or item is None:
            return None
        item_id = item.id

        def archive() -> None:
            self.ctx.write(
                lambda s: resources.archive(item_id, session=s).id,
                changes=Changes(resources=True),
                on_error=lambda exc: show_error(self, exc),
                owner=self,
            )

        return confirm(
            self,
            _("Archive resource"),
            _("Archive {name}? It leaves the inventory; its checks stay on record.").format(
                name=item.name
            ),
            _("Archive"),
            archive,
        )

    # -- state -------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        focus_when_shown(self, self.table)

    def save_state(self) -> None:
        self.ctx.settings.save_header(self.table.horizontalHeader(), "resources/table")
        self.ctx.settings.set_value("resources/overdue_only", self.overdue_only.isChecked())


def _check_now(item_id: uuid.UUID, session: Any) -> str:
    """Runs on the writer: record the check, answer the next due date (local, ISO)."""
    check = resources.mark_checked(item_id, session=session)
    item = resources.get(check.resource_id, session=session)
    due = item.next_check_due
    return to_local(due).date().isoformat() if due else ""
