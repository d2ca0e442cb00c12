"""Strings of the team pages (published packs, administration) until they move to apk_geo.i18n.

:func:`tr` reads :func:`apk_geo.i18n.t` first and falls back to :data:`_PENDING_STRINGS`, so the
pages keep working once the coordinator has moved the keys into the one catalogue (and this
module can then go).
"""

from __future__ import annotations

from typing import Final

from apk_geo.i18n import t

#: key -> (Czech, English); to be moved into apk_geo/i18n.py.
_PENDING_STRINGS: Final[dict[str, tuple[str, str]]] = {
    "nav.admin": ("Správa", "Administration"),
    "packs.none": (
        "Pro MDT zatím není zveřejněný žádný podklad; zveřejňuje ho mentor příkazem "
        "`apk-geo report --publish --area all` (nebo tlačítkem na této stránce).",
        "No MDT pack has been published yet; a mentor publishes one with "
        "`apk-geo report --publish --area all` (or with the button on this page).",
    ),
    "packs.area": ("Oblast MDT", "MDT area"),
    "packs.published_by": ("Zveřejnil(a) {user}, {when}", "Published by {user}, {when}"),
    "packs.list_failed": (
        "Zveřejněné podklady nelze načíst: {reason}",
        "The published packs cannot be read: {reason}",
    ),
    "packs.publish_title": ("Zveřejnit podklad pro prezentující", "Publish a pack for presenters"),
    "packs.publish": ("Zveřejnit", "Publish"),
    "packs.published": (
        "Podklad {area}, {month} je zveřejněný.",
        "The pack {area}, {month} is published.",
    ),
    "admin.title": ("Správa", "Administration"),
    "admin.audit": ("Auditní záznam", "Audit log"),
    "admin.users": ("Uživatelé", "Users"),
    "admin.user": ("Uživatel", "User"),
    "admin.since": ("Od data", "Since"),
    "admin.action": ("Akce", "Action"),
    "admin.all": ("vše", "all"),
    "admin.download": ("Stáhnout CSV", "Download CSV"),
    "admin.denied": (
        "Databáze to odmítla: {reason}. Auditní záznam a uživatele spravuje jen správce.",
        "The database refused: {reason}. Only an administrator manages the audit log and users.",
    ),
    "admin.add": ("Přidat uživatele", "Add a user"),
    "admin.name": ("Jméno", "Name"),
    "admin.role": ("Role", "Role"),
    "admin.areas": ("Oblasti MDT (prázdné: všechny)", "MDT areas (empty: all)"),
    "admin.password": ("Heslo (aspoň 10 znaků)", "Password (at least 10 characters)"),
    "admin.reason": ("Důvod (do auditu)", "Reason (for the audit log)"),
    "admin.choose_areas": ("Vyberte oblasti", "Choose areas"),
    "admin.col.audit_id": ("Č.", "No."),
    "admin.col.at": ("Kdy", "When"),
    "admin.col.who": ("Kdo", "Who"),
    "admin.col.action": ("Akce", "Action"),
    "admin.col.subject": ("Čeho se týká", "Subject"),
    "admin.col.details": ("Podrobnosti", "Details"),
    "admin.col.reason": ("Důvod", "Reason"),
    "admin.col.client": ("Klient", "Client"),
    "admin.col.addr": ("Adresa IP", "IP address"),
    "admin.col.username": ("Jméno", "Name"),
    "admin.col.role": ("Role", "Role"),
    "admin.col.areas": ("Oblasti MDT", "MDT areas"),
    "admin.col.disabled": ("Zakázán(a)", "Disabled"),
    "admin.col.created_at": ("Vytvořen(a)", "Created"),
    "admin.col.created_by": ("Vytvořil(a)", "Created by"),
    "admin.col.last_signin": ("Poslední přihlášení", "Last sign-in"),
    "admin.submit": ("Přidat", "Add"),
    "admin.added": ("Uživatel {name} je přidaný ({role}).", "User {name} added ({role})."),
    "admin.disable": ("Zakázat přihlášení", "Disable sign-in"),
    "admin.enable": ("Povolit přihlášení", "Enable sign-in"),
    "admin.changed": ("Hotovo: {name}.", "Done: {name}."),
    "admin.failed": ("Nepodařilo se: {reason}", "It failed: {reason}"),
}


def tr(key: str, lang: str, **fields: object) -> str:
    """Return ``key`` in ``lang`` from the catalogue, else from :data:`_PENDING_STRINGS`."""
    try:
        return t(key, lang, **fields)
    except KeyError:
        cs, en = _PENDING_STRINGS[key]
        return (en if lang == "en" else cs).format(**fields)
