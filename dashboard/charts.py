"""The small chart of incidents and deaths over time for the current filter (Vega-Lite via
Altair, drawn by Streamlit's bundled Vega: no CDN)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.map_data import next_period

BAR_COLOR = "#6b7b8c"
LINE_COLOR = "#b3202a"


def activity_chart(series: pd.DataFrame, *, height: int = 170) -> alt.LayerChart:
    """Bars of incidents and a line of people killed per period, each on its own axis.

    Parameters
    ----------
    series
        :func:`dashboard.map_data.time_series` output (``period``, ``incidents``,
        ``fatalities``; ``attrs["unit"]`` is "week" or "month").
    height
        Chart height, pixels.
    """
    unit = series.attrs.get("unit", "month")
    period_format = "%d %b %Y" if unit == "week" else "%b %Y"
    # bars span their week or month exactly (x to x2); the line joins the middles
    data = series.assign(period_end=next_period(series["period"], unit))
    data = data.assign(period_mid=data["period"] + (data["period_end"] - data["period"]) / 2)
    tooltip = [alt.Tooltip("period:T", title="week of" if unit == "week" else "month",
                           format=period_format),
               alt.Tooltip("incidents:Q", title="incidents", format=","),
               alt.Tooltip("fatalities:Q", title="people killed", format=",")]
    axis = alt.Axis(format="%d %b" if unit == "week" else "%b %Y", labelOverlap=True)
    bars = alt.Chart(data).mark_bar(color=BAR_COLOR, opacity=0.8).encode(
        x=alt.X("period:T", title=None, axis=axis), x2="period_end:T",
        y=alt.Y("incidents:Q", title=f"Incidents per {unit}",
                axis=alt.Axis(titleColor=BAR_COLOR)), y2=alt.datum(0),
        tooltip=tooltip)
    line = alt.Chart(data).mark_line(color=LINE_COLOR, strokeWidth=1.8).encode(
        x=alt.X("period_mid:T", title=None, axis=axis),
        y=alt.Y("fatalities:Q", title="People killed",
                axis=alt.Axis(titleColor=LINE_COLOR, orient="right")),
        tooltip=tooltip)
    return alt.layer(bars, line).resolve_scale(y="independent").properties(height=height)
