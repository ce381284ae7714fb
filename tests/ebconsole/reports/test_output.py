from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from ebconsole.i18n import translator
from ebconsole.reports import Report, ReportInfo, ReportWriteError
from ebconsole.reports.output import ProgressMeter, atomic_file


class Cancelled(Exception):
    pass


def _report() -> Report:
    rep = Report(
        ReportInfo(
            title="值班表",
            site_code="GZ03",
            workstation="终端",
            generated_at=datetime(2026, 5, 1, tzinfo=UTC),
        ),
        translator("zh_CN"),
    )
    rep.heading("值班安排")
    rep.data_table(["日期", "值班人"], [[f"2026-05-{d:02d}", "李*"] for d in range(1, 31)])
    return rep


def test_atomic_file_replaces_in_one_step(tmp_path):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    with atomic_file(target) as fh:
        fh.write(b"new")
        assert target.read_bytes() == b"old"  # not touched until the end
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["out.pdf"]


def test_failure_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_file(target) as fh:
        fh.write(b"half a pdf")
        raise RuntimeError("crash")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.pdf"]


def test_cancel_from_progress_writes_nothing(tmp_path):
    target = tmp_path / "排班.pdf"
    target.write_bytes(b"previous report")

    def progress(done: int, total: int) -> None:
        if done > 50:
            raise Cancelled

    with pytest.raises(Cancelled):
        _report().build(target, progress=progress)
    assert target.read_bytes() == b"previous report"
    assert os.listdir(tmp_path) == ["排班.pdf"]


def test_build_over_an_existing_report(tmp_path):
    target = tmp_path / "sub" / "排班.pdf"
    result = _report().build(target)
    assert target.read_bytes().startswith(b"%PDF-")
    result2 = _report().build(target)
    assert result2.pages == result.pages
    assert os.listdir(target.parent) == ["排班.pdf"]


def test_unwritable_folder_is_a_translated_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ReportWriteError) as err:
        _report().build(blocker / "report.pdf")
    assert err.value.code == "report_write_failed"
    assert "无法将报告写入" in err.value.message(translator("zh_CN"))


def test_progress_meter_is_monotonic():
    seen: list[tuple[int, int]] = []
    meter = ProgressMeter(lambda d, t: seen.append((d, t)))
    meter.layout(3, 4)
    meter.layout(-5, 4)  # reportlab may count back when it splits a flowable
    meter.output(1, 10)
    meter.output(10, 10)
    meter.finished()
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1] == (100, 100)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_report_gets_ordinary_permissions(tmp_path):
    target = tmp_path / "out.pdf"
    with atomic_file(target) as fh:
        fh.write(b"%PDF-")
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
