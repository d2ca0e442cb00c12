"""``apk-geo user add|list|disable|enable|areas``: the users of a shared PostGIS store.

    apk-geo user add anna --role mentor --url URL                  # password at a prompt
    apk-geo user add petr --role analyst --areas Poruba --password-stdin
    apk-geo user list --url URL
    apk-geo user disable anna --url URL --reason "left the team"

Each user is a PostgreSQL login role (SCRAM-SHA-256) in one group: presenter, analyst, mentor or
admin; ``--areas`` limits what they see to some MDT areas. Only an administrator may do this.
"""

from __future__ import annotations

import argparse
from typing import Any

from apk_geo._cli._common import add_json_flag, add_url_option, emit, read_password

ROLES = ("presenter", "analyst", "mentor", "admin")


def _areas(text: str) -> list[str]:
    return [a.strip() for a in text.split(",") if a.strip()]


def register(sub: Any) -> None:
    """Add the ``user`` sub-command and its actions."""
    p: argparse.ArgumentParser = sub.add_parser(
        "user",
        help="cli.help.user",
        description="cli.help.user.description",
    )
    actions = p.add_subparsers(
        dest="action", metavar="ACTION", required=True, help="cli.help.user.action"
    )

    add = actions.add_parser("add", help="cli.help.user.add")
    add.add_argument("name", help="cli.help.user.name")
    add.add_argument("--role", required=True, choices=ROLES, help="cli.help.user.add.role")
    add.add_argument("--areas", type=_areas, default=[], help="cli.help.user.add.areas")
    add.add_argument(
        "--password-stdin", action="store_true", help="cli.help.user.add.password_stdin"
    )
    add.add_argument("--reason", help="cli.help.user.reason")
    add_url_option(add)
    add.set_defaults(func=run_add)

    listing = actions.add_parser("list", help="cli.help.user.list")
    add_url_option(listing)
    add_json_flag(listing)
    listing.set_defaults(func=run_list)

    for verb in ("disable", "enable"):
        act = actions.add_parser(verb, help=f"cli.help.user.{verb}")
        act.add_argument("name", help="cli.help.user.name")
        act.add_argument("--reason", help="cli.help.user.reason")
        add_url_option(act)
        act.set_defaults(func=run_login, enabled=verb == "enable")

    areas = actions.add_parser("areas", help="cli.help.user.areas")
    areas.add_argument("name", help="cli.help.user.name")
    group = areas.add_mutually_exclusive_group(required=True)
    group.add_argument("--set", dest="areas", type=_areas, help="cli.help.user.areas.set")
    group.add_argument(
        "--clear", action="store_const", const=[], dest="areas", help="cli.help.user.areas.clear"
    )
    areas.add_argument("--reason", help="cli.help.user.reason")
    add_url_option(areas)
    areas.set_defaults(func=run_areas)


def run_add(args: argparse.Namespace) -> int:
    """Create the user."""
    from apk_geo.db import add_user

    password = read_password(from_stdin=args.password_stdin, user=args.name, lang=args.lang)
    add_user(
        args.url, args.name, role=args.role, password=password, areas=args.areas, reason=args.reason
    )
    from apk_geo.i18n import t

    key = "cli.user.added_areas" if args.areas else "cli.user.added"
    print(t(key, args.lang, name=args.name, role=args.role, areas=", ".join(args.areas)))
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print the users."""
    from apk_geo.db import list_users

    users = list_users(args.url)
    if args.json:
        rows = users.assign(
            created_at=users["created_at"].astype(str), last_signin=users["last_signin"].astype(str)
        ).to_dict(orient="records")
        emit({"users": rows}, as_json=True, title="")
        return 0
    from apk_geo.i18n import t

    lang = args.lang
    print(t("cli.user.count", lang, n=len(users)))
    for r in users.to_dict(orient="records"):
        state = t("cli.user.disabled_state" if r["disabled"] else "cli.user.active", lang)
        areas = _areas_text(r["areas"], lang)
        never = str(r["last_signin"]) in ("NaT", "None")
        last = t("cli.user.never", lang) if never else str(r["last_signin"])[:19]
        signin = t("cli.user.last_signin", lang, when=last)
        print(f"  {r['username']!s:<24} {r['role']!s:<9} {state:<8} {areas}; {signin}")
    return 0


def run_login(args: argparse.Namespace) -> int:
    """Disable or enable the user."""
    from apk_geo.db import disable_user, enable_user
    from apk_geo.i18n import t

    (enable_user if args.enabled else disable_user)(args.url, args.name, reason=args.reason)
    key = "cli.user.enabled" if args.enabled else "cli.user.disabled"
    print(t(key, args.lang, name=args.name))
    return 0


def run_areas(args: argparse.Namespace) -> int:
    """Set the user's MDT areas."""
    from apk_geo.db import set_areas
    from apk_geo.i18n import t

    set_areas(args.url, args.name, args.areas, reason=args.reason)
    print(t("cli.user.areas", args.lang, name=args.name, areas=_areas_text(args.areas, args.lang)))
    return 0


def _areas_text(areas: Any, lang: str) -> str:
    """Return a user's MDT areas joined by commas, or "all areas" in ``lang`` when none."""
    from apk_geo.i18n import t

    return ", ".join(map(str, areas)) if areas else t("cli.user.all_areas", lang)
