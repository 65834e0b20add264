"""Incident tables turned into the compact arrays the map layers draw.

Everything here is pure (DataFrames and numpy in, lists of numbers and escaped strings out)
and vectorised over incidents; Python loops run only over what is drawn (at most the marker
limit, grid cells or provinces), never over the whole table. The arrays are read by
``dashboard/static/atlas/atlas.js``. Every piece of text from the store passes through
``html.escape`` before it joins a tooltip, because Leaflet inserts tooltips as HTML.

Where an incident is drawn depends on how precisely its place is known (``geo_precision``):
1 is a filled symbol at its point; 2 is a hollow, dashed symbol with a circle of
``radius_km`` around it; 3 is not a point at all but its province (outline and a badge
counting such incidents), or a circle of ``radius_km`` when the province is unknown.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from dashboard.basemap import ProvinceShapes
from dashboard.filters import PRECISION_LABELS
from incidents.model import EVENT_TYPES


@dataclass(frozen=True, slots=True)
class EventStyle:
    """How an event type is drawn: a colour (CSS hex) and a symbol shape (see atlas.js)."""

    label: str
    color: str
    shape: str


#: One style per ACLED event family, in :data:`incidents.model.EVENT_TYPES` order, then
#: one for anything else. Colours are distinguishable for the common colour-vision
#: deficiencies together with the shapes.
EVENT_STYLES: tuple[EventStyle, ...] = (
    EventStyle("Battles", "#d62728", "circle"),
    EventStyle("Explosions/Remote violence", "#ff7f0e", "star"),
    EventStyle("Violence against civilians", "#7b3294", "triangle"),
    EventStyle("Strategic developments", "#1f78b4", "diamond"),
    EventStyle("Protests", "#33a02c", "square"),
    EventStyle("Riots", "#8c564b", "hexagon"),
    EventStyle("Other", "#6f6f6f", "circle"),
)
OTHER_TYPE = len(EVENT_STYLES) - 1

#: Weight of one incident in the heat layer by ``geo_precision``: the less we know where it
#: happened, the less it heats one spot.
PRECISION_HEAT_WEIGHT: dict[int, float] = {1: 1.0, 2: 0.5, 3: 0.25}

#: Where incidents are drawn (see :class:`Placement`).
UNMAPPED, POINT, APPROXIMATE, PROVINCE = 0, 1, 2, 3

#: Server-side cluster levels: (first zoom, last zoom, cell size in degrees).
GRID_LEVELS: tuple[tuple[int, int, float], ...] = (
    (0, 4, 4.0), (5, 6, 1.0), (7, 8, 0.25), (9, 11, 0.05), (12, 19, 0.01),
)

#: Choropleth colours by number of classes (ColorBrewer YlOrRd; fewer classes take colours
#: from the middle of the ramp so a lone class is not the darkest red).
CHOROPLETH_COLORS: dict[int, tuple[str, ...]] = {
    1: ("#fd8d3c",),
    2: ("#fecc5c", "#f03b20"),
    3: ("#fecc5c", "#fd8d3c", "#e31a1c"),
    4: ("#fed976", "#feb24c", "#fd8d3c", "#e31a1c"),
    5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
}

_ID_RE = re.compile(r"#([^\s#]+)")
_NUMBER = r"(-?\d+(?:\.\d+)?)"
_AREA_RE = re.compile(r"@area:" + ",".join([_NUMBER] * 4))

#: Decimals of a cluster's bounds (degrees; 1e-3 is about 110 m), rounded outwards.
AREA_DECIMALS = 3
_KM_PER_DEG = 111.32


def styles_payload() -> list[list[str]]:
    """``[colour, shape, escaped label]`` per type index, for atlas.js."""
    return [[s.color, s.shape, html.escape(s.label)] for s in EVENT_STYLES]


def type_index(event_types: pd.Series) -> np.ndarray:
    """Index into :data:`EVENT_STYLES` for each event type (unknown types: "Other")."""
    codes = pd.Categorical(event_types, categories=list(EVENT_TYPES)).codes.astype(np.int64)
    codes[codes < 0] = OTHER_TYPE
    return codes


def precision_codes(frame: pd.DataFrame) -> np.ndarray:
    """``geo_precision`` as ints, 3 (province or larger) where unknown."""
    return frame["geo_precision"].fillna(3).astype("int64").clip(1, 3).to_numpy()


@dataclass(frozen=True, slots=True)
class Placement:
    """Where each row of a table is drawn: ``kind`` (UNMAPPED, POINT, APPROXIMATE or
    PROVINCE), ``lat``/``lon`` (degrees; the province's label point for PROVINCE, NaN when
    unmapped) and ``province`` (the admin-1 code for PROVINCE rows, else None)."""

    kind: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    province: np.ndarray

    def count(self, kind: int) -> int:
        return int((self.kind == kind).sum())


def place_incidents(frame: pd.DataFrame, provinces: ProvinceShapes) -> Placement:
    """Decide how each incident is drawn from its precision, point and province."""
    precision = precision_codes(frame)
    # copies: the label points of province-level incidents are written into them
    lat = frame["latitude"].to_numpy(dtype=float, na_value=np.nan).copy()
    lon = frame["longitude"].to_numpy(dtype=float, na_value=np.nan).copy()
    has_point = np.isfinite(lat) & np.isfinite(lon)
    admin1 = frame["admin1_code"]
    known_province = admin1.isin(list(provinces.geometry)).to_numpy(dtype=bool, na_value=False)
    kind = np.full(len(frame), UNMAPPED, dtype=np.int8)
    kind[has_point & (precision == 1)] = POINT
    kind[has_point & (precision >= 2)] = APPROXIMATE
    kind[(precision == 3) & known_province] = PROVINCE
    province = np.full(len(frame), None, dtype=object)
    at = np.flatnonzero(kind == PROVINCE)
    if len(at):
        codes = admin1.iloc[at].to_numpy(dtype=object)
        names, which = np.unique(codes.astype(str), return_inverse=True)
        labels = np.array([provinces.label[code] for code in names], dtype=float)
        lat[at], lon[at] = labels[which, 0], labels[which, 1]
        province[at] = codes
    return Placement(kind=kind, lat=lat, lon=lon, province=province)


# -- text ----------------------------------------------------------------------------------


def _esc(values: pd.Series) -> list[str]:
    """Escaped text per row ('' for missing)."""
    return [html.escape(v) if isinstance(v, str) else "" for v in values.tolist()]


def date_labels(frame: pd.DataFrame) -> list[str]:
    """How each incident's date reads: a day, a range, and its precision when not a day."""
    start = frame["date_start"].dt.strftime("%Y-%m-%d")
    end = frame["date_end"].dt.strftime("%Y-%m-%d")
    text = start.where(end.isna() | (end == start), start + " – " + end)
    precision = frame["time_precision"].astype(object)
    vague = precision.notna() & (precision != "day")
    text = text.where(~vague, text + " (" + precision.astype(str) + ")")
    return text.fillna("date unknown").tolist()


def incident_tooltips(frame: pd.DataFrame, *, summary_chars: int = 140) -> list[str]:
    """One escaped HTML tooltip per incident: type, date, place and precision, deaths, id.

    The id is written as ``#<incident_id>`` so a click on the symbol can be traced back to
    the incident (see :func:`clicked_incident_ids`).
    """
    types = _esc(frame["event_type"])
    subs = _esc(frame["sub_event_type"])
    places = _esc(frame["location"])
    admin1 = _esc(frame["admin1"])
    summaries = [s if len(s) <= summary_chars else s[: summary_chars - 1].rstrip() + "…"
                 for s in frame["summary"].fillna("").astype(str).tolist()]
    precision = precision_codes(frame)
    radius = frame["radius_km"].to_numpy(dtype=float, na_value=np.nan)
    deaths = frame["fatalities"].fillna(0).astype("int64").to_numpy()
    ids = _esc(frame["incident_id"])
    out = []
    for i, label in enumerate(date_labels(frame)):
        place = places[i] or admin1[i] or "place unknown"
        if admin1[i] and admin1[i] != place:
            place += ", " + admin1[i]
        where = PRECISION_LABELS[int(precision[i])]
        if precision[i] >= 2 and np.isfinite(radius[i]) and radius[i] > 0:
            where += f", within {radius[i]:,.0f} km"
        lines = [f"<b>{types[i]}</b>" + (f" · {subs[i]}" if subs[i] else ""),
                 html.escape(label), f"{place} <i>({where})</i>"]
        if deaths[i]:
            lines.append(f"{deaths[i]:,} killed")
        if summaries[i]:
            lines.append(html.escape(summaries[i]))
        lines.append(f'<span class="atlas-id">#{ids[i]}</span>')
        out.append("<br>".join(lines))
    return out


def clicked_incident_ids(tooltip_text: str | None, known_ids: Iterable[str]) -> list[str]:
    """The incident ids named (as ``#<id>``) in the text of a clicked tooltip, known ones only.

    Parameters
    ----------
    tooltip_text
        The tooltip's text as streamlit-folium returns it (tags stripped).
    known_ids
        Ids of the incidents on the map; anything else in the text is ignored.
    """
    if not tooltip_text:
        return []
    known = known_ids if isinstance(known_ids, (set, frozenset, pd.Index)) else set(known_ids)
    found = [m for m in _ID_RE.findall(tooltip_text) if m in known]
    return list(dict.fromkeys(found))


Area = tuple[float, float, float, float]


def area_token(south: float, west: float, north: float, east: float) -> str:
    """``@area:S,W,N,E`` for a cluster's tooltip: a click on it names the area (degrees)."""
    return "@area:" + ",".join(f"{v:.{AREA_DECIMALS}f}" for v in (south, west, north, east))


def clicked_area(tooltip_text: str | None) -> Area | None:
    """The area (south, west, north, east; degrees) named by a clicked cluster's tooltip
    (``@area:S,W,N,E``), or None when the click was not on a server cluster."""
    found = _AREA_RE.search(tooltip_text or "")
    if not found:
        return None
    south, west, north, east = (float(v) for v in found.groups())
    if not (-90 <= south <= north <= 90 and -180 <= west <= east <= 180):
        return None
    return (south, west, north, east)


# -- single incidents ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MarkerPayload:
    """Single incidents for atlas.js: ``points`` ``[lat, lon, type, precision, tooltip]``;
    ``circles`` ``[lat, lon, radius m, type]`` for approximate places, one per distinct area."""

    points: list[list]
    circles: list[list]


def marker_payload(frame: pd.DataFrame, placement: Placement) -> MarkerPayload:
    """Symbols for the incidents drawn at a point (precision 1 and 2, or 3 without province)."""
    at_point = np.isin(placement.kind, (POINT, APPROXIMATE))
    rows = frame.loc[at_point]
    lat = np.round(placement.lat[at_point], 5)
    lon = np.round(placement.lon[at_point], 5)
    types = type_index(rows["event_type"])
    precision = np.where(placement.kind[at_point] == POINT, 1, 2)
    tips = incident_tooltips(rows)
    points = [[float(a), float(o), int(t), int(p), tip]
              for a, o, t, p, tip in zip(lat, lon, types, precision, tips)]
    radius = rows["radius_km"].to_numpy(dtype=float, na_value=np.nan)
    circled = (precision == 2) & np.isfinite(radius) & (radius > 0)
    # one circle per distinct area: UCDP's country-wide events share one point and radius,
    # and 254 stacked translucent circles of 500 km read as one opaque blob over the country
    distinct = dict.fromkeys(
        (float(a), float(o), round(float(r) * 1000.0), int(t))
        for a, o, r, t in zip(lat[circled], lon[circled], radius[circled], types[circled]))
    circles = [list(circle) for circle in distinct]
    return MarkerPayload(points=points, circles=circles)


@dataclass(frozen=True, slots=True)
class ProvinceBadges:
    """Incidents known only to their province: ``outlines`` (GeoJSON geometry texts) and
    ``badges`` ``[lat, lon, count, tooltip]``, one per province."""

    outlines: list[str]
    badges: list[list]


def province_badges(frame: pd.DataFrame, placement: Placement, provinces: ProvinceShapes,
                    *, listed: int = 8) -> ProvinceBadges:
    """One outline and one badge per province holding province-level incidents.

    The badge's tooltip names up to ``listed`` of them (newest first) with their ids, so a
    click opens them.
    """
    at = np.flatnonzero(placement.kind == PROVINCE)
    if not len(at):
        return ProvinceBadges([], [])
    names, which = np.unique(placement.province[at].astype(str), return_inverse=True)
    days = frame["date_start"].to_numpy(dtype="datetime64[ns]")[at]
    # newest first, undated last, within each province; provinces by their newest incident
    newest = np.where(np.isnat(days), np.iinfo(np.int64).max, -days.astype(np.int64))
    order = np.lexsort((newest, which))
    counts = np.bincount(which)
    firsts = np.r_[0, np.cumsum(counts)[:-1]]
    groups = np.argsort(newest[order[firsts]], kind="stable")
    shown = [at[order[firsts[g]:firsts[g] + min(int(counts[g]), listed)]] for g in groups]
    # the listed incidents of every province in one take (a take per province was most of
    # this function's time)
    rows = frame.iloc[np.concatenate(shown),
                      frame.columns.get_indexer(["incident_id", "event_type", "date_start"])]
    listed_lines = [
        f"{html.escape(str(event_type))} · {when} · "
        f'<span class="atlas-id">#{html.escape(str(incident_id))}</span>'
        for incident_id, event_type, when in zip(
            rows["incident_id"].tolist(), rows["event_type"].tolist(),
            rows["date_start"].dt.strftime("%Y-%m-%d").fillna("date unknown").tolist())
    ]
    outlines: list[str] = []
    badges: list[list] = []
    start = 0
    for group, picked in zip(groups, shown):
        code, n = str(names[group]), int(counts[group])
        lines = [f"<b>{n:,} incident{'s' if n != 1 else ''} known only to the province of "
                 f"{html.escape(provinces.name[code])}</b>",
                 '<span class="atlas-muted">drawn as the whole province, not a point</span>']
        lines += listed_lines[start:start + len(picked)]
        start += len(picked)
        if n > listed:
            lines.append(f'<span class="atlas-muted">and {n - listed:,} more: see the table'
                         "</span>")
        lat, lon = provinces.label[code]
        outlines.append(provinces.geometry[code])
        badges.append([lat, lon, n, "<br>".join(lines)])
    return ProvinceBadges(outlines=outlines, badges=badges)


# -- aggregates ----------------------------------------------------------------------------


def _cells(lat: np.ndarray, lon: np.ndarray, size_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Grid cell of each point (``size_deg`` squares): unique cell keys and each point's cell."""
    iy = np.floor((lat + 90.0) / size_deg).astype(np.int64)
    ix = np.floor((lon + 180.0) / size_deg).astype(np.int64)
    keys = iy * 1_000_000 + ix
    return np.unique(keys, return_inverse=True)


def grid_levels(lat: np.ndarray, lon: np.ndarray, fatalities: np.ndarray,
                types: np.ndarray, *, max_cells: int = 4000, top_types: int = 3) -> list[dict]:
    """Clusters computed on the server, one set per zoom band (see :data:`GRID_LEVELS`).

    Each cell is drawn at the mean of its incidents and carries the bounds of its
    incidents, so a click can zoom to them (and name them, see :func:`clicked_area`). A
    level with more than ``max_cells`` cells ends the list (the previous level then serves
    all deeper zooms), so the payload stays bounded whatever the number of incidents.

    Returns
    -------
    list of dict
        ``{"min_zoom", "max_zoom", "cell_km", "cells"}``; a cell is
        ``[lat, lon, count, fatalities, [south, west, north, east], [type, count], ...]``
        with its ``top_types`` types; bounds in degrees, rounded outwards to
        :data:`AREA_DECIMALS`.
    """
    ok = np.isfinite(lat) & np.isfinite(lon)
    lat, lon, fatalities, types = lat[ok], lon[ok], fatalities[ok], types[ok]
    levels: list[dict] = []
    if not len(lat):
        return levels
    n_types = len(EVENT_STYLES)
    for min_zoom, max_zoom, size in GRID_LEVELS:
        keys, cell = _cells(lat, lon, size)
        if levels and len(keys) > max_cells:
            break
        count = np.bincount(cell)
        mean_lat = np.bincount(cell, weights=lat) / count
        mean_lon = np.bincount(cell, weights=lon) / count
        deaths = np.bincount(cell, weights=fatalities)
        by_type = np.bincount(cell * n_types + types, minlength=len(keys) * n_types
                              ).reshape(len(keys), n_types)
        order = np.argsort(-by_type, axis=1, kind="stable")[:, :top_types]
        bounds = _cell_bounds(lat, lon, cell)
        # plain Python values first: indexing numpy arrays cell by cell was most of the time
        top = [[[t, n] for t, n in zip(ts, ns) if n > 0] for ts, ns in
               zip(order.tolist(), np.take_along_axis(by_type, order, axis=1).tolist())]
        cells = [[round(y, 4), round(x, 4), n, d, b, *t] for y, x, n, d, b, t in zip(
            mean_lat.tolist(), mean_lon.tolist(), count.tolist(),
            deaths.astype(np.int64).tolist(), bounds, top)]
        levels.append({"min_zoom": min_zoom, "max_zoom": max_zoom,
                       "cell_km": max(1, round(size * _KM_PER_DEG)), "cells": cells})
        if len(keys) > max_cells:
            break
    levels[-1]["max_zoom"] = GRID_LEVELS[-1][1]
    return levels


def _cell_bounds(lat: np.ndarray, lon: np.ndarray, cell: np.ndarray) -> list[list[float]]:
    """``[south, west, north, east]`` of the points of each cell (``cell``: 0..n-1 per
    point), rounded outwards to :data:`AREA_DECIMALS` so every point stays inside."""
    order = np.argsort(cell, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(cell[order]) != 0])
    scale = 10.0 ** AREA_DECIMALS
    lat, lon = lat[order], lon[order]
    south = np.floor(np.minimum.reduceat(lat, starts) * scale) / scale
    west = np.floor(np.minimum.reduceat(lon, starts) * scale) / scale
    north = np.ceil(np.maximum.reduceat(lat, starts) * scale) / scale
    east = np.ceil(np.maximum.reduceat(lon, starts) * scale) / scale
    return np.round(np.column_stack([south, west, north, east]), AREA_DECIMALS).tolist()


def heat_weights(frame: pd.DataFrame, *, weight: str) -> np.ndarray:
    """Heat weight per incident: 1 or its deaths (``weight`` "count" or "fatalities"),
    times :data:`PRECISION_HEAT_WEIGHT` of its precision."""
    if weight not in ("count", "fatalities"):
        raise ValueError(f"heat weight {weight!r} is not 'count' or 'fatalities'")
    base = (np.ones(len(frame)) if weight == "count"
            else frame["fatalities"].fillna(0).to_numpy(dtype=float))
    factor = np.vectorize(PRECISION_HEAT_WEIGHT.get, otypes=[float])(precision_codes(frame)) \
        if len(frame) else np.ones(0)
    return base * factor


def heat_points(lat: np.ndarray, lon: np.ndarray, weights: np.ndarray, *,
                max_points: int = 20_000, cell_deg: float = 0.02) -> tuple[list[list], float]:
    """Points ``[lat, lon, weight]`` for the heat layer, and the weight that reads as "hot".

    Above ``max_points`` incidents, weights are summed in grid cells (``cell_deg``, doubled
    until few enough) drawn at their weighted centre, so the layer stays bounded in size.
    The hot weight is the 98th percentile of the drawn weights (at least 1), so one large
    event does not wash out the rest.
    """
    ok = np.isfinite(lat) & np.isfinite(lon) & (weights > 0)
    lat, lon, weights = lat[ok], lon[ok], weights[ok]
    if not len(lat):
        return [], 1.0
    size = cell_deg
    while len(lat) > max_points:
        keys, cell = _cells(lat, lon, size)
        if len(keys) <= max_points:
            total = np.bincount(cell, weights=weights)
            lat = np.bincount(cell, weights=lat * weights) / total
            lon = np.bincount(cell, weights=lon * weights) / total
            weights = total
            break
        size *= 2
    hot = max(1.0, float(np.percentile(weights, 98)))
    points = np.column_stack([np.round(lat, 4), np.round(lon, 4), np.round(weights, 3)])
    return points.tolist(), round(hot, 3)


def province_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Incidents and deaths per admin-1 code (rows without a code are left out)."""
    known = frame.loc[frame["admin1_code"].notna()]
    return (known.groupby("admin1_code", sort=True)
            .agg(incidents=("incident_id", "size"), fatalities=("fatalities", "sum"))
            .astype("int64"))


def class_breaks(values: Sequence[float] | np.ndarray, *, classes: int = 5) -> list[float]:
    """Upper bounds of up to ``classes`` classes of ``values`` (quantiles, whole numbers).

    The last bound is the maximum, so every value falls in a class.
    """
    data = np.asarray(values, dtype=float)
    data = data[np.isfinite(data)]
    if not len(data):
        return [1.0]
    classes = min(classes, len(np.unique(data)))  # two provinces make two classes, not five
    bounds = np.unique(np.ceil(np.quantile(data, np.linspace(0, 1, classes + 1)[1:])))
    return [float(b) for b in bounds]


@dataclass(frozen=True, slots=True)
class Choropleth:
    """Provinces coloured by a total: ``geometries`` (JSON array text), ``props``
    ``[value, tooltip]`` per geometry, class ``breaks`` and ``colors``; ``missing`` counts
    incidents whose province has no shape."""

    geometries: str
    props: list[list]
    breaks: list[float]
    colors: list[str]
    missing: int


def choropleth(totals: pd.DataFrame, provinces: ProvinceShapes, *, metric: str) -> Choropleth:
    """Province shapes with their ``metric`` ("count" or "fatalities") for the period."""
    column = {"count": "incidents", "fatalities": "fatalities"}.get(metric)
    if column is None:
        raise ValueError(f"province metric {metric!r} is not 'count' or 'fatalities'")
    shaped = totals.loc[totals.index.isin(list(provinces.geometry))]
    missing = int(totals.loc[~totals.index.isin(list(provinces.geometry)), "incidents"].sum())
    values = shaped[column].to_numpy()
    breaks = class_breaks(values[values > 0]) if (values > 0).any() else [1.0]
    colors = list(CHOROPLETH_COLORS[len(breaks)])
    geometries, props = [], []
    for code, incidents, deaths in shaped[["incidents", "fatalities"]].itertuples():
        value = incidents if column == "incidents" else deaths
        tip = (f"<b>{html.escape(provinces.name[code])}</b> ({html.escape(code)})<br>"
               f"{incidents:,} incident{'s' if incidents != 1 else ''} · {deaths:,} killed")
        geometries.append(provinces.geometry[code])
        props.append([int(value), tip])
    return Choropleth(geometries="[" + ",".join(geometries) + "]", props=props,
                      breaks=breaks, colors=colors, missing=missing)


# -- time ----------------------------------------------------------------------------------


def period_start(days: pd.Series, unit: str) -> pd.Series:
    """The first day of the week (Monday) or month holding each day."""
    if unit == "week":
        return (days - pd.to_timedelta(days.dt.day_of_week, unit="D")).dt.normalize()
    if unit == "month":
        return days.dt.to_period("M").dt.start_time
    raise ValueError(f"time step {unit!r} is not 'week' or 'month'")


def next_period(starts: pd.Series, unit: str) -> pd.Series:
    """The day after the week or month starting on each of ``starts``."""
    if unit == "week":
        return starts + pd.Timedelta(days=7)
    return (starts.dt.to_period("M") + 1).dt.start_time


def _ms(values: pd.Series) -> np.ndarray:
    return values.astype("datetime64[ms]").astype("int64").to_numpy()


def timeline_payload(frame: pd.DataFrame, placement: Placement, *, unit: str,
                     max_items: int = 6000) -> dict:
    """Incidents through time for the play control, one ``unit`` ("week"/"month") a step.

    Each incident shows from the start of the period of its first day to the end of the
    period of its last. Above ``max_items`` incidents, they are counted per grid cell and
    starting period instead (cells doubled in size until few enough).

    Returns
    -------
    dict
        ``unit``, ``start``/``end`` (ms since 1970, UTC), ``steps``, ``items``
        (``[lat, lon, type, precision, start ms, end ms, count, tooltip]``) and ``undated``
        (incidents left out for want of a date or a place).
    """
    drawn = (placement.kind != UNMAPPED) & frame["date_start"].notna().to_numpy(bool)
    rows = frame.loc[drawn]
    undated = int(len(frame) - drawn.sum())
    if rows.empty:
        return {"unit": unit, "start": 0, "end": 0, "steps": 1, "items": [], "undated": undated}
    lat, lon = placement.lat[drawn], placement.lon[drawn]
    first = period_start(rows["date_start"], unit)
    last = next_period(period_start(rows["date_end"].fillna(rows["date_start"]), unit), unit)
    types = type_index(rows["event_type"])
    precision = np.minimum(placement.kind[drawn], 3).astype(int)
    if len(rows) <= max_items:
        tips = incident_tooltips(rows)
        items = [[round(float(a), 5), round(float(o), 5), int(t), int(p), int(s), int(e), 1, tip]
                 for a, o, t, p, s, e, tip in zip(lat, lon, types, precision, _ms(first),
                                                   _ms(last), tips)]
    else:
        items = _timeline_cells(rows, lat, lon, types, first, unit, max_items)
    start = int(_ms(first).min())
    end = int(_ms(last).max())
    step_ms = 7 * 86_400_000 if unit == "week" else 30.44 * 86_400_000
    steps = max(1, round((end - start) / step_ms))
    return {"unit": unit, "start": start, "end": end, "steps": steps, "items": items,
            "undated": undated}


def _timeline_cells(rows: pd.DataFrame, lat: np.ndarray, lon: np.ndarray, types: np.ndarray,
                    first: pd.Series, unit: str, max_items: int) -> list[list]:
    """Incidents counted per (grid cell, starting period), bounded by ``max_items``."""
    period = _ms(first)
    deaths = rows["fatalities"].fillna(0).to_numpy(dtype=float)
    size = 0.1
    while True:
        _, cell = _cells(lat, lon, size)
        keys, group = np.unique(np.column_stack([cell, period]), axis=0, return_inverse=True)
        if len(keys) <= max_items:
            break
        size *= 2
    group = group.ravel()
    count = np.bincount(group)
    mean_lat = np.bincount(group, weights=lat) / count
    mean_lon = np.bincount(group, weights=lon) / count
    killed = np.bincount(group, weights=deaths)
    n_types = len(EVENT_STYLES)
    dominant = np.bincount(group * n_types + types, minlength=len(keys) * n_types
                           ).reshape(len(keys), n_types).argmax(axis=1)
    starts = pd.Series(pd.to_datetime(keys[:, 1], unit="ms"))
    ends = _ms(next_period(starts, unit))
    labels = starts.dt.strftime("%Y-%m-%d" if unit == "week" else "%B %Y").tolist()
    km = max(1, round(size * _KM_PER_DEG))
    items = []
    for i in range(len(keys)):
        tip = (f"<b>{int(count[i]):,} incident{'s' if count[i] != 1 else ''}</b> · "
               f"{int(killed[i]):,} killed<br>{'week of ' if unit == 'week' else ''}"
               f"{labels[i]}, cell of about {km} km")
        items.append([round(float(mean_lat[i]), 4), round(float(mean_lon[i]), 4),
                      int(dominant[i]), 1, int(keys[i, 1]), int(ends[i]), int(count[i]), tip])
    return items


#: Longest date span (days) of an incident the chart over time draws (a month).
CHART_LONGEST_DAYS = 31


def time_series(frame: pd.DataFrame, *, unit: str | None = None,
                since: pd.Timestamp | None = None) -> pd.DataFrame:
    """Incidents and deaths per week or month (by first day) for the chart.

    ``unit`` defaults to weeks for spans up to a year, months beyond. Periods without
    incidents are present with zeros so the chart does not bridge gaps. An incident dated
    only to a span longer than :data:`CHART_LONGEST_DAYS` (UCDP's year totals: one row of
    8,179 deaths over 2016) is left out: drawn at its first day it would be a spike that
    never happened. An incident that began before ``since`` (the filter's first day) is
    drawn at ``since``.

    Returns
    -------
    pandas.DataFrame
        Columns ``period`` (first day, datetime64), ``incidents``, ``fatalities``; attributes
        ``attrs["unit"]`` and ``attrs["left_out"]``: (incidents, deaths) left out.
    """
    dated = frame.loc[frame["date_start"].notna(), ["date_start", "fatalities"]]
    end = frame.loc[dated.index, "date_end"] if "date_end" in frame.columns else dated["date_start"]
    long = (end - dated["date_start"]) > pd.Timedelta(days=CHART_LONGEST_DAYS)
    left_out = (int(long.sum()), int(dated.loc[long, "fatalities"].sum()))
    dated = dated.loc[~long, ["date_start", "fatalities"]]
    if since is not None:
        dated["date_start"] = dated["date_start"].clip(lower=pd.Timestamp(since))
    if dated.empty:
        out = pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"),
                            "incidents": pd.Series(dtype="int64"),
                            "fatalities": pd.Series(dtype="int64")})
        out.attrs["unit"] = unit or "month"
        out.attrs["left_out"] = left_out
        return out
    if unit is None:
        span = dated["date_start"].max() - dated["date_start"].min()
        unit = "week" if span <= pd.Timedelta(days=366) else "month"
    starts = period_start(dated["date_start"], unit)
    grouped = dated.assign(period=starts).groupby("period").agg(
        incidents=("date_start", "size"), fatalities=("fatalities", "sum"))
    freq = "W-MON" if unit == "week" else "MS"
    full = pd.date_range(grouped.index.min(), grouped.index.max(), freq=freq)
    out = grouped.reindex(full, fill_value=0).rename_axis("period").reset_index()
    out[["incidents", "fatalities"]] = out[["incidents", "fatalities"]].astype("int64")
    out.attrs["unit"] = unit
    out.attrs["left_out"] = left_out
    return out
