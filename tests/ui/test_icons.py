"""The drawn icons load, render and exist for every tab."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize

from ui import icons
from ui.tabs import discover

REQUIRED = (
    "app",
    "overview",
    "intake",
    "incidents",
    "matrix",
    "resources",
    "roster",
    "drills",
    "reports",
    "settings",
    "sync",
    "improvements",
    "lock",
    "switch-operator",
)


@pytest.mark.parametrize("name", icons.names())
def test_every_icon_renders_something(name):
    icon = icons.icon(name)
    assert not icon.isNull()
    image = icon.pixmap(QSize(32, 32)).toImage()
    assert not image.isNull()
    assert any(image.pixelColor(x, y).alpha() > 0 for x in range(32) for y in range(32))


def test_the_set_is_complete_and_the_app_has_its_icon(qapp):
    assert set(REQUIRED) <= set(icons.names())
    assert not icons.app_icon().isNull()
    assert not qapp.windowIcon().isNull()


def test_line_icons_take_the_colour_asked_for():
    image = icons.icon("incidents", "#ff0000").pixmap(QSize(48, 48)).toImage()
    colours = {
        image.pixelColor(x, y).name()
        for x in range(48)
        for y in range(48)
        if image.pixelColor(x, y).alpha() == 255
    }
    assert colours == {"#ff0000"}


def test_every_tab_names_an_icon_that_exists():
    for tab in discover().tabs:
        assert not tab.icon_name or icons.icon_path(tab.icon_name).is_file(), tab
