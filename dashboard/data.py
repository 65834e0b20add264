"""Every read the dashboard makes, cached: the store, the incident table, shapes, payloads.

The one place that talks to the store. The whole incident table is loaded once per *store
version* (the modification stamp of the SQLite file and its write-ahead log) and kept with
``st.cache_resource`` (shared, never copied: callers must not change it; filtering makes new
frames). When an ingest writes to the store its stamp changes and the next rerun reloads.

Reading 200,000 incidents out of SQLite takes seconds, so the loaded table is also kept as a
Parquet *snapshot* in ``<cache>/dashboard/``, named after the store and its version: a
restarted server whose store has not changed reads the snapshot instead (a fraction of a
second). A snapshot that cannot be read is ignored and rebuilt.

Only the columns the page shows are loaded (:data:`MAP_COLUMNS`, a third of the store's;
the downloads read every column from the store when a button is clicked). The rows passing a
filter are kept per (store version, filter) with ``st.cache_resource`` (shared, read-only), and
the map's text (its rendered base per store version and tiles, its layers per filter and map
choice), the chart series and the table rows are cached, so a rerun that changes neither (a
click on the map, a table selection) costs next to nothing.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import basemap, map_component, map_data, maps
from dashboard.basemap import BaseLayers, ProvinceShapes
from dashboard.filters import (
    FilterOptions,
    IncidentFilter,
    apply_filter,
    filter_options,
    prepare_frame,
)
from dashboard.offline import TileSource
from gazetteer import settings
from incidents.model import Article, Incident
from incidents.store import IncidentStore

#: Environment variable naming the store (set by ``incident-atlas serve``).
DB_ENV = "INCIDENT_ATLAS_DB"

#: Columns of the incident table shown on the page (all columns are exported).
TABLE_COLUMNS: tuple[str, ...] = (
    "date_start", "event_type", "sub_event_type", "actor1", "actor2", "location", "admin1",
    "country", "geo_precision", "fatalities", "summary", "incident_id",
)
#: At most this many rows are sent to the table on the page (newest first).
TABLE_ROWS = 1000
#: Summaries longer than this are cut (at a word) in the table: a cell shows about this much,
#: the source panel shows the whole, and the table is sent again on every filter change.
TABLE_SUMMARY_CHARS = 160

#: Columns of the store the page loads: filters, map layers, figures, chart and table.
MAP_COLUMNS: tuple[str, ...] = (
    "incident_id", "event_type", "sub_event_type", "actor1", "actor2", "location",
    "latitude", "longitude", "geo_precision", "radius_km", "country", "admin1", "admin1_code",
    "date_start", "date_end", "time_precision", "summary", "fatalities",
)

StoreStamp = tuple[int, int, int, int]


def db_path() -> Path:
    """The store the dashboard shows: ``$INCIDENT_ATLAS_DB`` or the default path."""
    return settings.default_db_path()


def store_stamp(path: Path) -> StoreStamp:
    """Changes whenever the store is written: (mtime ns, size) of the file and its WAL.

    An empty write-ahead log counts as none: a read-only connection creates one without
    changing anything, and that must not look like a new version.
    """
    stamp: list[int] = []
    for candidate in (path, path.with_name(path.name + "-wal")):
        try:
            info = os.stat(candidate)
        except FileNotFoundError:
            stamp += [0, 0]
            continue
        stamp += [info.st_mtime_ns, info.st_size] if info.st_size else [0, 0]
    return (stamp[0], stamp[1], stamp[2], stamp[3])


@st.cache_resource(max_entries=4, show_spinner=False)
def open_store(path: str) -> IncidentStore:
    """The store at ``path``, read-only, shared by every session (calls are serialised)."""
    return IncidentStore(path, readonly=True)


#: Bump when :func:`prepare_frame` or the columns loaded change: old snapshots are ignored.
SNAPSHOT_FORMAT = 2
#: Snapshots kept in the cache folder (the most recently written; one per store).
SNAPSHOTS_KEPT = 8


def snapshot_dir() -> Path:
    """Folder of the table snapshots (``<cache>/dashboard``)."""
    return settings.cache_dir() / "dashboard"


def snapshot_path(path: str, stamp: StoreStamp) -> Path:
    """Where the Parquet snapshot of the store ``path`` at version ``stamp`` lives."""
    store_key = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:16]
    version = hashlib.sha256(repr((stamp, SNAPSHOT_FORMAT)).encode()).hexdigest()[:16]
    return snapshot_dir() / f"{store_key}-{version}.parquet"


def _read_snapshot(target: Path) -> pd.DataFrame | None:
    try:
        return pd.read_parquet(target)
    except (OSError, ValueError, ImportError):
        return None


def _write_snapshot(frame: pd.DataFrame, target: Path) -> None:
    """Write atomically and drop the store's older snapshots (a cache: failures are ignored)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        frame.to_parquet(partial, index=False)
        partial.replace(target)
        for old in target.parent.glob(target.name.split("-")[0] + "-*.parquet"):
            if old != target:
                old.unlink(missing_ok=True)
        others = sorted(target.parent.glob("*.parquet"), key=lambda p: p.stat().st_mtime,
                        reverse=True)
        for old in others[SNAPSHOTS_KEPT:]:
            old.unlink(missing_ok=True)
    except (OSError, ValueError, ImportError):
        return


@st.cache_resource(max_entries=2, show_spinner="Loading incidents…")
def _table(path: str, stamp: StoreStamp) -> pd.DataFrame:
    target = snapshot_path(path, stamp)
    if target.is_file():
        frame = _read_snapshot(target)
        if frame is not None:
            return frame
    frame = prepare_frame(open_store(path).incidents_frame(columns=MAP_COLUMNS))
    _write_snapshot(frame, target)
    return frame


def incidents_table(path: Path | None = None) -> tuple[pd.DataFrame, StoreStamp]:
    """The whole incident table (prepared for filtering) and the store version it is of.

    Raises
    ------
    StoreError
        No store at the path, or one this code cannot read.
    """
    path = path or db_path()
    stamp = store_stamp(path)
    return _table(str(path), stamp), stamp


@st.cache_resource(max_entries=4, show_spinner=False)
def province_shapes(countries: tuple[str, ...]) -> ProvinceShapes:
    """Simplified provinces of ``countries`` (cached per set of countries)."""
    return basemap.province_shapes(countries)


@st.cache_resource(max_entries=1, show_spinner=False)
def _province_names() -> dict[str, str]:
    from geo.boundaries import admin1_areas, area_names

    areas = admin1_areas()
    return dict(zip(areas["admin1_code"], area_names(areas).astype(str)))


def _country_names() -> dict[str, str]:
    from geo.boundaries import load_admin0

    admin0 = load_admin0()
    return dict(zip(admin0["country"], admin0["country_name"].astype(str)))


def store_countries(frame: pd.DataFrame) -> tuple[str, ...]:
    """Countries (ISO alpha-2) present in the table, sorted."""
    return tuple(sorted(frame["country"].dropna().astype(str).unique()))


@st.cache_resource(max_entries=2, show_spinner=False)
def base_layers(path: str, stamp: StoreStamp) -> BaseLayers:
    """The offline base for the whole store (not the filter, so the map keeps its place)."""
    frame = _table(path, stamp)
    bounds = basemap.data_bounds(frame["latitude"].to_numpy(dtype=float, na_value=float("nan")),
                                 frame["longitude"].to_numpy(dtype=float,
                                                             na_value=float("nan")))
    return basemap.base_layers(province_shapes(store_countries(frame)), bounds)


@st.cache_resource(max_entries=2, show_spinner=False)
def options(path: str, stamp: StoreStamp) -> FilterOptions:
    """What the sidebar offers for this store version."""
    return filter_options(_table(path, stamp), _province_names(), country_names=_country_names())


@st.cache_resource(max_entries=6, show_spinner=False)
def _filtered(path: str, stamp: StoreStamp, flt: IncidentFilter) -> pd.DataFrame:
    # the searched words may be in an article's text, which the table does not hold
    cited = open_store(path).incident_ids_citing(flt.text.strip()) if flt.text.strip() else frozenset()
    return apply_filter(_table(path, stamp), flt, cited=cited)


def filtered(path: str, stamp: StoreStamp, flt: IncidentFilter) -> pd.DataFrame:
    """The incidents passing ``flt``, kept per filter (shared: callers must not change it).

    Its index holds the rows' positions in the whole table.
    """
    return _filtered(path, stamp, flt)


@st.cache_resource(max_entries=2, show_spinner=False)
def _newest_first(path: str, stamp: StoreStamp) -> np.ndarray:
    """Positions of the table's rows, newest first (then by id; undated last)."""
    table = _table(path, stamp)
    order = table[["date_start", "incident_id"]].reset_index(drop=True).sort_values(
        ["date_start", "incident_id"], ascending=[False, True], na_position="last",
        kind="stable").index.to_numpy()
    order.flags.writeable = False
    return order


@st.cache_resource(max_entries=4, show_spinner=False)
def rendered_base(path: str, stamp: StoreStamp,
                  tiles: TileSource | None) -> map_component.RenderedBase:
    """The map that stays (Leaflet, tiles, offline base) as the component's text."""
    return map_component.render_base(maps.base_map(base_layers(path, stamp), tiles=tiles),
                                     key=map_component.MAP_KEY)


@st.cache_data(max_entries=16, show_spinner=False)
def layer_payloads(path: str, stamp: StoreStamp, flt: IncidentFilter,
                   choice: maps.MapChoice) -> maps.LayerPayloads:
    """The map's data layers for a filter and a choice of layers."""
    frame = filtered(path, stamp, flt)
    return maps.layer_payloads(frame, provinces=province_shapes(
        store_countries(_table(path, stamp))), choice=choice)


@st.cache_data(max_entries=16, show_spinner=False)
def rendered_layers(path: str, stamp: StoreStamp, tiles: TileSource | None,
                    flt: IncidentFilter, choice: maps.MapChoice
                    ) -> tuple[map_component.RenderedLayers, tuple[str, ...]]:
    """The data layers and layer control as the component's text, and the notes to show
    beside the map."""
    payloads = layer_payloads(path, stamp, flt, choice)
    layers = maps.feature_groups(payloads)
    # a fresh, unrendered base named as rendered_base's was, for the control to refer to
    fmap = maps.base_map(base_layers(path, stamp), tiles=tiles)
    maps.name_as_rendered(fmap)
    return map_component.render_layers(fmap, layers.groups, layers.control), payloads.notes


@st.cache_data(max_entries=16, show_spinner=False)
def time_series(path: str, stamp: StoreStamp, flt: IncidentFilter) -> pd.DataFrame:
    """Incidents and deaths per week or month for the filtered incidents, from the filter's
    first day."""
    since = pd.Timestamp(flt.date_from) if flt.date_from is not None else None
    return map_data.time_series(filtered(path, stamp, flt), since=since)


@st.cache_data(max_entries=16, show_spinner=False)
def table_rows(path: str, stamp: StoreStamp, flt: IncidentFilter,
               limit: int = TABLE_ROWS) -> pd.DataFrame:
    """The newest ``limit`` filtered incidents, with the columns shown on the page."""
    table = _table(path, stamp)
    order = _newest_first(path, stamp)
    if flt.is_empty():
        picked = order[:limit]
    else:
        keep = np.zeros(len(table), dtype=bool)
        keep[filtered(path, stamp, flt).index.to_numpy()] = True
        picked = order[keep[order]][:limit]
    rows = table[list(TABLE_COLUMNS)].take(picked).reset_index(drop=True)
    text = [c for c in TABLE_COLUMNS if c not in ("date_start", "geo_precision", "fatalities")]
    rows[text] = rows[text].fillna("")
    rows["summary"] = shorten(rows["summary"], TABLE_SUMMARY_CHARS)
    return rows


def shorten(texts: pd.Series, limit: int) -> pd.Series:
    """Each text cut to at most ``limit`` characters, at the last space before the limit
    when there is one, with "…" added where it was cut."""
    long = texts.str.len() > limit
    if not long.any():
        return texts
    cut = texts[long].str.slice(0, limit - 1)
    at_word = cut.str.rsplit(" ", n=1).str[0].where(cut.str.contains(" ", regex=False), cut)
    return texts.mask(long, at_word.str.rstrip(" ,;:") + "…")


def export_frame(path: str, stamp: StoreStamp, flt: IncidentFilter) -> pd.DataFrame:
    """The filtered incidents with every stored column, read from the store (for the export
    functions; called when a download button is clicked)."""
    wanted = filtered(path, stamp, flt)["incident_id"]
    rows = open_store(path).incidents_frame(**flt.store_options())
    return rows.loc[rows["incident_id"].isin(wanted)].reset_index(drop=True)


@st.cache_data(max_entries=64, show_spinner=False)
def incident_detail(path: str, stamp: StoreStamp, incident_id: str
                    ) -> tuple[Incident, list[Article]]:
    """One incident's full record and the articles that report it.

    Raises
    ------
    IncidentNotFound
        No incident has this id.
    """
    store = open_store(path)
    return store.get_incident(incident_id), store.articles_for(incident_id)


@st.cache_data(max_entries=64, show_spinner=False)
def edit_history(path: str, stamp: StoreStamp, incident_id: str) -> pd.DataFrame:
    """One incident's analyst changes (the store's audit log), oldest first."""
    return open_store(path).audit_log(incident_id)


@st.cache_resource(max_entries=2, show_spinner=False)
def countries(path: str, stamp: StoreStamp) -> tuple[str, ...]:
    """Countries (ISO alpha-2) of the store's incidents, sorted."""
    return store_countries(_table(path, stamp))


@st.cache_resource(max_entries=8, show_spinner=False)
def province_choices(country_codes: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """Provinces of the bundled boundaries in ``country_codes``, sorted by name:
    admin-1 code -> (English name as the spatial join gives it, country code)."""
    from geo.boundaries import admin1_areas, area_names

    areas = admin1_areas()
    areas = areas.loc[areas["country"].isin(country_codes)]
    names = area_names(areas).astype(str)
    picked = pd.DataFrame({"code": areas["admin1_code"].astype(str), "name": names,
                           "country": areas["country"].astype(str)}).sort_values(["name", "code"])
    return {row.code: (row.name, row.country) for row in picked.itertuples(index=False)}


def forget_store() -> None:
    """Drop everything cached about stores (after this process wrote to one)."""
    _table.clear()
    _filtered.clear()
    _newest_first.clear()
    base_layers.clear()
    options.clear()
    rendered_base.clear()
    rendered_layers.clear()
    layer_payloads.clear()
    time_series.clear()
    table_rows.clear()
    incident_detail.clear()
    edit_history.clear()
    countries.clear()
