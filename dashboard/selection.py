"""Which incident the source panel shows: from a map click, a table row or the URL.

The selected id lives in ``st.session_state[SELECTED]`` and in the ``incident`` query
parameter (so a link opens the same incident). A map click on a province badge may name
several incidents; they are kept in ``st.session_state[CANDIDATES]`` for the panel to offer.
Each source only counts when it changed since the last run, so the most recent action wins.

A click on a cluster counted on the server names its area instead (:func:`area_from_map`,
called before the page's run): the page then shows the incidents in that area, finer
clusters or single symbols, until :func:`clear_area`.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import pandas as pd
import streamlit as st

from dashboard.map_component import MAP_KEY
from dashboard.map_data import Area, clicked_area, clicked_incident_ids

SELECTED = "incident_id"
CANDIDATES = "incident_candidates"
QUERY_PARAM = "incident"
AREA = "map_area"
_LAST_CLICK = "_last_map_click"
_LAST_ROWS = "_last_table_rows"


def select(incident_id: str | None, *, candidates: Iterable[str] = ()) -> None:
    """Show ``incident_id`` in the panel (None closes it)."""
    st.session_state[SELECTED] = incident_id
    st.session_state[CANDIDATES] = list(candidates)
    if incident_id:
        st.query_params[QUERY_PARAM] = incident_id
    elif QUERY_PARAM in st.query_params:
        del st.query_params[QUERY_PARAM]


def selected() -> str | None:
    """The incident to show: the session's choice, else the ``incident`` query parameter."""
    if SELECTED not in st.session_state:
        st.session_state[SELECTED] = st.query_params.get(QUERY_PARAM)
    return st.session_state[SELECTED]


def from_map(result: Mapping[str, Any] | None, known_ids: pd.Index) -> None:
    """Select what the last map click named, if the click is new and names incidents."""
    if not result:
        return
    click = (result.get("last_object_clicked_count"), result.get("last_object_clicked_tooltip"))
    if click == st.session_state.get(_LAST_CLICK) or click[0] in (None, 0):
        st.session_state[_LAST_CLICK] = click
        return
    st.session_state[_LAST_CLICK] = click
    ids = clicked_incident_ids(click[1], known_ids)
    if ids:
        select(ids[0], candidates=ids if len(ids) > 1 else ())


def from_table(state: Any, rows: pd.DataFrame) -> None:
    """Select the incident of a newly selected table row."""
    try:
        picked = list(state.selection.rows)
    except AttributeError:
        return
    if picked == st.session_state.get(_LAST_ROWS):
        return
    st.session_state[_LAST_ROWS] = picked
    if picked and picked[0] < len(rows):
        select(str(rows["incident_id"].iloc[picked[0]]))


def area_from_map() -> None:
    """The map's callback: a click on a server cluster narrows the page to its area."""
    report = st.session_state.get(MAP_KEY) or {}
    area = clicked_area(report.get("last_object_clicked_tooltip"))
    if area is not None:
        st.session_state[AREA] = area


def area() -> Area | None:
    """The area of the last cluster clicked (south, west, north, east; degrees), if any."""
    return st.session_state.get(AREA)


def clear_area() -> None:
    """Show every area again."""
    st.session_state.pop(AREA, None)
