"""Language of the console: ebconsole's gettext catalog plus Qt's own translations
(standard buttons, wizard buttons, file dialogs, context menus).

Order of precedence: an explicit `--lang`, the workstation setting, `EBCONSOLE_LANG`,
the system locale; zh_CN when none says otherwise.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ebconsole.i18n import current_language, normalize_language, set_language, system_language
from ebconsole.settings import LANGUAGE
from ui.settings_store import SettingsStore

log = logging.getLogger(__name__)

QT_CATALOGS = ("qtbase",)  # QtWidgets' strings live in qtbase_*.qm

_installed: list[QTranslator] = []


def resolve_language(explicit: str | None, store: SettingsStore | None) -> str:
    if explicit:
        return normalize_language(explicit)
    if store is not None:
        chosen = store.get(LANGUAGE)
        if chosen:
            return normalize_language(chosen)
    return system_language()


def qt_locale(lang: str) -> QLocale:
    return (
        QLocale(QLocale.Language.Chinese, QLocale.Country.China)
        if lang == "zh_CN"
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    )


def apply_language(lang: str) -> str:
    """Switch ebconsole's catalog and Qt's translators; returns the language applied.
    Widgets built before keep their texts: rebuild them (the main window does)."""
    lang = normalize_language(lang)
    set_language(lang)
    QLocale.setDefault(qt_locale(lang))
    app = QCoreApplication.instance()
    if app is None:
        return lang
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if lang != "en":
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for catalog in QT_CATALOGS:
            translator = QTranslator(app)
            if translator.load(qt_locale(lang), catalog, "_", folder):
                app.installTranslator(translator)
                _installed.append(translator)
            else:
                log.warning("Qt translation %s for %s not found in %s", catalog, lang, folder)
    return lang


def language() -> str:
    return current_language()
