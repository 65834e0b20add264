"""The small chart of incidents and deaths over time for the current filter (Vega-Lite via
Altair, drawn by Streamlit's bundled Vega: no CDN)."""

from __future__ import annotations

import altair as alt
import pandas as pd

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
    time_unit = "yearmonthdate" if unit == "week" else "yearmonth"
    base = alt.Chart(series).encode(
        x=alt.X(f"{time_unit}(period):T", title=None,
                axis=alt.Axis(format=period_format, labelOverlap=True)))
    tooltip = [alt.Tooltip("period:T", title="week of" if unit == "week" else "month",
                           format=period_format),
               alt.Tooltip("incidents:Q", title="incidents", format=","),
               alt.Tooltip("fatalities:Q", title="people killed", format=",")]
    # a week is 7 days of the date axis: bars fill most of their period
    bars = base.mark_bar(color=BAR_COLOR, opacity=0.8,
                         width={"band": 6.0} if unit == "week" else {"band": 0.85}).encode(
        y=alt.Y("incidents:Q", title=f"Incidents per {unit}",
                axis=alt.Axis(titleColor=BAR_COLOR)),
        tooltip=tooltip)
    line = base.mark_line(color=LINE_COLOR, strokeWidth=1.8).encode(
        y=alt.Y("fatalities:Q", title="People killed",
                axis=alt.Axis(titleColor=LINE_COLOR, orient="right")),
        tooltip=tooltip)
    return alt.layer(bars, line).resolve_scale(y="independent").properties(height=height)
