"""The small chart of incidents and deaths over time for the current filter.

A plain Vega-Lite specification drawn by ``st.vega_lite_chart`` (Streamlit bundles Vega:
no CDN). Written as a dict rather than with Altair: the page pays neither Altair's import
nor its schema validation on every rerun.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.map_data import next_period

BAR_COLOR = "#6b7b8c"
LINE_COLOR = "#b3202a"


def activity_data(series: pd.DataFrame) -> pd.DataFrame:
    """The series with each period's end and middle (bars span their week or month; the
    line joins the middles)."""
    unit = series.attrs.get("unit", "month")
    data = series.assign(period_end=next_period(series["period"], unit))
    return data.assign(period_mid=data["period"] + (data["period_end"] - data["period"]) / 2)


def activity_spec(unit: str, *, height: int = 170) -> dict[str, Any]:
    """Vega-Lite spec: bars of incidents and a line of people killed per ``unit`` ("week"
    or "month"), each on its own axis; ``height`` in pixels."""
    period_format = "%d %b %Y" if unit == "week" else "%b %Y"
    axis = {"format": "%d %b" if unit == "week" else "%b %Y", "labelOverlap": True}
    tooltip = [
        {"field": "period", "type": "temporal", "format": period_format,
         "title": "week of" if unit == "week" else "month"},
        {"field": "incidents", "type": "quantitative", "format": ",", "title": "incidents"},
        {"field": "fatalities", "type": "quantitative", "format": ",",
         "title": "people killed"},
    ]
    bars = {
        "mark": {"type": "bar", "color": BAR_COLOR, "opacity": 0.8},
        "encoding": {
            "x": {"field": "period", "type": "temporal", "title": None, "axis": axis},
            "x2": {"field": "period_end"},
            "y": {"field": "incidents", "type": "quantitative",
                  "title": f"Incidents per {unit}", "axis": {"titleColor": BAR_COLOR}},
            "y2": {"datum": 0},
            "tooltip": tooltip,
        },
    }
    line = {
        "mark": {"type": "line", "color": LINE_COLOR, "strokeWidth": 1.8},
        "encoding": {
            "x": {"field": "period_mid", "type": "temporal", "title": None, "axis": axis},
            "y": {"field": "fatalities", "type": "quantitative", "title": "People killed",
                  "axis": {"titleColor": LINE_COLOR, "orient": "right"}},
            "tooltip": tooltip,
        },
    }
    return {"height": height, "layer": [bars, line], "resolve": {"scale": {"y": "independent"}}}
