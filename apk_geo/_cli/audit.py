"""``apk-geo audit --url URL [--user NAME] [--since DATE]``: read the audit trail (admins).

Who did what, when and why: sign-ins (and failures), imports with their counts, reads of
incident-level data, exports, packs, routes, user changes, retention runs. Newest first.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from apk_geo._cli._common import add_json_flag, add_url_option, emit


def register(sub: Any) -> None:
    """Add the ``audit`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "audit", help="read the audit trail of a shared store", description=__doc__
    )
    add_url_option(p)
    p.add_argument("--user", help="rows by or about this user")
    p.add_argument("--since", help="from this date or date-time (YYYY-MM-DD[THH:MM])")
    p.add_argument("--until", help="before this date or date-time")
    p.add_argument("--action", help="one action only (import, signin_failed, export …)")
    p.add_argument("--limit", type=int, default=1000, help="at most this many rows (1000)")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the audit rows."""
    from apk_geo.db import read_audit

    rows = read_audit(
        args.url,
        user=args.user,
        since=args.since,
        until=args.until,
        action=args.action,
        limit=args.limit,
    )
    if args.json:
        records = [
            {**r, "at": str(r["at"]), "details": json.loads(str(r["details"]))}
            for r in rows.to_dict(orient="records")
        ]
        emit({"rows": records}, as_json=True, title="")
        return 0
    print(f"{len(rows)} audit row(s), newest first:")
    for r in rows.to_dict(orient="records"):
        subject = f" {r['subject']}" if r["subject"] else ""
        why = f"  reason: {r['reason']}" if r["reason"] else ""
        who, action = str(r["who"]), str(r["action"])
        print(f"  {str(r['at'])[:19]}  {who:<20} {action:<16}{subject}  {r['details']}{why}")
    return 0
