"""职责矩阵 — the emergency organisation (plan §3): which group leads, executes, supports or
is informed in each phase of the response (§4), the members of each group with their
phones and deputies, and each group's composition and duties.

Everyone signed in reads it; only an administrator changes it (Action.EDIT_MATRIX).
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ebconsole.i18n import N_, _, current_language
from ebconsole.organisation import service as organisation
from ebconsole.organisation.enums import RESPONSIBILITY_LABELS, Responsibility
from ui.context import Context
from ui.errors import show_error
from ui.models.matrix_model import ROLE_COLOURS, MatrixModel, responsibility_text
from ui.models.members_model import (
    GroupRow,
    MemberRow,
    MembersModel,
    Organisation,
    load_organisation,
)
from ui.ops import Changes
from ui.permissions import Action
from ui.plan.delegates import ResponsibilityDelegate
from ui.plan.form import confirm, index_of
from ui.plan.organisation_dialogs import GroupDutiesDialog, MemberDialog
from ui.plan.table import ALERT, Latest, RowsProxy, make_table, select_where, selected_row
from ui.plan.widgets import escape, focus_when_shown, tab_action, tool_button
from ui.tabs import register
from ui.tabs.base import Tab
from ui.widgets.elided_label import ElidedLabel

ADMIN_ONLY = N_("Only an administrator may change the emergency organisation.")


@register
class MatrixTab(Tab):
    key = "matrix"
    order = 40
    icon_name = "matrix"
    permission = Action.VIEW_PLAN

    @classmethod
    def title(cls) -> str:
        return _("Responsibility matrix")

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.loader = Latest(ctx, self)
        self.editable = ctx.can(Action.EDIT_MATRIX)
        self.org: Organisation | None = None
        self._pending_member: uuid.UUID | None = None

        # -- the matrix ----------------------------------------------------------------
        self.matrix_model = MatrixModel(self)
        self.matrix_model.set_editable(self.editable)
        self.matrix_model.cell_edited.connect(self._save_cell)
        self.matrix_view = QTableView()
        self.matrix_view.setObjectName("matrix")
        self.matrix_view.setModel(self.matrix_model)
        self.matrix_view.setItemDelegate(ResponsibilityDelegate(self.matrix_view))
        self.matrix_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix_view.setTabKeyNavigation(False)
        self.matrix_view.setCornerButtonEnabled(False)
        self.matrix_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
            if self.editable
            else QAbstractItemView.EditTrigger.NoEditTriggers
        )
        self.matrix_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.matrix_view.horizontalHeader().setHighlightSections(False)
        self.matrix_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.matrix_view.verticalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.matrix_view.verticalHeader().setMinimumSectionSize(
            self.matrix_view.fontMetrics().height() + 14
        )

        self.matrix_hint = ElidedLabel(
            _("Double-click a cell or press F2 to change the group's role; it is saved at once.")
            if self.editable
            else _(ADMIN_ONLY),
            mode=Qt.TextElideMode.ElideRight,
        )
        self.matrix_hint.setObjectName("matrix_hint")
        self.matrix_hint.setToolTip(self.matrix_hint.text())
        self.matrix_hint.setEnabled(False)
        self.lead_warning = QLabel()
        self.lead_warning.setObjectName("lead_warning")
        self.lead_warning.setWordWrap(True)
        self.lead_warning.setStyleSheet(f"color: {ALERT.name()}; font-weight: bold;")
        self.lead_warning.setVisible(False)

        legend = QHBoxLayout()
        legend.setSpacing(6)
        for role in Responsibility:
            fg, bg = ROLE_COLOURS[role]
            chip = QLabel(_(RESPONSIBILITY_LABELS[role]))
            chip.setStyleSheet(
                f"color: {fg}; background: {bg}; padding: 2px 10px; border-radius: 3px;"
            )
            chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            legend.addWidget(chip)
        legend.addSpacing(12)
        legend.addWidget(self.matrix_hint, 1)

        matrix_box = QGroupBox(_("Who does what in each phase of the response"))
        matrix_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        matrix_layout = QVBoxLayout(matrix_box)
        matrix_layout.addWidget(self.matrix_view)
        matrix_layout.addLayout(legend)
        matrix_layout.addWidget(self.lead_warning)

        # -- groups and members ----------------------------------------------------------
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("group")
        self.group_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_combo.currentIndexChanged.connect(self._group_changed)
        group_label = QLabel(_("&Group:"))
        group_label.setBuddy(self.group_combo)

        self.members_model = MembersModel(self)
        self.members_proxy = RowsProxy(self)
        self.members_proxy.setSourceModel(self.members_model)
        self.members_table = make_table(
            self.members_proxy, name="members", widths=(90, 150, 110, 120, 120, 160)
        )
        self.members_table.activated.connect(lambda _index: self.edit_member())
        self.members_table.selectionModel().selectionChanged.connect(self._update_actions)

        self.add_action = tab_action(
            self, "add_member", _("&Add member…"), self.add_member, "Ctrl+N", "operator"
        )
        self.edit_action = tab_action(self, "edit_member", _("&Edit…"), self.edit_member)
        self.archive_action = tab_action(self, "archive_member", _("Archi&ve"), self.archive_member)
        self.duties_action = tab_action(self, "edit_duties", _("Edit d&uties…"), self.edit_duties)
        for action in (self.add_action, self.edit_action, self.archive_action, self.duties_action):
            if not self.editable:
                action.setToolTip(_(ADMIN_ONLY))

        bar = QHBoxLayout()
        bar.addWidget(group_label)
        bar.addWidget(self.group_combo)
        bar.addStretch(1)
        for action in (self.add_action, self.edit_action, self.archive_action):
            bar.addWidget(tool_button(action))

        self.duties_view = QTextBrowser()
        self.duties_view.setObjectName("duties")
        self.duties_view.setOpenLinks(False)
        duties_panel = QWidget()
        duties_layout = QVBoxLayout(duties_panel)
        duties_layout.setContentsMargins(0, 0, 0, 0)
        duties_layout.addWidget(self.duties_view, 1)
        duties_buttons = QHBoxLayout()
        duties_buttons.addStretch(1)
        duties_buttons.addWidget(tool_button(self.duties_action))
        duties_layout.addLayout(duties_buttons)

        self.members_split = QSplitter(Qt.Orientation.Horizontal)
        self.members_split.addWidget(self.members_table)
        self.members_split.addWidget(duties_panel)
        self.members_split.setStretchFactor(0, 3)
        self.members_split.setStretchFactor(1, 2)

        members_box = QGroupBox(_("Groups, members and deputies"))
        members_layout = QVBoxLayout(members_box)
        members_layout.addLayout(bar)
        members_layout.addWidget(self.members_split, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(matrix_box)
        layout.addWidget(members_box, 1)

        settings = ctx.settings
        settings.restore_header(self.members_table.horizontalHeader(), "matrix/members")
        settings.restore_splitter(self.members_split, "matrix/members_split")
        self.setTabOrder(self.matrix_view, self.group_combo)
        self.setTabOrder(self.group_combo, self.members_table)
        self._update_actions()

    # -- loading -----------------------------------------------------------------------
    def refresh(self, changes: Changes) -> None:
        if changes.touches("organisation"):
            self.loader.read(load_organisation, self._loaded)

    def _loaded(self, org: Organisation) -> None:
        self.org = org
        current = self.matrix_view.currentIndex()
        self.matrix_model.set_matrix(org.matrix)
        self._fit_matrix()
        if current.isValid():
            self.matrix_view.setCurrentIndex(
                self.matrix_model.index(current.row(), current.column())
            )
        self._show_lead_warning()

        chosen = self.group_combo.currentData()
        selected = selected_row(self.members_table)
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        lang = current_language()
        for g in org.groups:
            count = len(org.members_of(g.id))
            self.group_combo.addItem(
                _("{group} ({count})").format(group=g.name(lang), count=count), g.id
            )
        index = index_of(self.group_combo, chosen) if chosen is not None else 0
        self.group_combo.setCurrentIndex(max(0, index))
        self.group_combo.blockSignals(False)
        self.members_model.set_rows(org.members)
        self._group_changed()
        wanted = self._pending_member or (selected.id if selected else None)
        self._pending_member = None
        if (wanted is None or not self._select_member(wanted)) and self.members_proxy.rowCount():
            self.members_table.selectRow(0)

    def _fit_matrix(self) -> None:
        """The matrix is small and fixed: show all of it, no scrolling, no empty space."""
        view = self.matrix_view
        view.resizeRowsToContents()
        header = view.horizontalHeader()
        height = max(header.height(), header.sizeHint().height()) + 2 * view.frameWidth()
        height += sum(view.rowHeight(r) for r in range(self.matrix_model.rowCount()))
        view.setFixedHeight(height)

    def _show_lead_warning(self) -> None:
        missing = self.matrix_model.phases_without_lead()
        lang = current_language()
        self.lead_warning.setText(
            _("No group leads: {phases}").format(phases="、".join(p.name(lang) for p in missing))
        )
        self.lead_warning.setVisible(bool(missing))

    def current_group(self) -> GroupRow | None:
        if self.org is None:
            return None
        group_id = self.group_combo.currentData()
        return next((g for g in self.org.groups if g.id == group_id), None)

    def _group_changed(self, _index: int = -1) -> None:
        group = self.current_group()
        group_id = group.id if group else None
        self.members_proxy.set_filter(lambda row: row.group_id == group_id)
        if self.members_proxy.rowCount() and not self.members_table.selectionModel().hasSelection():
            self.members_table.selectRow(0)
        self._show_duties(group)
        self._update_actions()

    def _show_duties(self, group: GroupRow | None) -> None:
        if group is None:
            self.duties_view.clear()
            return
        lang = current_language()

        def para(title: str, text: str) -> str:
            body = escape(text or _("Not filled in yet."))
            return f"<h4>{title}</h4><p>{body.replace(chr(10), '<br>')}</p>"

        self.duties_view.setHtml(
            f"<h3>{group.name(lang)}</h3>"
            + para(_("Composition"), group.composition(lang))
            + para(_("Duties"), group.duties(lang))
        )

    def _select_member(self, member_id: uuid.UUID) -> bool:
        if self.org is None:
            return False
        member = next((m for m in self.org.members if m.id == member_id), None)
        if member is None:
            return False
        if self.group_combo.currentData() != member.group_id:
            self.group_combo.setCurrentIndex(index_of(self.group_combo, member.group_id))
        return select_where(self.members_table, lambda row: row.id == member_id)

    def open_record(self, record_id: str) -> None:
        """Show one member (from another tab)."""
        try:
            member_id = uuid.UUID(str(record_id))
        except ValueError:
            return
        if not self._select_member(member_id):
            self._pending_member = member_id
        self.members_table.setFocus()

    def selected_member(self) -> MemberRow | None:
        row = selected_row(self.members_table)
        return row if isinstance(row, MemberRow) else None

    def _update_actions(self, *_args: Any) -> None:
        has_member = self.selected_member() is not None
        self.add_action.setEnabled(self.editable and self.org is not None)
        self.edit_action.setEnabled(self.editable and has_member)
        self.archive_action.setEnabled(self.editable and has_member)
        self.duties_action.setEnabled(self.editable and self.current_group() is not None)

    # -- the matrix ----------------------------------------------------------------------
    def _save_cell(
        self, phase_id: uuid.UUID, group_id: uuid.UUID, role: Responsibility | None
    ) -> None:
        lang = current_language()
        phase = next((p.name(lang) for p in self.matrix_model.phases if p.id == phase_id), "")
        group = next((g.name(lang) for g in self.matrix_model.groups if g.id == group_id), "")
        self._show_lead_warning()

        def saved(_value: Any) -> None:
            self.ctx.hub.status_message.emit(
                _("Saved: {group} in “{phase}”: {role}").format(
                    group=group, phase=phase, role=responsibility_text(role)
                ),
                5000,
            )

        def failed(exc: BaseException) -> None:
            show_error(self, exc)
            self.refresh(Changes(organisation=True))  # show what is really stored

        self.ctx.write(
            lambda s: organisation.set_matrix_cell(phase_id, group_id, role, session=s).id,
            changes=Changes(organisation=True),
            on_result=saved,
            on_error=failed,
            owner=self,
        )

    # -- members -------------------------------------------------------------------------
    def _open(self, dialog: Any) -> Any:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._member_saved)
        dialog.open()
        self.dialog = dialog
        return dialog

    def _member_saved(self, member_id: Any) -> None:
        if isinstance(member_id, uuid.UUID):
            self._pending_member = member_id

    def add_member(self) -> MemberDialog | None:
        if not self.editable or self.org is None:
            return None
        group = self.current_group()
        return self._open(
            MemberDialog(
                self.ctx,
                self.org.groups,
                self.org.members,
                group.id if group else None,
                parent=self,
            )
        )

    def edit_member(self) -> MemberDialog | None:
        member = self.selected_member()
        if not self.editable or self.org is None or member is None:
            return None
        return self._open(
            MemberDialog(
                self.ctx, self.org.groups, self.org.members, member.group_id, member, parent=self
            )
        )

    def archive_member(self) -> Any:
        member = self.selected_member()
        if not self.editable or member is None:
            return None
        member_id = member.id

        def archive() -> None:
            self.ctx.write(
                lambda s: organisation.archive_member(member_id, session=s).id,
                changes=Changes(organisation=True),
                on_error=lambda exc: show_error(self, exc),
                owner=self,
            )

        return confirm(
            self,
            _("Archive group member"),
            _(
                "Archive {name}? They leave the group and the contact list; whoever had "
                "them as deputy no longer has one. The record is kept."
            ).format(name=member.name),
            _("Archive"),
            archive,
        )

    def edit_duties(self) -> GroupDutiesDialog | None:
        group = self.current_group()
        if not self.editable or group is None:
            return None
        dialog = GroupDutiesDialog(self.ctx, group, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    # -- state ---------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        focus_when_shown(self, self.matrix_view)

    def save_state(self) -> None:
        settings = self.ctx.settings
        settings.save_header(self.members_table.horizontalHeader(), "matrix/members")
        settings.save_splitter(self.members_split, "matrix/members_split")
