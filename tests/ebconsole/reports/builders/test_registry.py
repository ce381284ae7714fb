"""The registry of reports: parameters, file names, and the layout fixes of the builders."""

from __future__ import annotations

import pytest

from ebconsole.errors import ValidationFailed
from ebconsole.i18n import translator
from ebconsole.reports.builders import REPORTS, ParamKind, spec_for
from ebconsole.reports.builders.common import duration, numbered
from ebconsole.timeutil import to_local, utcnow


def test_six_reports_with_their_parameters():
    assert list(REPORTS) == ["incident", "status", "matrix", "resources", "drills", "review"]
    assert [p.kind for p in REPORTS["incident"].params] == [ParamKind.INCIDENT]
    assert [p.kind for p in REPORTS["review"].params] == [ParamKind.INCIDENT]
    assert [p.kind for p in REPORTS["drills"].params] == [ParamKind.YEAR]
    for kind in ("status", "matrix", "resources"):
        assert REPORTS[kind].params == ()


def test_parameters_are_checked_together():
    assert REPORTS["drills"].check({"year": "2025"}) == {"year": 2025}
    assert REPORTS["drills"].check({}) == {"year": to_local(utcnow()).year}
    with pytest.raises(ValidationFailed) as err:
        REPORTS["drills"].check({"year": "20x5"})
    assert err.value.errors[0].field == "year"
    with pytest.raises(ValidationFailed):
        REPORTS["drills"].check({"year": 1999})
    assert REPORTS["incident"].check({"ref": " BJ01-20261127-001 "}) == {"ref": "BJ01-20261127-001"}
    with pytest.raises(ValidationFailed):
        spec_for("nonsense")


def test_file_names():
    t = translator("zh_CN")
    name = REPORTS["incident"].file_name({"ref": "BJ01-20261127-001"}, t)
    assert name.startswith("事件处置报告_BJ01-20261127-001_") and name.endswith(".pdf")
    english = REPORTS["status"].file_name({}, translator("en"))
    assert english.startswith("E-banking-emergency-status-report_")
    assert "/" not in REPORTS["drills"].file_name({"year": 2026}, t)


def test_durations_and_numbers():
    from datetime import timedelta

    zh, en = translator("zh_CN"), translator("en")
    assert duration(zh, timedelta(days=2, hours=3, minutes=5)) == "2天3小时"
    assert duration(en, timedelta(hours=2, minutes=15)) == "2 h 15 min"
    assert duration(en, timedelta(minutes=-5)) == "0 min"
    assert numbered("zh_CN", 3, "处置时间线") == "三、处置时间线"
    assert numbered("en", 3, "Timeline") == "3. Timeline"
