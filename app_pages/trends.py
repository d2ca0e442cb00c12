"""Trendy: weekly/monthly series per category or outcome for an area; weekday × hour; a year ago."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Literal, cast

import altair as alt
import pandas as pd
import streamlit as st

from apk_geo import indicators, selection
from apk_geo.i18n import t
from apk_geo.schema import label_of
from app_pages import _common as c

lang = c.lang()
st.title(t("trend.title", lang))
c.require_store()
c.synthetic_banner()

data = c.filtered()
a, b, d, e = st.columns(4)
freq = a.radio(
    t("trend.freq", lang),
    ["week", "month"],
    index=1,
    horizontal=True,
    format_func=lambda v: t(f"trend.{v}", lang),
    key="trend_freq",
)
by = b.selectbox(
    t("trend.by", lang),
    ["none", "category", "outcome"],
    key="trend_by",
    format_func=lambda v: t("trend.by_none", lang) if v == "none" else t(f"field.{v}", lang),
)
kind = d.selectbox(
    t("trend.area", lang),
    selection.AREA_KINDS,
    key="trend_area",
    format_func=lambda v: t(f"trend.area_{v}", lang),
)
column = {"district": "district_name", "svl": "svl_name", "hostel": "hostel_name"}.get(kind)
names = sorted(data[column].dropna().astype(str).unique()) if column else []
name = e.selectbox(t("trend.area_name", lang), names, key="trend_name") if column else None
area_kind = cast(selection.AreaKind, kind)
area = (
    selection.select_area(data, kind=area_kind, name=name) if (kind == "city" or name) else data[:0]
)

if area.empty:
    st.info(t("msg.empty_filter", lang))
    st.stop()

f = c.filters()
split = None if by == "none" else cast(Literal["category", "outcome"], by)
series = indicators.trend_table(
    area, freq=cast(indicators.Freq, freq), by=split, start=f.start, end=f.end
)
if by != "none":
    kind_of = "category" if by == "category" else "outcome"
    series[by] = series[by].map(lambda v: label_of(v, kind=kind_of, lang=lang))
st.subheader(t("trend.series", lang))
if series["period"].nunique() < 2:
    st.info(t("trend.too_short", lang))
day_fmt = "%d.%m.%Y" if freq == "week" else "%m/%Y"  # numeric: Vega's month names are English
enc = {
    "x": alt.X("period:T", title=t("field.period", lang), axis=alt.Axis(format=day_fmt)),
    "y": alt.Y("n:Q", title=t("field.incidents", lang)),
    "tooltip": [
        alt.Tooltip("period:T", format=day_fmt, title=t("field.period", lang)),
        alt.Tooltip("n:Q", title=t("field.incidents", lang)),
    ],
}
if by != "none":
    enc["color"] = alt.Color(f"{by}:N", title=t(f"field.{by}", lang))
    enc["tooltip"] = [*enc["tooltip"], alt.Tooltip(f"{by}:N", title=t(f"field.{by}", lang))]
st.altair_chart(
    alt.Chart(series).mark_line(point=True).encode(**enc).interactive(), width="stretch"
)

st.subheader(t("trend.heatmap", lang))
grid = (
    indicators.weekday_hour_table(area)
    .reset_index()
    .melt(id_vars="weekday", var_name="hour", value_name="n")
)
grid["weekday"] = grid["weekday"].map(lambda d_: t(f"weekday.{d_}", lang))
order = [t(f"weekday.{i}", lang) for i in range(7)]
st.altair_chart(
    alt.Chart(grid)
    .mark_rect()
    .encode(
        x=alt.X("hour:O", title=t("field.hour", lang)),
        y=alt.Y("weekday:N", sort=order, title=t("field.weekday", lang)),
        color=alt.Color("n:Q", title=t("field.count", lang), scale=alt.Scale(scheme="reds")),
        tooltip=[
            alt.Tooltip("weekday:N", title=t("field.weekday", lang)),
            alt.Tooltip("hour:O", title=t("field.hour", lang)),
            alt.Tooltip("n:Q", title=t("field.count", lang)),
        ],
    ),
    width="stretch",
)

undated = selection.filter_incidents(
    c.incidents(), replace(f, start=None, end=None, preset="custom")
)
undated = selection.select_area(undated, kind=area_kind, name=name)
month = selection.reference_month(c.incidents(), f) or pd.Period(f.end or date.today(), freq="M")
yoy = indicators.year_on_year(undated, month=month)
yoy["category"] = yoy["category"].map(lambda v: label_of(v, lang=lang))
st.subheader(t("trend.yoy", lang, month=str(month), before=str(month - 12)))
st.dataframe(
    yoy.rename(
        columns={
            "category": t("field.category", lang),
            "n": str(month),
            "n_year_before": t("field.year_before", lang),
            "diff": t("field.diff", lang),
        }
    ),
    hide_index=True,
)
