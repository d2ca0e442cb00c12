"""Data: import an export (CSV/XLSX) with its validation summary and quarantine; store status;
provenance of every layer."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from apk_geo.errors import ApkGeoError
from apk_geo.i18n import t
from apk_geo.maps import LAYER_PROVENANCE
from app_pages import _common as c

lang = c.lang()
st.title(t("data.title", lang))
c.require_store()
c.synthetic_banner()
store = c.store()

st.subheader(t("data.upload", lang))
with st.form("upload_form", clear_on_submit=True):
    upload = st.file_uploader(t("data.upload", lang), type=["csv", "xlsx", "txt"])
    source = st.text_input(t("data.source", lang))
    go = st.form_submit_button(t("data.import", lang), type="primary")
if go and upload is not None:
    try:
        from apk_geo.ingest import ingest_file
    except ModuleNotFoundError:
        st.warning(t("data.ingest_missing", lang))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            try:
                counts = ingest_file(
                    path, store=store, source=source.strip() or None, config=c.app_config()
                )
            except (ApkGeoError, ValueError, OSError) as exc:
                st.error(t("data.bad_upload", lang, reason=str(exc)))
            else:
                summary = ", ".join(f"{k}: {v}" for k, v in counts.as_dict().items())
                st.success(t("data.imported", lang, summary=summary))

quarantine = store.quarantine()
st.subheader(t("data.quarantine", lang))
st.dataframe(quarantine, hide_index=True)
st.download_button(
    t("data.quarantine_download", lang),
    quarantine.to_csv(index=False).encode("utf-8"),
    "quarantine.csv",
    "text/csv",
)

st.subheader(t("data.status", lang))
summary = store.summary()
st.dataframe(
    pd.DataFrame({"": list(summary), " ": [str(v) for v in summary.values()]}), hide_index=True
)
st.subheader(t("data.imports", lang))
st.dataframe(store.import_log().tail(20), hide_index=True)

st.subheader(t("data.layers", lang))
names = ["incidents", *store.layer_names()]
rows = [
    (
        n,
        len(c.incidents()) if n == "incidents" else len(store.layer(n)),
        LAYER_PROVENANCE.get(n, ""),
    )
    for n in names
]
st.dataframe(
    pd.DataFrame(
        rows, columns=[t("data.layer", lang), t("data.rows", lang), t("data.origin", lang)]
    ),
    hide_index=True,
)
