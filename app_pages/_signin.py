"""Signing in to a database store (a GeoPackage store stays single-user: no form).

Each rerun of the entry script first calls :func:`require_session`: it signs an idle session out
(:data:`apk_geo.auth.DEFAULT_IDLE_TIMEOUT_S`), else marks the session active; without a session
it draws the Czech/English sign-in form and stops the page. The password goes from the form
straight to :func:`apk_geo.auth.sign_in` (the form clears itself); the session, which holds it
in its connection string, stays in ``st.session_state`` of this browser session only.
"""

from __future__ import annotations

import logging
from typing import Final

import streamlit as st

from apk_geo import auth
from apk_geo.errors import StoreError
from apk_geo.store import error_text
from app_pages import _common as c

logger = logging.getLogger("apk_geo.dashboard")

#: A notice shown once above the form (signed out, timed out).
K_NOTICE: Final = "auth.notice"
K_FORM: Final = "auth.form"


def require_session() -> None:
    """For a database store: end an idle session, keep an active one, else ask to sign in."""
    if not c.is_database():
        return
    session = c.signed_in()
    if session is not None:
        if not session.expired():
            st.session_state[c.K_SESSION] = session.touch()
            return
        minutes = round(auth.DEFAULT_IDLE_TIMEOUT_S / 60)
        _end(timed_out=True, notice=auth.text("auth.timeout", c.lang(), minutes=minutes))
    _form()
    st.stop()


def _end(*, timed_out: bool, notice: str) -> None:
    session = c.signed_in()
    st.session_state.pop(c.K_SESSION, None)
    st.session_state.pop(c.K_SESSION_STORE, None)
    st.session_state[K_NOTICE] = notice
    if session is None:
        return
    try:
        auth.sign_out(session, timed_out=timed_out)
    except StoreError:
        logger.exception("sign-out of %s not recorded", session.user)


def sign_out() -> None:
    """Sign the user out (the sidebar's button)."""
    _end(timed_out=False, notice=auth.text("auth.signed_out", c.lang()))


def _form() -> None:
    lg = c.lang()
    st.title(auth.text("auth.title", lg))
    notice = st.session_state.pop(K_NOTICE, None)
    if notice:
        st.info(notice)
    with st.form(K_FORM, clear_on_submit=True):
        user = st.text_input(auth.text("auth.user", lg), key="auth.w.user")
        password = st.text_input(
            auth.text("auth.password", lg), type="password", key="auth.w.password"
        )
        reason = st.text_input(
            auth.text("auth.reason", lg),
            key="auth.w.reason",
            help=auth.text("auth.purpose_hint", lg),
        )
        submitted = st.form_submit_button(auth.text("auth.submit", lg))
    if submitted:
        _attempt(user, password, reason.strip() or None, lg)


def _attempt(user: str, password: str, reason: str | None, lg: str) -> None:
    try:
        result = auth.sign_in(
            c.app_args().store,
            user,
            password,
            client=client_address(),
            reason=reason,
        )
    except StoreError as exc:
        logger.warning("sign-in failed: %s", exc)
        no_gate = "no sign-in gate" in str(exc)
        st.error(auth.text("auth.no_gate", lg) if no_gate else t_store_error(lg, exc))
        return
    if result.session is None:
        wait = max(1, round(result.wait_s))
        st.error(auth.text(result.message or "auth.failed", lg, wait_s=wait))
        return
    st.session_state[c.K_SESSION] = result.session
    st.session_state.pop(c.K_SESSION_STORE, None)
    st.session_state.pop(c.K_INIT, None)  # the state again, from the URL and the data's span
    st.rerun()


def client_address() -> str:
    """Return the browser's address (``"unknown"`` behind a proxy that hides it, or in tests)."""
    ip = getattr(st.context, "ip_address", None)
    return ip if isinstance(ip, str) and ip else "unknown"


def t_store_error(lg: str, exc: Exception) -> str:
    """Return the one-sentence message for a store that cannot be reached."""
    from apk_geo.i18n import t

    return t("msg.store_error", lg, reason=error_text(exc, lg))


def draw_user() -> None:
    """Show who is signed in and the sign-out button in the sidebar (a database store only)."""
    session = c.signed_in()
    if not c.is_database() or session is None:
        return
    lg = c.lang()
    sb = st.sidebar
    role = auth.role_label(session.tier, lg)
    sb.caption(auth.text("auth.signed_in_as", lg, user=session.user, role=role))
    sb.button(auth.text("auth.signout", lg), key="auth.signout", on_click=sign_out)
