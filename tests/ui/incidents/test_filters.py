"""The filter bar: presets and enums become an IncidentFilter; typing is debounced."""

from __future__ import annotations

from datetime import date

from ebconsole.incidents.enums import OPEN_STATUSES, Category, Severity, Status
from tests.ui.typing import type_text
from ui.incidents.filters import ALL, UNASSESSED, FilterBar


def test_choices_become_a_filter(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    assert bar.value().statuses == OPEN_STATUSES
    bar.set_status(ALL)
    assert bar.value().statuses == frozenset()
    bar.set_status(Status.RESTORED)
    assert bar.value().statuses == {Status.RESTORED}
    bar.set_category(Category.CUSTOMER_FRAUD)
    assert bar.value().categories == {Category.CUSTOMER_FRAUD}
    bar.set_severity(Severity.II)
    assert bar.value().severities == {Severity.II}
    bar.set_severity(UNASSESSED)
    assert bar.value().severities == {None}
    assert bar.date_from.text() == "不限"
    bar.date_from.set_day(date(2026, 11, 1))
    bar.date_to.set_day(date(2026, 11, 28))
    flt = bar.value()
    assert (flt.date_from, flt.date_to) == (date(2026, 11, 1), date(2026, 11, 28))
    bar.reset()
    flt = bar.value()
    assert flt.statuses == OPEN_STATUSES and not flt.categories and flt.date_from is None


def test_typing_is_debounced_into_one_change(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    seen = []
    bar.changed.connect(seen.append)
    type_text(qtbot, bar.text, "BJ01-2026")
    assert seen == []  # not on every key
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=2000)
    assert seen[0].text == "BJ01-2026"
    qtbot.wait(400)
    assert len(seen) == 1
    type_text(qtbot, bar.text, "冒充公检法")
    bar.flush()  # Enter applies at once
    assert seen[-1].text == "冒充公检法"
