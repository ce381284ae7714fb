"""The stop-payment countdown: 剩余 HH:MM:SS, red in the last six hours, then expired."""

from __future__ import annotations

from datetime import datetime, timedelta

from ebconsole.timeutil import utcnow
from ui.incidents.countdown import Countdown, remaining_text


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def colour(label) -> str:
    return label.styleSheet().split("color:")[1].split(";")[0].strip()


def test_remaining_text_counts_hours_past_a_day():
    assert remaining_text(timedelta(hours=95, minutes=59, seconds=7)) == "剩余 95:59:07"
    assert remaining_text(timedelta(seconds=-5)) == "剩余 00:00:00"


def test_counts_down_turns_red_and_expires(qtbot):
    now = utcnow().replace(microsecond=0)
    clock = Clock(now)
    label = Countdown(clock=clock)
    qtbot.addWidget(label)
    assert label.isHidden()
    label.set_expiry(now + timedelta(hours=47, minutes=59, seconds=59))
    assert label.state == "running"
    assert label.text().startswith("紧急止付：剩余 47:59:59（至 ")
    assert colour(label) == "#8a5a00"

    clock.now = now + timedelta(hours=42, seconds=1)
    label.tick()
    assert label.state == "urgent"
    assert label.text().startswith("紧急止付：剩余 05:59:58")
    assert colour(label) == "#b3261e"

    clock.now = now + timedelta(hours=48)
    label.tick()
    assert label.state == "expired"
    assert label.text().startswith("紧急止付已于 ")
    assert colour(label) == "#b3261e"

    label.set_expiry(now + timedelta(hours=48), done=True)
    assert label.state == "done" and label.text().startswith("紧急止付已处理")
    label.set_expiry(None)
    assert label.state == "none" and label.isHidden()


def test_ticks_every_second_on_the_real_clock(qtbot):
    label = Countdown()
    qtbot.addWidget(label)
    label.set_expiry(utcnow() + timedelta(hours=10))
    first = label.text()
    qtbot.waitUntil(lambda: label.text() != first, timeout=2500)
    assert label.state == "running"
