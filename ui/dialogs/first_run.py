"""First run on a new database: this workstation's site, the first administrator, and
optionally the demo data — or, for a further workstation of the bank, joining the others
by taking their data first (from the hub or a bundle). `ebconsole.bootstrap.initialise`
or `join` does the work, off the UI thread; the core's errors appear next to the fields
they name."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QRegularExpression, QSize, QSysInfo
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ebconsole.actor import Actor
from ebconsole.bootstrap import initialise, join
from ebconsole.db.session import Database
from ebconsole.errors import FieldError
from ebconsole.i18n import N_, _, current_language
from ebconsole.i18n.messages import register_messages
from ebconsole.users.enums import Role
from ebconsole.users.schemas import (
    MIN_PASSWORD,
    SITE_CODE,
    USERNAME,
    InstallationCreate,
    UserCreate,
)
from ui import icons
from ui.dialogs.join_choice import JoinChoice, JoinSource
from ui.ops import Changes, Ops
from ui.widgets.forms import ErrorLabel, FieldErrors

SITE_PAGE, ADMIN_PAGE, FINISH_PAGE = 0, 1, 2
W = TypeVar("W", bound=QWidget)

register_messages({"passwords_differ": N_("does not match the password")})


def demo_generator() -> Callable[..., Any] | None:
    """`ebconsole.demo.generate`, when the demo module exists."""
    try:
        module = importlib.import_module("ebconsole.demo")
    except ModuleNotFoundError as exc:
        if exc.name in ("ebconsole.demo",):
            return None
        raise
    fn = getattr(module, "generate", None)
    return fn if callable(fn) else None


def generate_demo(db: Database, actor: Actor, report: Callable[..., Any] | None = None) -> None:
    generate = demo_generator()
    if generate is None:
        return
    params = inspect.signature(generate).parameters
    kwargs: dict[str, Any] = {}
    if "actor" in params:
        kwargs["actor"] = actor
    if report is not None and "progress" in params:
        text = _("Loading demo data…")
        kwargs["progress"] = lambda done, total, *_rest: report(done, total, text)
    generate(db, **kwargs)


class _Page(QWizardPage):
    page_id = SITE_PAGE

    def __init__(self, wizard: FirstRunWizard):
        super().__init__()
        self.wiz = wizard
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.rows: dict[str, QWidget] = {}
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(6)
        layout.addLayout(self.form)
        layout.addStretch(1)

    def add_field(self, field: str, label: str, widget: W, hint: str = "") -> W:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addWidget(widget)
        if hint:
            note = QLabel(hint)
            note.setWordWrap(True)
            note.setEnabled(False)  # the palette's muted text
            col.addWidget(note)
        error = ErrorLabel()
        error.setObjectName(f"{field}_error")
        col.addWidget(error)
        widget.setObjectName(field)
        self.form.addRow(label, box)
        self.rows[field] = box
        self.wiz.errors.bind(field, error, widget)
        self.wiz.field_page[field] = self.page_id
        return widget


class SitePage(_Page):
    page_id = SITE_PAGE

    def __init__(self, wizard: FirstRunWizard):
        super().__init__(wizard)
        self.setTitle(_("This workstation"))
        self.setSubTitle(_("Step 1 of 3: where the console runs"))
        self.intro.setText(
            _(
                "Every record made here carries the site code, so data from different sites "
                "never collides when it is exchanged. Use one code per workstation, e.g. BJ01A."
            )
        )
        self.choice = JoinChoice()
        self.form.addRow(_("Start"), self.choice)
        self.add_field("hub", _("Hub"), self.choice.hub_url, _("The bank's PostgreSQL hub"))
        self.add_field(
            "bundle",
            _("Bundle"),
            self.choice.bundle_file,
            _("Exported on another workstation (Sync panel → Export bundle)"),
        )
        self.add_field(
            "key_file",
            _("Key file"),
            self.choice.key_file,
            _("The bank's deployment key (sync.key); empty: the default place"),
        )
        self.choice.changed.connect(self._show_source_fields)
        self._show_source_fields()
        self.site_code = self.add_field(
            "site_code",
            _("Site code"),
            QLineEdit(),
            _("2 to 12 letters and digits, starting with a letter"),
        )
        self.site_code.setValidator(
            QRegularExpressionValidator(
                QRegularExpression("[A-Za-z][A-Za-z0-9]{0,11}"), self.site_code
            )
        )
        self.site_code.textEdited.connect(self._upper)
        self.site_name = self.add_field("site_name", _("Site name"), QLineEdit())
        self.site_name.setPlaceholderText(_("e.g. Beijing Branch"))
        self.workstation = self.add_field(
            "workstation", _("Workstation name"), QLineEdit(QSysInfo.machineHostName())
        )
        self.branch = self.add_field(
            "branch",
            _("Default branch"),
            QLineEdit(),
            _("Preset for new incident reports and the administrator"),
        )
        self.branch.setPlaceholderText(_("e.g. Beijing Branch Business Department"))

    def _show_source_fields(self) -> None:
        source = self.choice.source()
        self.form.setRowVisible(self.rows["hub"], source is not None and source.hub_url is not None)
        from_bundle = source is not None and source.hub_url is None
        self.form.setRowVisible(self.rows["bundle"], from_bundle)
        self.form.setRowVisible(self.rows["key_file"], from_bundle)

    def _upper(self, text: str) -> None:
        if text != text.upper():
            pos = self.site_code.cursorPosition()
            self.site_code.setText(text.upper())
            self.site_code.setCursorPosition(pos)

    def validatePage(self) -> bool:
        errors = []
        code = self.site_code.text().strip().upper()
        if not code:
            errors.append(FieldError("required", "site_code"))
        elif not SITE_CODE.fullmatch(code):
            errors.append(
                FieldError(
                    "invalid_choice", "site_code", {"value": code, "allowed": "A-Z 0-9, 2-12"}
                )
            )
        if not self.workstation.text().strip():
            errors.append(FieldError("required", "workstation"))
        errors.extend(self.choice.check())
        return self.wiz.show_local_errors(errors)


class AdminPage(_Page):
    page_id = ADMIN_PAGE

    def __init__(self, wizard: FirstRunWizard):
        super().__init__(wizard)
        self.setTitle(_("First administrator"))
        self.setSubTitle(_("Step 2 of 3: the account that sets up users and the plan"))
        self.intro.setText(
            _(
                "The administrator creates the other operators (clerks and coordinators), "
                "maintains the responsibility matrix, the resources and the settings."
            )
        )
        self.username = self.add_field(
            "username",
            _("User name"),
            QLineEdit("admin"),
            _("Letters, digits, '.', '_' or '-' (2 to 40)"),
        )
        self.display_name = self.add_field("name", _("Display name"), QLineEdit())
        self.display_name.setPlaceholderText(_("e.g. Wang Jianguo"))
        self.password = self.add_field(
            "password",
            _("Password"),
            QLineEdit(),
            _("At least {min} characters").format(min=MIN_PASSWORD),
        )
        self.confirm = self.add_field("password_confirm", _("Password again"), QLineEdit())
        for edit in (self.password, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        # a join that brought no account asks for one here (code join_no_accounts)
        self.wiz.errors.bind("admin", self.wiz.admin_error, self.username)
        self.form.addRow(self.wiz.admin_error)
        self.wiz.field_page["admin"] = self.page_id

    def initializePage(self) -> None:
        if self.wiz.site_page.choice.source() is None:
            self.intro.setText(
                _(
                    "The administrator creates the other operators (clerks and coordinators), "
                    "maintains the responsibility matrix, the resources and the settings."
                )
            )
        else:
            self.intro.setText(
                _(
                    "The accounts of the bank's workstations arrive with their data: leave "
                    "these fields empty to sign in with one of them afterwards, or fill them "
                    "in to add an administrator for this workstation."
                )
            )
            if self.username.text() == "admin" and not self.display_name.text():
                self.username.clear()  # the preset of a new installation

    def is_empty(self) -> bool:
        return not any(w.text().strip() for w in (self.username, self.display_name, self.password))

    def validatePage(self) -> bool:
        if self.wiz.site_page.choice.source() is not None and self.is_empty():
            return self.wiz.show_local_errors([])
        errors = []
        username = self.username.text().strip()
        if not username:
            errors.append(FieldError("required", "username"))
        elif not USERNAME.fullmatch(username):
            errors.append(
                FieldError(
                    "invalid_choice",
                    "username",
                    {"value": username, "allowed": "A-Z a-z 0-9 . _ -"},
                )
            )
        if not self.display_name.text().strip():
            errors.append(FieldError("required", "name"))
        if len(self.password.text()) < MIN_PASSWORD:
            errors.append(FieldError("weak_password", "password", {"min": MIN_PASSWORD}))
        elif self.confirm.text() != self.password.text():
            errors.append(FieldError("passwords_differ", "password_confirm"))
        return self.wiz.show_local_errors(errors)


class FinishPage(_Page):
    page_id = FINISH_PAGE

    def __init__(self, wizard: FirstRunWizard):
        super().__init__(wizard)
        self.setTitle(_("Ready"))
        self.setSubTitle(_("Step 3 of 3: create the database"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.form.addRow(self.summary)
        self.demo = QCheckBox(_("Load demo data (realistic sample incidents, for training)"))
        self.demo.setObjectName("demo")
        self.demo.setVisible(demo_generator() is not None)
        self.form.addRow(self.demo)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.form.addRow(self.status)
        self.form.addRow(self.wiz.general_error)
        self.intro.setText(
            _(
                "Press Finish to create the installation and the administrator. "
                "The plan's default data is loaded at the same time."
            )
        )

    def initializePage(self) -> None:
        site, admin = self.wiz.site_page, self.wiz.admin_page
        source = site.choice.source()
        lines = _(
            "Site: {code} {name}\nWorkstation: {workstation}\nDefault branch: {branch}"
        ).format(
            code=site.site_code.text().strip().upper(),
            name=site.site_name.text().strip(),
            workstation=site.workstation.text().strip(),
            branch=site.branch.text().strip(),
        )
        if source is None or not admin.is_empty():
            lines += "\n" + _("Administrator: {display} ({username})").format(
                display=admin.display_name.text().strip(),
                username=admin.username.text().strip(),
            )
        if source is not None:
            lines += "\n" + source.describe()
        self.summary.setText(lines)
        # demo incidents would travel to every workstation of the bank
        self.demo.setVisible(source is None and demo_generator() is not None)
        self.intro.setText(
            _(
                "Press Finish to create the installation and the administrator. "
                "The plan's default data is loaded at the same time."
            )
            if source is None
            else _(
                "Press Finish to take the bank's data, then set up this workstation. "
                "Nothing is set up if the data cannot be taken."
            )
        )


class FirstRunWizard(QWizard):
    """Accepted once the installation exists. `self.actor` is the new administrator; after
    a join without one (`self.joined`), None: the operator signs in with an account that
    arrived with the bank's data."""

    def __init__(self, db: Database, ops: Ops, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.ops = ops
        self.actor: Actor | None = None
        self.joined = False
        self._working = False
        self.general_error = ErrorLabel()
        self.general_error.setObjectName("general_error")
        self.admin_error = ErrorLabel()
        self.admin_error.setObjectName("admin_error")
        self.errors = FieldErrors(general=self.general_error)
        self.field_page: dict[str, int] = {}
        self.setWindowTitle(_("Set up ebconsole"))
        self.setWindowIcon(icons.app_icon())
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, icons.app_icon().pixmap(QSize(48, 48)))
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.setMinimumSize(680, 600)  # room for the join fields and their errors
        self.site_page = SitePage(self)
        self.setPage(SITE_PAGE, self.site_page)
        self.admin_page = AdminPage(self)
        self.setPage(ADMIN_PAGE, self.admin_page)
        self.finish_page = FinishPage(self)
        self.setPage(FINISH_PAGE, self.finish_page)

    def show_local_errors(self, errors: list[FieldError]) -> bool:
        widget = self.errors.show(errors)
        if widget is not None:
            widget.setFocus()
        return not errors

    # -- finishing runs the core off the UI thread -------------------------------------
    def accept(self) -> None:
        if self.actor is not None or self.joined:
            super().accept()
            return
        if self._working:
            return
        self._start()

    def reject(self) -> None:
        if not self._working:  # once the database is being created, it finishes
            super().reject()

    def _start(self) -> None:
        site, admin = self.site_page, self.admin_page
        installation = InstallationCreate(
            site_code=site.site_code.text().strip().upper(),
            site_name=site.site_name.text().strip(),
            workstation_name=site.workstation.text().strip(),
            default_branch=site.branch.text().strip(),
            language=current_language(),
        )
        source = site.choice.source()
        user = (
            None
            if source is not None and admin.is_empty()
            else UserCreate(
                username=admin.username.text().strip(),
                display_name=admin.display_name.text().strip(),
                role=Role.ADMINISTRATOR,
                password=admin.password.text(),
                branch=site.branch.text().strip() or None,
            )
        )
        with_demo = self.finish_page.demo.isVisible() and self.finish_page.demo.isChecked()
        db = self.db

        def work(report: Callable[..., Any]) -> Actor | None:
            if source is not None:
                return _join(db, installation, user, source, report)
            assert user is not None
            report(0, 0, _("Creating the database…"))
            actor = initialise(db, installation, user)
            if with_demo:
                report(0, 0, _("Loading demo data…"))
                generate_demo(db, actor, report)
            return actor

        self.errors.clear()
        self._set_working(True)
        self.ops.write(
            work,
            progress=True,
            label=_("Creating the database…"),
            changes=Changes.everything(),
            on_result=self._done,
            on_error=self._failed,
            on_progress=self._progress,
        )

    def _progress(self, count: int, total: int, text: str) -> None:
        self.finish_page.status.setText(text)

    def _done(self, actor: Actor | None) -> None:
        self._set_working(False)
        self.actor = actor
        self.joined = self.site_page.choice.source() is not None
        self.finish_page.status.setText(_("Done."))
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_working(False)
        self.finish_page.status.clear()
        errors = getattr(exc, "errors", None)
        target = FINISH_PAGE
        if errors:
            pages = [self.field_page[e.field] for e in errors if e.field in self.field_page]
            target = min(pages, default=FINISH_PAGE)
        while self.currentId() > target:
            self.back()
        self.errors.show_exception(exc)

    def _set_working(self, working: bool) -> None:
        self._working = working
        for button in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.button(button).setEnabled(not working)


def _join(
    db: Database,
    installation: InstallationCreate,
    admin: UserCreate | None,
    source: JoinSource,
    report: Callable[..., Any],
) -> Actor | None:
    """Take the bank's data, then set up this workstation. The console enters as the
    administrator only when this join created the account (its password was just typed);
    an account that arrived with the data signs in as usual."""
    from ebconsole.sync.keys import load_key

    texts = {
        "pull": _("Taking the bank's data from the hub…"),
        "import": _("Taking the bank's data from the bundle…"),
    }
    taking = texts["pull" if source.hub_url is not None else "import"]
    report(0, 0, taking)

    def progress(phase: str, done: int, total: int | None) -> None:
        report(done, total or 0, texts.get(phase, taking))

    result = join(
        db,
        installation,
        admin,
        hub_url=source.hub_url,
        bundle=source.bundle,
        key=load_key(source.key_file) if source.bundle is not None else None,
        progress=progress,
    )
    return result.actor if result.created_admin else None
