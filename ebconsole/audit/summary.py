"""The result of an audit-chain check as sentences, for the command line and the console."""

from __future__ import annotations

from ebconsole.audit.verify import REASON_LABELS, Break, ChainReport, VerifyResult
from ebconsole.i18n import _
from ebconsole.timeutil import format_local


def chain_line(chain: ChainReport) -> str:
    """`BJ01/值班室-1: 60 rows checked, head #60 2f5ed72f1d23, intact`."""
    head = _("{origin}: {rows} rows checked, head #{seq} {hash}").format(
        origin=chain.origin, rows=chain.rows, seq=chain.head.seq, hash=chain.head.short
    )
    return head + (_(", intact") if chain.intact else _(", BROKEN"))


def break_line(b: Break) -> str:
    """The first broken row: origin, seq, id, local time, reason."""
    text = _("first broken row: {origin} #{seq} (id {id}, {time}): {reason}").format(
        origin=b.origin,
        seq=b.seq,
        id=b.id,
        time=format_local(b.at, seconds=True),
        reason=_(REASON_LABELS[b.reason]),
    )
    if b.linked_seq is not None:
        text += _(" (it links to #{linked})").format(linked=b.linked_seq)
    elif b.seq != b.expected_seq:
        text += _(" (expected #{expected})").format(expected=b.expected_seq)
    return text


def overall_line(result: VerifyResult) -> str:
    if not result.chains:
        return _("the audit trail is empty")
    if result.intact:
        return _("audit trail intact: {rows} rows in {chains} chains").format(
            rows=result.rows, chains=len(result.chains)
        )
    return _("audit trail BROKEN: see the first broken row above")


def lines(result: VerifyResult) -> list[str]:
    """A line per origin (with its first broken row under it), then the verdict."""
    out: list[str] = []
    for chain in result.chains:
        out.append(chain_line(chain))
        if chain.broken is not None:
            out.append("  " + break_line(chain.broken))
    out.append(overall_line(result))
    return out
