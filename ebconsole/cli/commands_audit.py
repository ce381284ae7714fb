"""`audit verify`: check the audit trail's hash chains.

    ebconsole audit verify            # a line per origin; exit 0 when every chain is intact
    ebconsole audit verify --json

Exit codes: 0 every chain intact; 3 a chain is broken (the first broken row of each
broken chain is named: origin, seq, id, time, reason); 1 and 2 as for every command
(the command itself failed).
"""

from __future__ import annotations

import argparse
from typing import Any

from ebconsole.cli.common import CliContext
from ebconsole.i18n import _

EXIT_BROKEN = 3


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("audit", parents=[common], help=_("check the audit trail"))
    actions = p.add_subparsers(dest="audit_command", metavar="ACTION")
    v = actions.add_parser(
        "verify",
        parents=[common],
        help=_("verify the audit trail's hash chains"),
        description=_(
            "Recompute every audit chain (one per site and workstation) and report its "
            "rows and head. Exit code 0: intact; 3: a chain is broken (its first broken "
            "row is named)."
        ),
    )
    v.set_defaults(handler=cmd_verify)


def cmd_verify(ctx: CliContext) -> int:
    from ebconsole.audit.summary import lines
    from ebconsole.audit.verify import verify

    result = verify(ctx.database())
    data = {
        "intact": result.intact,
        "chains": [
            {
                "origin": c.origin,
                "rows": c.rows,
                "head": {"seq": c.head.seq, "hash": c.head.hash},
                "intact": c.intact,
                "broken": None
                if c.broken is None
                else {
                    "seq": c.broken.seq,
                    "id": str(c.broken.id),
                    "at": c.broken.at.isoformat(),
                    "reason": c.broken.reason.value,
                    "expected_seq": c.broken.expected_seq,
                    "linked_seq": c.broken.linked_seq,
                },
            }
            for c in result.chains
        ],
    }
    ctx.emit(data, "\n".join(lines(result)))
    return 0 if result.intact else EXIT_BROKEN
