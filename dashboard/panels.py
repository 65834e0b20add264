"""Parts of the map page drawn with Streamlit: figures, the source panel, table and downloads."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from dashboard import correction_form, data, exports, map_data, selection, source_view
from dashboard.filters import PRECISION_LABELS, IncidentFilter
from incidents.store import IncidentNotFound


#: Session key set by the page's first run (see :func:`first_run`).
PAGE_DRAWN = "atlas_page_drawn"


def first_run() -> bool:
    """True on a session's first run of the map page, False on every later one.

    The first run draws the figures, the map and the chart (plain SVG) only: the filters
    (which then hold their defaults anyway), the table and the downloads come on the next
    run, which the map's first report causes once it is drawn. Their front-end code is heavy
    (widgets, the data grid) and would otherwise load before the map's frame.
    """
    first = not st.session_state.get(PAGE_DRAWN)
    st.session_state[PAGE_DRAWN] = True
    return first


def area_note(area: tuple[float, float, float, float]) -> None:
    """Say that the page shows one clicked cluster's area, with a button back to all."""
    south, west, north, east = area
    text, back = st.columns([3, 1], vertical_alignment="center")
    text.caption(f"Showing the incidents of the cluster clicked on the map: latitude "
                 f"{south:.3f} to {north:.3f}, longitude {west:.3f} to {east:.3f}. The "
                 "figures, chart, table and downloads show them too.")
    back.button("Show all areas", key="map_area_clear", on_click=selection.clear_area,
                icon=":material/zoom_out_map:")


def figures(frame: pd.DataFrame, total: int) -> None:
    """Four numbers over the map: incidents, people killed, provinces, date span."""
    a, b, c, d = st.columns([1, 1, 1, 1.7])
    a.metric("Incidents", f"{len(frame):,}",
             help=f"of {total:,} in the store" if len(frame) != total else "all in the store")
    b.metric("People killed", f"{int(frame['fatalities'].fillna(0).sum()):,}",
             help="best estimates (ACLED 'fatalities')")
    c.metric("Provinces", f"{frame['admin1_code'].nunique():,}")
    starts = frame["date_start"].dropna()
    last = frame["date_end"].fillna(frame["date_start"]).max()
    span = f"{starts.min():%b %Y} – {last:%b %Y}" if len(starts) else "—"
    d.metric("Dates", span)
    long = (frame["date_end"] - frame["date_start"]) > pd.Timedelta(days=map_data.CHART_LONGEST_DAYS)
    if long.any():
        killed = int(frame.loc[long, "fatalities"].fillna(0).sum())
        st.caption(f"Of these, {int(long.sum()):,} incident{'s' if long.sum() != 1 else ''} "
                   f"({killed:,} killed) {'are' if long.sum() != 1 else 'is'} dated only to a "
                   "span longer than a month (such as a year's total): counted whenever that "
                   "span overlaps the dates chosen, and left out of the chart over time.")


def incident_panel(path: str, stamp: data.StoreStamp) -> None:
    """The selected incident's record, its edit history, the form to correct it, and the
    full text of its articles, evidence marked."""
    incident_id = selection.selected()
    candidates = st.session_state.get(selection.CANDIDATES) or []
    if not incident_id:
        st.markdown("**Read the source**")
        st.caption("Click a symbol on the map, or a row of the table, to see the incident's "
                   "record and the articles that report it, with the words each field was "
                   "read from highlighted.")
        return
    if len(candidates) > 1:
        choice = st.selectbox(f"{len(candidates)} incidents at this place", candidates,
                              index=candidates.index(incident_id)
                              if incident_id in candidates else 0, key="panel_candidate")
        if choice != incident_id:
            selection.select(choice, candidates=candidates)
            incident_id = choice
    try:
        incident, articles = data.incident_detail(path, stamp, incident_id)
    except IncidentNotFound:
        st.warning(f"Incident {incident_id!r} is not in this store.")
        if st.button("Close"):
            selection.select(None)
            st.rerun()
        return
    head, close = st.columns([5, 1])
    head.markdown(f"**{incident.event_type}**"
                  + (f" · {incident.sub_event_type}" if incident.sub_event_type else ""))
    if close.button("✕", key="panel_close", help="Close the panel"):
        selection.select(None)
        st.rerun()
    st.html(source_view.STYLE + source_view.record_html(incident))
    correction_form.history(path, stamp, incident_id)
    correction_form.form(path, stamp, incident)
    correction_form.merge_form(path, stamp, incident)
    if not articles:
        st.caption("No article text is stored for this incident"
                   + (f" (source: {incident.source})." if incident.source else "."))
        return
    st.markdown(f"**{len(articles)} article{'s' if len(articles) != 1 else ''} reporting it**")
    st.html(source_view.STYLE + source_view.roles_legend())
    skipped = 0
    for position, article in enumerate(articles):
        body, missed = source_view.article_html(article, incident.evidence, first=position == 0)
        skipped += missed
        st.html(source_view.STYLE + body)
    if skipped:
        st.caption(f"{skipped} evidence span{'s' if skipped != 1 else ''} could not be placed "
                   "in the stored text and are not highlighted.")


def incident_table(path: str, stamp: data.StoreStamp, flt: IncidentFilter, total: int) -> None:
    """The filtered incidents, newest first, with row selection opening the source panel."""
    rows = data.table_rows(path, stamp, flt)
    shown = "all" if len(rows) == total else f"the newest {len(rows):,} of {total:,}"
    st.caption(f"Showing {shown} filtered incidents; select a row to read its source. The "
               "downloads hold every filtered incident.")
    view = rows.assign(geo_precision=rows["geo_precision"].map(
        lambda p: PRECISION_LABELS.get(int(p), "") if pd.notna(p) else ""))
    state = st.dataframe(
        view, key="atlas_table", on_select="rerun", selection_mode="single-row",
        hide_index=True, height=320,
        column_config={
            "date_start": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "event_type": "Event type",
            "sub_event_type": "Sub-type",
            "actor1": "Actor 1",
            "actor2": "Actor 2",
            "location": "Place",
            "admin1": "Province",
            "country": "Country",
            "geo_precision": "Place precision",
            "fatalities": st.column_config.NumberColumn("Killed", format="%d"),
            "summary": st.column_config.TextColumn("Summary", width="large"),
            "incident_id": "Id",
        })
    selection.from_table(state, rows)


def downloads(path: str, stamp: data.StoreStamp, flt: IncidentFilter, count: int) -> None:
    """One download button per export format, for the filtered incidents (every column,
    read from the store when a button is clicked)."""
    rows = functools.partial(data.export_frame, path, stamp, flt)
    store = data.open_store(path)
    columns = st.columns(len(exports.EXPORT_FORMATS) + 1)
    columns[0].markdown(f"**Download {count:,} incidents**")
    for column, fmt in zip(columns[1:], exports.EXPORT_FORMATS):
        column.download_button(
            fmt.label, data=exports.deferred(rows, fmt, store=store),
            file_name=exports.file_name(fmt, flt), mime=fmt.mime, on_click="ignore",
            key=f"download_{fmt.name}", disabled=count == 0, icon=":material/download:")
