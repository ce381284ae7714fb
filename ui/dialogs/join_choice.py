"""How a new workstation starts, on the first-run wizard's first page: a new installation,
or joining the bank's other workstations by taking their data first — from the
PostgreSQL hub, or from a bundle another workstation exported (`ebconsole.bootstrap.join`,
the same as `ebconsole init --join-hub` / `--from-bundle`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ebconsole.errors import FieldError
from ebconsole.i18n import _
from ebconsole.sync import messages as sync_messages  # noqa: F401  (field labels: hub, bundle)
from ebconsole.sync.keys import default_key_path


class Start(Enum):
    NEW = "new"
    HUB = "hub"
    BUNDLE = "bundle"


@dataclass(frozen=True)
class JoinSource:
    """Where a joining workstation takes the bank's data from (exactly one of hub/bundle)."""

    hub_url: str | None = None
    bundle: Path | None = None
    key_file: Path | None = None  # None: the default sync.key

    def describe(self) -> str:
        if self.hub_url is not None:
            return _("Join the bank's workstations from the hub {url}").format(
                url=_without_password(self.hub_url)
            )
        return _("Join the bank's workstations from the bundle {path}").format(path=self.bundle)


def _without_password(url: str) -> str:
    """A hub URL as the summary shows it: never the password."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL the core accepts: the join names the error
        return url


class PathEdit(QWidget):
    """A file path with a Browse… button."""

    def __init__(self, title: str, filters: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.filters = filters
        self.edit = QLineEdit()
        self.edit.setClearButtonEnabled(True)
        self.browse = QToolButton()
        self.browse.setText(_("Browse…"))
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.browse)

    def _browse(self) -> None:
        path, _chosen = QFileDialog.getOpenFileName(
            self, self.title, self.edit.text(), self.filters
        )
        if path:
            self.edit.setText(path)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None


class JoinChoice(QWidget):
    """Three choices; the hub URL or the bundle and key file show for the chosen one."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.new = QRadioButton(_("Set up a new installation (the bank's first workstation)"))
        self.new.setObjectName("start_new")
        self.hub = QRadioButton(_("Join the bank's workstations through the hub"))
        self.hub.setObjectName("start_hub")
        self.bundle = QRadioButton(_("Join the bank's workstations from a bundle file"))
        self.bundle.setObjectName("start_bundle")
        self.group = QButtonGroup(self)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        for button in (self.new, self.hub, self.bundle):
            self.group.addButton(button)
            col.addWidget(button)
            button.toggled.connect(lambda _on: self.changed.emit())
        self.new.setChecked(True)
        # the fields the page lays out in its form, shown for the chosen start
        self.hub_url = QLineEdit()
        self.hub_url.setPlaceholderText("postgresql+psycopg://user@host/ebconsole")
        self.bundle_file = PathEdit(
            _("Bundle"), _("ebconsole bundles (*{suffix})").format(suffix=".ebx")
        )
        self.key_file = PathEdit(_("Key file"), "")
        self.key_file.edit.setPlaceholderText(str(default_key_path()))

    def start(self) -> Start:
        if self.hub.isChecked():
            return Start.HUB
        if self.bundle.isChecked():
            return Start.BUNDLE
        return Start.NEW

    def source(self) -> JoinSource | None:
        """None for a new installation."""
        start = self.start()
        if start is Start.HUB:
            return JoinSource(hub_url=self.hub_url.text().strip())
        if start is Start.BUNDLE:
            return JoinSource(bundle=self.bundle_file.path(), key_file=self.key_file.path())
        return None

    def check(self) -> list[FieldError]:
        """What can be told before anything is written: a field left empty, a file that
        is not there. The key's content and the bundle's signature are the core's."""
        start = self.start()
        errors: list[FieldError] = []
        if start is Start.HUB and not self.hub_url.text().strip():
            errors.append(FieldError("required", "hub"))
        if start is Start.BUNDLE:
            bundle = self.bundle_file.path()
            if bundle is None:
                errors.append(FieldError("required", "bundle"))
            elif not bundle.is_file():
                errors.append(FieldError("file_not_found", "bundle", {"path": str(bundle)}))
            key = self.key_file.path() or default_key_path()
            if not key.is_file():
                errors.append(FieldError("key_missing", "key_file", {"path": str(key)}))
        return errors
