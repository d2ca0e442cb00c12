"""The database side of the shared PostGIS store: schema, roles, users, audit, retention.

The store itself (:class:`apk_geo.store.PostGISStore`) reads and writes incidents; this package
creates and looks after the database it lives in, re-exported flat from its job modules:

* :mod:`apk_geo.db.schema` — :func:`init_database` (group roles, sign-in gate, the SQL
  migrations shipped in ``apk_geo/db/sql``), :class:`RoleNames`;
* :mod:`apk_geo.db.users` — :func:`add_user`, :func:`list_users`, :func:`disable_user` …;
* :mod:`apk_geo.db.audit` — :func:`read_audit` (the append-only ``apk.audit``);
* :mod:`apk_geo.db.retention` — :func:`run_retention`, :func:`set_retention`;
* :mod:`apk_geo.db.migrate` — :func:`migrate_geopackage` (a ``.gpkg`` store into PostGIS);
* :mod:`apk_geo.db.packs` — packs published for presenters.

What each group role may do (granted in ``sql/0002_security.sql``; PostgreSQL enforces it):

============  ===================================================================================
presenter     published packs (tier ``presenter``), ``apk.presenter_counts`` (counts under 3
              suppressed), context layers; no incidents, quarantine or versions at all
analyst       ``apk.incidents_cells`` (no note, assistant, address, exact point: 250 m cells),
              ``apk.quarantine_reasons`` (no values), the import log, packs
mentor        everything about incidents (read, import), versions, quarantine, layers, packs
admin         users, settings, retention, the audit trail; no incidents
============  ===================================================================================

A user limited to some MDT areas (``apk.users.areas``) sees only their rows (row-level security)
and may not import.
"""

from __future__ import annotations

from apk_geo.db.audit import AUDIT_ACTIONS, AUDIT_COLUMNS, read_audit
from apk_geo.db.migrate import MigrationResult, migrate_geopackage
from apk_geo.db.packs import PublishedPack, list_packs, publish_pack, read_pack
from apk_geo.db.retention import RetentionResult, retention_settings, run_retention, set_retention
from apk_geo.db.schema import (
    DEFAULT_ROLE_PREFIX,
    TIERS,
    InitResult,
    RoleNames,
    init_database,
    migrations,
)
from apk_geo.db.users import (
    USER_COLUMNS,
    add_user,
    disable_user,
    enable_user,
    list_users,
    set_areas,
)

__all__ = [
    "AUDIT_ACTIONS",
    "AUDIT_COLUMNS",
    "DEFAULT_ROLE_PREFIX",
    "TIERS",
    "USER_COLUMNS",
    "InitResult",
    "MigrationResult",
    "PublishedPack",
    "RetentionResult",
    "RoleNames",
    "add_user",
    "disable_user",
    "enable_user",
    "init_database",
    "list_packs",
    "list_users",
    "migrate_geopackage",
    "migrations",
    "publish_pack",
    "read_audit",
    "read_pack",
    "retention_settings",
    "run_retention",
    "set_areas",
    "set_retention",
]
