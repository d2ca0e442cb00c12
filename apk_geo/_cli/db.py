"""``apk-geo db init|migrate|retention``: set up and look after a shared PostGIS store.

    apk-geo db init --url "$(bash scripts/postgis.sh)" --admin eva    # schema, roles, first admin
    apk-geo db migrate --from var/demo.gpkg --url URL                 # a GeoPackage store into it
    apk-geo db retention --url URL --older-than-years 5 --dry-run     # what retention would do

``init`` is idempotent (a second run changes nothing); it writes the sign-in gate's URL, which
the dashboard needs, to a private file (``0600``; see ``apk_geo.auth.gate_file``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from apk_geo._cli._common import add_json_flag, add_url_option, emit, read_password, seconds
from apk_geo.store import DEFAULT_LOCK_TIMEOUT_S


def register(sub: Any) -> None:
    """Add the ``db`` sub-command and its actions."""
    p: argparse.ArgumentParser = sub.add_parser(
        "db",
        help="cli.help.db",
        description="cli.help.db.description",
    )
    actions = p.add_subparsers(
        dest="action", metavar="ACTION", required=True, help="cli.help.db.action"
    )

    init = actions.add_parser("init", help="cli.help.db.init")
    add_url_option(init)
    init.add_argument("--role-prefix", default="apk", help="cli.help.db.init.role_prefix")
    init.add_argument("--reset-gate", action="store_true", help="cli.help.db.init.reset_gate")
    init.add_argument("--gate-file", help="cli.help.db.init.gate_file")
    init.add_argument("--admin", metavar="NAME", help="cli.help.db.init.admin")
    init.add_argument(
        "--password-stdin", action="store_true", help="cli.help.db.init.password_stdin"
    )
    add_json_flag(init)
    init.set_defaults(func=run_init)

    migrate = actions.add_parser("migrate", help="cli.help.db.migrate")
    migrate.add_argument("--from", dest="source", required=True, help="cli.help.db.migrate.source")
    add_url_option(migrate)
    migrate.add_argument(
        "--lock-timeout",
        type=seconds,
        default=DEFAULT_LOCK_TIMEOUT_S,
        metavar="SECONDS",
        help="cli.help.db.migrate.lock_timeout",
    )
    add_json_flag(migrate)
    migrate.set_defaults(func=run_migrate)

    keep = actions.add_parser("retention", help="cli.help.db.retention")
    add_url_option(keep)
    keep.add_argument("--older-than-years", type=int, help="cli.help.db.retention.older_than_years")
    keep.add_argument("--mode", choices=("anonymise", "delete"), help="cli.help.db.retention.mode")
    keep.add_argument("--dry-run", action="store_true", help="cli.help.db.retention.dry_run")
    keep.add_argument("--set-years", type=int, help="cli.help.db.retention.set_years")
    keep.add_argument("--reason", help="cli.help.db.retention.reason")
    add_json_flag(keep)
    keep.set_defaults(func=run_retention)


def run_init(args: argparse.Namespace) -> int:
    """Create or upgrade the store; write the gate's URL; add the first admin."""
    from apk_geo.auth import gate_file
    from apk_geo.db import add_user, init_database
    from apk_geo.files import atomic_write_text
    from apk_geo.i18n import t

    result = init_database(args.url, role_prefix=args.role_prefix, reset_gate=args.reset_gate)
    target = Path(args.gate_file) if args.gate_file else gate_file(args.url)
    summary: dict[str, object] = {
        "database": result.database,
        "migrations applied": ", ".join(result.applied) or t("cli.db.up_to_date", args.lang),
        "roles": ", ".join(result.roles.groups().values()),
    }
    if result.gate_url is not None:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_text(target, result.gate_url + "\n", private=True)
        summary["gate"] = t("cli.db.gate_written", args.lang, role=result.roles.gate, file=target)
    else:
        summary["gate"] = t("cli.db.gate_unchanged", args.lang, role=result.roles.gate)
    if args.admin:
        password = read_password(from_stdin=args.password_stdin, user=args.admin, lang=args.lang)
        add_user(args.url, args.admin, role="admin", password=password, reason="db init")
        summary["admin"] = args.admin
    emit(summary, as_json=args.json, title=t("cli.db.ready", args.lang))
    return 0


def run_migrate(args: argparse.Namespace) -> int:
    """Copy the GeoPackage store and print the counts (exit 2 if it does not reconcile)."""
    from apk_geo.db import migrate_geopackage
    from apk_geo.i18n import t
    from apk_geo.store._messages import localize

    result = migrate_geopackage(args.source, args.url, lock_timeout_s=args.lock_timeout)
    summary: dict[str, object] = {
        "from": result.source,
        "into": result.target,
        **{name: f"{a} → {b}" for name, (a, b) in result.counts.items()},
        "reconciled": result.reconciled,
    }
    if args.json:
        summary = {**summary, "counts": result.counts, "problems": list(result.problems)}
    emit(summary, as_json=args.json, title=t("cli.db.migrated", args.lang))
    if not result.reconciled:
        problems = "; ".join(localize(p, args.lang) for p in result.problems)
        print(f"apk-geo db migrate: {t('cli.error', args.lang, message=problems)}")
        return 2
    return 0


def run_retention(args: argparse.Namespace) -> int:
    """Run (or store the settings of) retention; print what it did."""
    from apk_geo.db import run_retention as retention
    from apk_geo.db import set_retention
    from apk_geo.i18n import t

    if args.set_years is not None:
        set_retention(
            args.url, years=args.set_years, mode=args.mode or "anonymise", reason=args.reason
        )
        emit(
            {"retention_years": args.set_years, "retention_mode": args.mode or "anonymise"},
            as_json=args.json,
            title=t("cli.db.retention_set", args.lang),
        )
        return 0
    result = retention(
        args.url,
        older_than_years=args.older_than_years,
        mode=args.mode,
        dry_run=args.dry_run,
        reason=args.reason,
    )
    title = t("cli.db.retention_dry" if args.dry_run else "cli.db.retention_done", args.lang)
    emit(result.as_dict(), as_json=args.json, title=title)
    return 0
