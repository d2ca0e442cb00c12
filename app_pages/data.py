"""Data: import an export (CSV/XLSX) with its validation summary and quarantine; store status;
provenance of every layer.

The quarantine is shown and downloaded as a person reads it
(:func:`apk_geo.io.quarantine_text.quarantine_for_display`): the export's own column names and the
expectation in the page's language; an upload's quarantine reasons are in that language too.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from apk_geo import fmt, indicators
from apk_geo.errors import ApkGeoError
from apk_geo.i18n import STRINGS, t
from apk_geo.io.quarantine_text import quarantine_for_display
from apk_geo.maps import layer_provenance
from apk_geo.store import error_text
from app_pages import _common as c
from app_pages._download import table_downloads
from app_pages._grid import show_table

lang = c.lang()
st.title(t("data.title", lang))
c.require_store()
c.synthetic_banner()
store = c.store()


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with its column names translated where the UI knows them."""
    names = {col: t(f"column.{col}", lang) for col in frame.columns if f"column.{col}" in STRINGS}
    return frame.rename(columns=names)


st.subheader(t("data.upload", lang))
with st.form("upload_form", clear_on_submit=True):
    upload = st.file_uploader(t("data.upload", lang), type=["csv", "xlsx", "txt"])
    source = st.text_input(t("data.source", lang))
    go = st.form_submit_button(t("data.import", lang), type="primary")
if go and upload is None:
    st.warning(t("data.no_file", lang))
elif go and upload is not None:
    from apk_geo.ingest import ingest_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            counts = ingest_file(
                path,
                store=store,
                source=source.strip() or None,
                config=c.app_config(),
                file_label=upload.name,
                lang=lang,
            )
        except (ApkGeoError, ValueError, OSError) as exc:
            st.error(t("data.bad_upload", lang, reason=error_text(exc, lang)))
        else:
            st.success(t("data.imported", lang, name=upload.name))
            show_table(labelled(pd.DataFrame([counts.as_dict()])), lang=lang)
            mine = c.store().quarantine()
            mine = quarantine_for_display(mine[mine["file"].astype(str) == upload.name], lang)
            if counts.quarantined:
                st.warning(t("data.imported_quarantine", lang, n=counts.quarantined))
            if not mine.empty:
                show_table(labelled(mine), lang=lang, plain=(t("column.line", lang),))
                stem = f"quarantine_{Path(upload.name).stem}"
                table_downloads(
                    mine, stem, lang, what="download.what_quarantine_this", audit_subject=stem
                )

quarantine = quarantine_for_display(c.store().quarantine(), lang)
if not quarantine.empty:
    c.audit("page_view", "data.quarantine", n=len(quarantine))
st.subheader(t("data.quarantine", lang))
show_table(
    labelled(quarantine),
    lang=lang,
    empty=t("grid.empty_quarantine", lang),
    plain=(t("column.line", lang),),
)
table_downloads(
    quarantine, "quarantine", lang, what="download.what_quarantine", audit_subject="quarantine"
)

st.subheader(t("data.status", lang))
status = indicators.status_table(c.store().summary(), lang=lang)
status["key"] = [t(f"status.{k}", lang) for k in status["key"]]
show_table(
    status.rename(columns={"key": t("data.item", lang), "value": t("data.value", lang)}),
    lang=lang,
)
st.subheader(t("data.imports", lang))
imports = c.store().import_log()
show_table(labelled(imports.tail(20)), lang=lang, empty=t("grid.empty_imports", lang))
table_downloads(imports, "imports", lang, what="download.what_imports")

st.subheader(t("data.layers", lang))
rows = []
for n in ["incidents", *store.layer_names()]:
    frame = c.incidents() if n == "incidents" else store.layer(n)
    flag = frame["synthetic"].fillna(False).astype(bool).any() if "synthetic" in frame else None
    synthetic = c.is_synthetic() if n in ("incidents", "address_points") else flag
    rows.append(
        (n, fmt.integer(len(frame), lang), fmt.boolean(synthetic, lang), layer_provenance(n, lang))
    )
columns = ["data.layer", "data.rows", "data.synthetic", "data.origin"]
show_table(pd.DataFrame(rows, columns=[t(k, lang) for k in columns]), lang=lang)
