"""The map page: filters, map, source panel, chart over time, table and downloads."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, map_component, offline, panels, selection, sidebar
from dashboard.errors import DashboardError
from dashboard.filters import IncidentFilter
from dashboard.maps import MapChoice
from incidents.errors import IncidentsError

MAP_HEIGHT = 600

path = data.db_path()
try:
    table, stamp = data.incidents_table(path)
except IncidentsError as exc:
    st.title("Incident Atlas")
    st.error(str(exc))
    st.info("Start with `incident-atlas demo` (ingests the sample articles), or ingest "
            "articles on the **Ingest articles** page.")
    st.stop()
key = str(path)
first = panels.first_run()
if first:
    # what the widgets start at; they are drawn on the next run, once the map is drawn
    flt, choice = IncidentFilter(), MapChoice()
    st.sidebar.caption("The filters appear once the map is drawn.")
else:
    options = data.options(key, stamp)
    flt = sidebar.incident_filter(options, area=selection.area())
    choice = sidebar.map_choice()
frame = data.filtered(key, stamp, flt)

# The title, notes and figures sit above the map but are sent after it: the browser starts
# loading the map's frame (the longest part of a first visit) while they are drawn.
header = st.container()
try:
    tiles = offline.tile_source()
    tile_problem = None
except DashboardError as exc:
    tiles, tile_problem = None, str(exc)

left, right = st.columns([2.4, 1], gap="medium")
with left:
    layers, notes = data.rendered_layers(key, stamp, tiles, flt, choice)
    result = map_component.show(data.rendered_base(key, stamp, tiles), layers,
                                key=map_component.MAP_KEY, height=MAP_HEIGHT,
                                on_change=selection.area_from_map)
    if flt.area is not None:
        panels.area_note(flt.area)
    for note in notes:
        st.caption(note)
    selection.from_map(result, pd.Index(frame["incident_id"]))

with header:
    st.title("Incident Atlas", anchor=False)
    if missing := offline.missing_assets():
        st.error(f"The map's script files are missing from the install: {missing!r}; "
                 "reinstall Incident Atlas.")
    if table.empty:
        st.info("The store is empty: ingest articles on the **Ingest articles** page, or run "
                "`incident-atlas demo`.")
    if tile_problem:
        st.warning(tile_problem)
    panels.figures(frame, len(table))

# The chart is a picture with tooltips, cheap to send and draw, so it comes with the map; the table
# and the downloads wait for the map's first report (it comes once the map is drawn): the
# data grid's front-end code is heavy, and loading it first would hold the map back.
series = data.time_series(key, stamp, flt)
if len(series):
    st.html(charts.activity_html(series))

if not first:
    panels.incident_table(key, stamp, flt, len(frame))
    panels.downloads(key, stamp, flt, len(frame))
else:
    st.caption("The table of incidents and the downloads follow once the map is drawn.")

with right, st.container(height=MAP_HEIGHT + 40, border=False):
    panels.incident_panel(key, stamp)
