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
        "audit", help="cli.help.audit", description="cli.help.audit.description"
    )
    add_url_option(p)
    p.add_argument("--user", help="cli.help.audit.user")
    p.add_argument("--since", help="cli.help.audit.since")
    p.add_argument("--until", help="cli.help.audit.until")
    p.add_argument("--action", help="cli.help.audit.action")
    p.add_argument("--limit", type=int, default=1000, help="cli.help.audit.limit")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the audit rows."""
    from apk_geo.db import read_audit
    from apk_geo.db.audit import action_text, details_text, subject_text
    from apk_geo.i18n import t

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
    lang = args.lang
    print(t("cli.audit.title", lang, n=len(rows)))
    for r in rows.to_dict(orient="records"):
        subject = f" {subject_text(r['subject'], lang)}" if r["subject"] else ""
        why = f"  {t('cli.audit.reason', lang, reason=r['reason'])}" if r["reason"] else ""
        who, action = str(r["who"]), action_text(r["action"], lang)
        details = details_text(r["details"], lang)
        print(f"  {str(r['at'])[:19]}  {who:<20} {action:<16}{subject}  {details}{why}")
    return 0
