"""Bulk jobs rest the cyclic collector and give it back as they found it."""

from __future__ import annotations

import gc
import threading

import pytest

from ebconsole.gc_pause import collector_resting, resting


@pytest.fixture
def automatic_collection():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_job_rests_the_collector_and_switches_it_back_on(automatic_collection):
    assert not resting()
    with collector_resting():
        assert resting() and not gc.isenabled()
    assert gc.isenabled() and not resting()


def test_the_collector_stays_off_until_the_last_of_two_jobs_on_two_threads_ends(
    automatic_collection,
):
    inside, leave = threading.Event(), threading.Event()

    def other_job() -> None:
        with collector_resting():
            inside.set()
            leave.wait(10)

    worker = threading.Thread(target=other_job)
    with collector_resting():
        worker.start()
        assert inside.wait(10)
    assert not gc.isenabled() and resting()  # the other job is still running
    leave.set()
    worker.join(10)
    assert gc.isenabled() and not resting()


def test_a_process_that_had_it_off_keeps_it_off(automatic_collection):
    gc.disable()  # as the console runs (ui.gc_guard)
    with collector_resting():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_an_error_in_the_job_still_gives_the_collector_back(automatic_collection):
    with pytest.raises(RuntimeError), collector_resting():
        raise RuntimeError("the bundle is damaged")
    assert gc.isenabled() and not resting()
