"""Trendy: counts per day, week or month over complete periods; weekday × hour; a year ago.

The interval is chosen from the length of the filtered period unless the user picks one
(:func:`apk_geo.trends.trend_view`), partial periods at either end are left out and named,
and categories get twelve colours that stay apart, with labels that are not cut.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, Literal

import altair as alt
import pandas as pd
import streamlit as st

from apk_geo import fmt, indicators, selection, trends
from apk_geo.app_state import FREQS, TREND_BYS
from apk_geo.i18n import t
from apk_geo.placenames import date_text
from apk_geo.schema import label_of
from app_pages import _common as c
from app_pages._download import table_downloads
from app_pages._grid import show_table

lang = c.lang()
st.title(t("trend.title", lang))
c.require_store()
c.synthetic_banner()

data = c.filtered()
opts = c.state().trends
a, b, d, e = st.columns(4)
c.bound(a.radio, t("trend.freq", lang), "trends.freq", options=list(FREQS), horizontal=True,
        format_func=lambda v: t(f"trend.{v}", lang))  # fmt: skip
c.bound(
    b.selectbox,
    t("trend.by", lang),
    "trends.by",
    options=list(TREND_BYS),
    format_func=lambda v: t("trend.by_none", lang) if v == "none" else t(f"field.{v}", lang),
)
c.bound(d.selectbox, t("trend.area", lang), "trends.area_kind", options=list(selection.AREA_KINDS),
        format_func=lambda v: t(f"trend.area_{v}", lang))  # fmt: skip
column = {"district": "district_name", "svl": "svl_name", "hostel": "hostel_name"}.get(
    opts.area_kind
)
names = sorted(data[column].dropna().astype(str).unique()) if column else []
name: str | None = None
if column and names:
    name = c.bound(
        e.selectbox,
        t("trend.area_name", lang),
        "trends.area_name",
        options=names,
        to_widget=lambda v: v if v in names else names[0],
    )
area_kind = opts.area_kind
area = (
    selection.select_area(data, kind=area_kind, name=name)
    if (area_kind == "city" or name)
    else data[:0]
)
if area.empty:
    st.info(t("msg.empty_filter", lang))
    st.stop()

f = c.filters()
split: Literal["category", "outcome"] | None = None if opts.by == "none" else opts.by
start = f.start or c.anchor_day()
end = min(f.end or c.anchor_day(), c.anchor_day())
view = trends.trend_view(area, start=start, end=end, freq=opts.freq, by=split)
series = view.series
if split is not None:
    kind_of = "category" if split == "category" else "outcome"
    series[split] = series[split].map(lambda v: label_of(v, kind=kind_of, lang=lang))
st.subheader(t("trend.series", lang))
if view.dropped:
    periods = ", ".join(f"{date_text(x, lang)} – {date_text(y, lang)}" for x, y in view.dropped)
    st.caption(t("trend.dropped", lang, periods=periods))
if series["period"].nunique() < 2:
    st.info(t("trend.too_short", lang))
day_fmt = fmt.chart_date_format(lang, monthly=view.freq == "month")
enc: dict[str, Any] = {
    "x": alt.X("period:T", title=t("field.period", lang), axis=alt.Axis(format=day_fmt)),
    "y": alt.Y("n:Q", title=t("field.incidents", lang)),
    "tooltip": [
        alt.Tooltip("period:T", format=day_fmt, title=t("field.period", lang)),
        alt.Tooltip("n:Q", title=t("field.incidents", lang)),
    ],
}
if split is not None:
    enc["color"] = alt.Color(
        f"{split}:N",
        title=t(f"field.{split}", lang),
        scale=alt.Scale(range=list(trends.CATEGORY_PALETTE)),
        legend=alt.Legend(labelLimit=0, orient="bottom", columns=2, symbolLimit=0),
    )
    enc["tooltip"] = [*enc["tooltip"], alt.Tooltip(f"{split}:N", title=t(f"field.{split}", lang))]
st.altair_chart(
    alt.Chart(series).mark_line(point=True).encode(**enc).interactive(), width="stretch"
)

table_downloads(view.series, "trend_series", lang, what="download.what_series")

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
st.subheader(t("trend.yoy", lang, month=month, before=month - 12))
show_table(
    yoy.rename(
        columns={
            "category": t("field.category", lang),
            "n": fmt.month(month, lang),
            "n_year_before": t("field.year_before", lang),
            "diff": t("field.diff", lang),
        }
    ),
    lang=lang,
)
table_downloads(
    yoy.rename(columns={"n": fmt.month(month, lang)}),
    f"year_on_year_{month}",
    lang,
    what="download.what_yoy",
)
