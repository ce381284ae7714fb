"""The hybrid logical clock: stamps sort as strings and never go backwards."""

from __future__ import annotations

from ebconsole.sync.hlc import Clock, is_stamp, parse


def test_stamps_grow_when_the_wall_clock_stalls_or_goes_back():
    wall = [1_700_000_000_000]
    clock = Clock.for_origin("BJ01/值班室-1", now=lambda: wall[0])
    first = clock.tick()
    second = clock.tick()  # same millisecond: the counter moves
    wall[0] -= 60_000  # the operator set the clock back a minute
    third = clock.tick()
    assert first < second < third and all(is_stamp(s) for s in (first, second, third))
    assert parse(third)[0] == parse(first)[0]


def test_observing_a_remote_stamp_moves_the_clock_past_it_and_survives_a_restart():
    wall = [1_700_000_000_000]
    here = Clock.for_origin("BJ01/值班室-1", now=lambda: wall[0])
    there = Clock.for_origin("SH01A/上海值班室", now=lambda: wall[0] + 3_600_000)
    remote = there.tick()  # a workstation whose clock runs an hour ahead
    here.observe(remote)
    local = here.tick()
    assert local > remote
    restarted = Clock.for_origin("BJ01/值班室-1", here.last, now=lambda: wall[0])
    assert restarted.tick() > local
    # two nodes never make the same stamp, and width is fixed (string order = clock order)
    assert parse(local)[2] != parse(remote)[2] and len(local) == len(remote)
