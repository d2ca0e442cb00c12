"""Správa: the audit log and the users of a database store (administrators).

Everything here runs as the signed-in user, and PostgreSQL decides: only an administrator may
read ``apk.audit`` and call the user functions, so a page reached by anyone else shows the
database's refusal in one sentence, never data. The audit log is filtered by user, first day
and action, shown as a table and downloadable as CSV (the download itself is audited); users
are listed, added with a role and MDT areas, and disabled or enabled (:mod:`apk_geo.db.users`,
each change audited by the database).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

import pandas as pd
import streamlit as st

from apk_geo import reports
from apk_geo.auth import role_label
from apk_geo.db import TIERS, add_user, disable_user, enable_user, list_users, read_audit
from apk_geo.db.audit import AUDIT_ACTIONS, action_text, details_text, subject_text
from apk_geo.errors import ApkGeoError, StoreError
from apk_geo.i18n import t
from apk_geo.io import table_bytes
from apk_geo.store import error_text
from app_pages import _common as c
from app_pages._grid import show_table
from app_pages._published import conninfo

ALL: Final = ""
K_NOTE: Final = "admin_note"  # a message kept across the rerun after a change

lang = c.lang()
st.title(t("admin.title", lang))
url = conninfo()


def refused(exc: ApkGeoError) -> None:
    """Say in one sentence that the database refused (e.g. a non-administrator's role)."""
    st.error(t("admin.denied", lang, reason=error_text(exc, lang).split(": ", 1)[-1]))


def table(frame: pd.DataFrame, *, empty: str | None = None) -> None:
    """Show ``frame`` with Czech (or English) column names and values, times in Prague."""
    shown = frame.copy()
    if "action" in shown:
        shown["action"] = shown["action"].map(lambda a: action_text(a, lang))
    if "subject" in shown:
        shown["subject"] = shown["subject"].map(lambda v: subject_text(v, lang))
    if "details" in shown:  # words on screen; the CSV download keeps the JSON
        shown["details"] = shown["details"].map(lambda d: details_text(d, lang))
    if "role" in shown:
        shown["role"] = shown["role"].astype(str).map(lambda r: role_label(r, lang))
    if "client" in shown:
        shown["client"] = shown["client"].replace("unknown", t("admin.client_unknown", lang))
    for col in ("created_at", "last_signin"):
        if col in shown:
            shown[col] = shown[col].dt.tz_convert("Europe/Prague")
    labels = {col: t(f"admin.col.{col}", lang) for col in shown.columns}
    show_table(
        shown, lang=lang, empty=empty, plain=("audit_id",), width="stretch", column_config=labels
    )


def audit_log() -> None:
    user_col, since_col, action_col = st.columns(3)
    user = user_col.text_input(t("admin.user", lang), key="admin_audit_user").strip()
    since = since_col.date_input(
        t("admin.since", lang), value=date.today() - timedelta(days=30), key="admin_audit_since",
        format="DD.MM.YYYY",
    )  # fmt: skip
    action = action_col.selectbox(
        t("admin.action", lang), [ALL, *AUDIT_ACTIONS], key="admin_audit_action",
        format_func=lambda a: action_text(a, lang) if a else t("admin.all", lang),
    )  # fmt: skip
    try:
        frame = read_audit(url, user=user or None, since=since, action=action or None)
    except StoreError as exc:
        refused(exc)
        return
    table(frame, empty=t("grid.empty_audit", lang))
    st.download_button(
        t("admin.download", lang), table_bytes(frame), f"audit_{date.today()}.csv", "text/csv",
        key="admin_audit_csv", on_click=c.audit,
        args=("download", "audit"), kwargs={"rows": len(frame), "page": "admin"},
    )  # fmt: skip


def add_form() -> None:
    areas = [a.name for a in reports.resolve_areas("all", config=c.app_config(), districts=())]
    with st.form("admin_add", clear_on_submit=True):
        st.subheader(t("admin.add", lang))
        name_col, role_col = st.columns(2)
        name = name_col.text_input(t("admin.name", lang), key="admin_add_name")
        role = role_col.selectbox(t("admin.role", lang), TIERS, key="admin_add_role",
                                  format_func=lambda r: role_label(r, lang))  # fmt: skip
        chosen = st.multiselect(t("admin.areas", lang), areas, key="admin_add_areas",
                                placeholder=t("admin.choose_areas", lang))  # fmt: skip
        password = st.text_input(t("admin.password", lang), type="password", key="admin_add_pw")
        reason = st.text_input(t("admin.reason", lang), key="admin_add_reason")
        if not st.form_submit_button(t("admin.submit", lang)):
            return
    try:
        add_user(url, name.strip(), role=role, password=password, areas=chosen,
                 reason=reason.strip() or None)  # fmt: skip
    except ApkGeoError as exc:
        st.error(t("admin.failed", lang, reason=error_text(exc, lang)))
        return
    st.session_state[K_NOTE] = t(
        "admin.added", lang, name=name.strip(), role=role_label(role, lang)
    )
    st.rerun()


def users() -> None:
    try:
        frame = list_users(url)
    except StoreError as exc:
        refused(exc)
        return
    note = st.session_state.pop(K_NOTE, None)
    if note:
        st.success(note)
    table(frame)
    who_col, off_col, on_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    who = who_col.selectbox(t("admin.user", lang), list(frame["username"]), key="admin_who")
    for col, label, change in ((off_col, "admin.disable", disable_user),
                               (on_col, "admin.enable", enable_user)):  # fmt: skip
        if who and col.button(t(label, lang), key=f"{label}_button"):
            try:
                change(url, who)
            except ApkGeoError as exc:
                st.error(t("admin.failed", lang, reason=error_text(exc, lang)))
                return
            st.session_state[K_NOTE] = t("admin.changed", lang, name=who)
            st.rerun()
    add_form()


audit_tab, users_tab = st.tabs([t("admin.audit", lang), t("admin.users", lang)])
with audit_tab:
    audit_log()
with users_tab:
    users()
