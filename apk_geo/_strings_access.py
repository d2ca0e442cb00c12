"""Strings of sign-in and of the administration page.

Sign-in is :mod:`apk_geo.auth` and the dashboard's sign-in form. Keys under ``auth.``, ``admin.``;
each key maps to (Czech, English). :mod:`apk_geo.i18n` merges this module with the other
``_strings_*`` modules into :data:`apk_geo.i18n.STRINGS` and refuses a key defined in two of them.
"""

from __future__ import annotations

from typing import Final

STRINGS: Final[dict[str, tuple[str, str]]] = {
    # sign-in (apk_geo.auth, the dashboard)
    "auth.title": ("Přihlášení", "Sign in"),
    "auth.user": ("Uživatel", "User name"),
    "auth.password": ("Heslo", "Password"),
    "auth.reason": ("Účel práce (zapíše se do auditu)", "Purpose (recorded in the audit log)"),
    "auth.submit": ("Přihlásit", "Sign in"),
    "auth.signout": ("Odhlásit", "Sign out"),
    "auth.signed_in_as": ("Přihlášen(a): {user} ({role})", "Signed in: {user} ({role})"),
    # the four roles (apk_geo.db.schema.TIERS) as people name them
    "auth.role.presenter": ("prezentující", "presenter"),
    "auth.role.analyst": ("analytik", "analyst"),
    "auth.role.mentor": ("mentor", "mentor"),
    "auth.role.admin": ("správce", "administrator"),
    "auth.failed": (
        "Nesprávné jméno nebo heslo. Další pokus je možný za {wait_s} s.",
        "Wrong user name or password. You can try again in {wait_s} s.",
    ),
    "auth.throttled": (
        "Příliš mnoho neúspěšných pokusů. Zkuste to znovu za {wait_s} s.",
        "Too many failed attempts. Try again in {wait_s} s.",
    ),
    "auth.no_role": (
        "Tento účet nemá v databázi žádnou roli apk-geo; obraťte se na správce.",
        "This account has no apk-geo role in the database; ask the administrator.",
    ),
    "auth.timeout": (
        "Byli jste odhlášeni po {minutes} min nečinnosti.",
        "You were signed out after {minutes} min of inactivity.",
    ),
    "auth.signed_out": ("Byli jste odhlášeni.", "You have been signed out."),
    "auth.no_gate": (
        "Přihlašování není nastaveno (chybí přístup brány); spusťte apk-geo db init.",
        "Sign-in is not set up (the gate's credentials are missing); run apk-geo db init.",
    ),
    "auth.purpose_hint": (
        "Nepovinné; např. „příprava MDT 3/2026“.",
        "Optional; e.g. “MDT meeting preparation 3/2026”.",
    ),
    "auth.no_pack_data": (
        "údaje pro MDT zatím nejsou pro vaši roli zveřejněny",
        "the MDT figures are not yet published for your role",
    ),
    "auth.no_pages": (
        "Pro vaši roli ({role}) zde nejsou žádné stránky.",
        "There are no pages here for your role ({role}).",
    ),
    # the administration page (app_pages/admin.py)
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
    # the audit log's actions as people read them (db/audit.AUDIT_ACTIONS)
    "admin.act.init": ("založení úložiště", "store created"),
    "admin.act.migrate": ("migrace databáze", "database migrated"),
    "admin.act.import": ("import", "import"),
    "admin.act.layers": ("zápis vrstev", "layers written"),
    "admin.act.export": ("export", "export"),
    "admin.act.download": ("stažení", "download"),
    "admin.act.pack": ("podklady pro MDT", "MDT pack"),
    "admin.act.route": ("trasa hlídky", "patrol route"),
    "admin.act.read_incidents": ("čtení událostí", "incidents read"),
    "admin.act.read_versions": ("čtení verzí", "versions read"),
    "admin.act.read_quarantine": ("čtení karantény", "quarantine read"),
    "admin.act.page_view": ("zobrazení stránky", "page view"),
    "admin.act.signin": ("přihlášení", "sign-in"),
    "admin.act.signin_failed": ("neúspěšné přihlášení", "failed sign-in"),
    "admin.act.signin_throttled": ("přihlášení zpomaleno", "sign-in throttled"),
    "admin.act.signout": ("odhlášení", "sign-out"),
    "admin.act.timeout": ("vypršení relace", "session timed out"),
    "admin.act.user_add": ("přidání uživatele", "user added"),
    "admin.act.user_disable": ("zablokování uživatele", "user disabled"),
    "admin.act.user_enable": ("odblokování uživatele", "user enabled"),
    "admin.act.user_areas": ("změna oblastí uživatele", "user's areas changed"),
    "admin.act.retention": ("skartace starých záznamů", "retention"),
    "admin.act.settings": ("změna nastavení", "settings changed"),
    "admin.client_unknown": ("neznámý", "unknown"),
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
