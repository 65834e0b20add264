"""The sidebar: filters and map options, read into :class:`IncidentFilter` and :class:`MapChoice`.

Widgets keep their values in ``st.session_state`` under the ``f_``/``m_`` keys; values that
are no longer offered (after the store changed) are dropped before the widgets are drawn.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.filters import PRECISION_LABELS, FilterOptions, IncidentFilter
from dashboard.maps import DEFAULT_LAYERS, LAYERS, MapChoice

#: Session keys of the filter widgets.
KEYS = {
    "dates": "f_dates",
    "types": "f_types",
    "actors": "f_actors",
    "countries": "f_countries",
    "provinces": "f_provinces",
    "precisions": "f_precisions",
    "text": "f_text",
    "layers": "m_layers",
    "heat": "m_heat",
    "metric": "m_metric",
    "animate": "m_animate",
}


def _keep_offered(key: str, offered: list | tuple) -> None:
    """Drop remembered choices the widget no longer offers (the store changed)."""
    value = st.session_state.get(key)
    if isinstance(value, list):
        allowed = set(offered)
        st.session_state[key] = [v for v in value if v in allowed]


def _date_range(opts: FilterOptions) -> tuple[date | None, date | None]:
    if opts.date_min is None or opts.date_max is None:
        return None, None
    if opts.date_min == opts.date_max:
        st.caption(f"All dated incidents are on {opts.date_min.isoformat()}.")
        return None, None
    remembered = st.session_state.get(KEYS["dates"])
    if remembered is not None and not (opts.date_min <= remembered[0] <= remembered[1]
                                       <= opts.date_max):
        del st.session_state[KEYS["dates"]]
    low, high = st.slider(
        "Dates", min_value=opts.date_min, max_value=opts.date_max,
        value=(opts.date_min, opts.date_max), format="YYYY-MM-DD", key=KEYS["dates"],
        help="Keeps incidents whose dates overlap the range; filters the map, the chart "
             "and the table.")
    if (low, high) == (opts.date_min, opts.date_max):
        if opts.undated:
            st.caption(f"{opts.undated:,} undated incidents are shown until the range is "
                       "narrowed.")
        return None, None
    return low, high


def incident_filter(opts: FilterOptions, *,
                    area: tuple[float, float, float, float] | None = None) -> IncidentFilter:
    """Draw the filter widgets in the sidebar and return what they select (and ``area``,
    the map area chosen by clicking a cluster)."""
    with st.sidebar:
        st.header("Filters")
        date_from, date_to = _date_range(opts)
        _keep_offered(KEYS["types"], opts.event_types)
        types = st.multiselect("Event type", opts.event_types, key=KEYS["types"],
                               placeholder="All event types")
        _keep_offered(KEYS["actors"], opts.actors)
        actors = st.multiselect("Actor", opts.actors, key=KEYS["actors"],
                                placeholder="Any actor",
                                help="Incidents with one of these as first or second actor.")
        _keep_offered(KEYS["countries"], list(opts.countries))
        countries = st.multiselect("Country", list(opts.countries), key=KEYS["countries"],
                                   format_func=lambda code: opts.countries.get(code, code),
                                   placeholder="All countries")
        offered = [code for code, country in opts.province_country.items()
                   if not countries or country in countries]
        _keep_offered(KEYS["provinces"], offered)
        provinces = st.multiselect("Province", offered, key=KEYS["provinces"],
                                   format_func=lambda code: opts.provinces.get(code, code),
                                   placeholder="All provinces")
        _keep_offered(KEYS["precisions"], opts.precisions)
        precisions = st.multiselect(
            "Place precision", opts.precisions, key=KEYS["precisions"],
            format_func=lambda p: f"{p}: {PRECISION_LABELS.get(p, 'unknown')}",
            placeholder="Any precision")
        text = st.text_input("Search text", key=KEYS["text"],
                             placeholder="words in summary, place, actors or article")
    return IncidentFilter(date_from=date_from, date_to=date_to, event_types=tuple(types),
                          actors=tuple(actors), countries=tuple(countries),
                          admin1_codes=tuple(provinces), precisions=tuple(precisions),
                          text=text.strip(), area=area)


def map_choice() -> MapChoice:
    """Draw the map options in the sidebar and return them."""
    with st.sidebar:
        st.header("Map")
        layers = st.pills("Layers", list(LAYERS), selection_mode="multi",
                          default=sorted(DEFAULT_LAYERS), format_func=LAYERS.get,
                          key=KEYS["layers"])
        heat = st.radio("Heat weighted by", ["count", "fatalities"], horizontal=True,
                        format_func={"count": "incidents", "fatalities": "people killed"}.get,
                        key=KEYS["heat"], disabled="heat" not in (layers or ()))
        metric = st.radio("Provinces coloured by", ["count", "fatalities"], horizontal=True,
                          format_func={"count": "incidents", "fatalities": "people killed"}.get,
                          key=KEYS["metric"], disabled="provinces" not in (layers or ()))
        animate = st.radio("Play through time", ["off", "week", "month"], horizontal=True,
                           format_func={"off": "off", "week": "by week",
                                        "month": "by month"}.get,
                           key=KEYS["animate"],
                           help="Replaces the incident symbols with a time slider and a "
                                "play button on the map.")
    return MapChoice(layers=frozenset(layers or ()), heat_weight=heat, province_metric=metric,
                     animate_by=None if animate == "off" else animate)
