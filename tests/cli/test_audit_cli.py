"""`ebconsole audit verify`: a line per chain, exit 0 when intact, 3 naming the first
broken row when someone edited the audit trail in the database file."""

from __future__ import annotations

import sqlite3


def test_audit_verify_intact_then_edited(ready_cli):
    r = ready_cli("audit", "verify", lang="zh_CN")
    assert r.code == 0, r.err
    first, verdict = r.out.strip().splitlines()
    assert first.startswith("BJ01A/值班室-1：已校验 ") and first.endswith("，完整")
    assert verdict.startswith("审计记录完整：1 条审计链")

    con = sqlite3.connect(ready_cli.db)
    row_id, seq = con.execute(
        "SELECT id, seq FROM audit_entry ORDER BY seq LIMIT 1 OFFSET 1"
    ).fetchone()
    con.execute("UPDATE audit_entry SET note = '补录' WHERE id = ?", (row_id,))
    con.commit()
    con.close()

    r = ready_cli("audit", "verify")
    assert r.code == 3, r.err
    assert "BJ01A/值班室-1: " in r.out and ", BROKEN" in r.out
    assert f"first broken row: BJ01A/值班室-1 #{seq} (id " in r.out
    assert "content edited (hash mismatch)" in r.out
    data = ready_cli("audit", "verify", "--json").json()
    broken = data["chains"][0]["broken"]
    assert data["intact"] is False
    assert (broken["seq"], broken["reason"]) == (seq, "edited")
    assert broken["id"].replace("-", "") == row_id
