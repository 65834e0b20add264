"""Incident counts and casualty totals per admin-1 area or grid cell, per period.

Both functions take a flat incident frame (the columns of
:data:`incidents.model.ROW_COLUMNS`, or any frame with the few columns they use) and return
GeoDataFrames in EPSG:4326 that a map draws directly: one row per area (or cell) and period.
Grouping is done on integer keys with ``numpy.bincount``, without Python loops over rows.
"""

from __future__ import annotations

from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.boundaries import admin1_areas, area_names

Freq = Literal["day", "week", "month"]
FREQS: tuple[str, ...] = ("day", "week", "month")

#: Totals summed per group (best estimates; a missing count adds 0).
COUNT_COLUMNS: tuple[str, ...] = ("killed_best", "injured_best", "arrested_best")

GRID_METHODS: tuple[str, ...] = ("h3", "square")


def _check_freq(freq: str | None) -> None:
    if freq is not None and freq not in FREQS:
        raise ValueError(f"freq must be one of {FREQS!r} or None, got {freq!r}")


def _require(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{what} needs columns {missing!r}, which the frame lacks (it has "
            f"{list(frame.columns)!r}); pass incident rows (incidents.model.ROW_COLUMNS)"
        )


def _day_numbers(dates: pd.Series | np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 (int64) of each date; missing or unparsable dates give -2**63."""
    values = np.asarray(dates)
    if not np.issubdtype(values.dtype, np.datetime64):
        values = pd.to_datetime(pd.Series(dates), errors="coerce").to_numpy()
    return values.astype("datetime64[D]").view(np.int64)


_NAT = np.iinfo(np.int64).min


def _month_numbers(days: np.ndarray) -> np.ndarray:
    """Months since January 1970 of day numbers (integer civil-calendar arithmetic).

    Same result as ``astype("datetime64[M]")`` at a third of the cost (H. Hinnant's
    ``civil_from_days``).
    """
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return (year - 1970) * 12 + month - 1


def _period_numbers(dates: pd.Series | np.ndarray, freq: Freq) -> np.ndarray:
    """Day, Monday-week or month number since 1970 of each date (``_NAT`` when missing)."""
    days = _day_numbers(dates)
    missing = days == _NAT
    if freq == "month":
        number = _month_numbers(np.where(missing, 0, days))
    elif freq == "week":
        # 1970-01-01 was a Thursday: shift by 3 so that weeks start on Monday
        number = (days + 3) // 7
    else:
        number = days.copy()
    number[missing] = _NAT
    return number


def _period_starts(numbers: np.ndarray, freq: Freq) -> np.ndarray:
    """First day (datetime64[ns]) of the periods numbered by :func:`_period_numbers`."""
    if freq == "month":
        return numbers.astype("datetime64[M]").astype("datetime64[ns]")
    if freq == "week":
        return (numbers * 7 - 3).astype("datetime64[D]").astype("datetime64[ns]")
    return numbers.astype("datetime64[D]").astype("datetime64[ns]")


def period_start(dates: pd.Series | np.ndarray, freq: Freq) -> np.ndarray:
    """First day (datetime64[ns]) of the day, ISO week (Monday) or month of each date.

    Missing or unparsable dates give NaT.
    """
    _check_freq(freq)
    numbers = _period_numbers(dates, freq)
    starts = _period_starts(np.where(numbers == _NAT, 0, numbers), freq)
    starts[numbers == _NAT] = np.datetime64("NaT")
    return starts


def _counts(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each count column as float with missing values as 0 (absent columns are all 0)."""
    result = {}
    for column in COUNT_COLUMNS:
        if column in frame.columns:
            values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
            result[column] = np.nan_to_num(values, nan=0.0)
        else:
            result[column] = np.zeros(len(frame))
    return result


def _group_sums(keys: list[np.ndarray], counts: dict[str, np.ndarray]) -> pd.DataFrame:
    """Incident count and summed counts per distinct combination of integer ``keys``.

    Keys are non-negative. When their combined range is small (admin-1 x month) groups are
    the non-empty bins of ``numpy.bincount``; otherwise the combined key is hashed
    (``pandas.factorize``). Either way no sort of the rows is needed.
    """
    sizes = [int(key.max()) + 1 if len(key) else 1 for key in keys]
    combined = np.zeros(len(keys[0]), dtype=np.int64)
    for key, size in zip(keys, sizes, strict=True):
        combined = combined * size + key
    span = int(np.prod(sizes, dtype=np.float64))
    if span <= max(4 * len(combined), 1_000_000):
        incidents = np.bincount(combined, minlength=span)
        groups = np.flatnonzero(incidents)
        sums = {c: np.bincount(combined, weights=v, minlength=span)[groups]
                for c, v in counts.items()}
        incidents = incidents[groups]
    else:
        inverse, groups = pd.factorize(combined)
        incidents = np.bincount(inverse, minlength=len(groups))
        sums = {c: np.bincount(inverse, weights=v, minlength=len(groups))
                for c, v in counts.items()}
    table = {}
    rest = np.asarray(groups, dtype=np.int64)
    for i in reversed(range(len(keys))):
        rest, table[f"key{i}"] = np.divmod(rest, sizes[i])
    table["incidents"] = incidents
    for column, values in sums.items():
        table[column] = np.rint(values).astype(np.int64)
    return pd.DataFrame(table)


def _periods(frame: pd.DataFrame, freq: Freq | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep mask, period key (0-based) and the first day of period key 0, 1, 2, ..."""
    if freq is None:
        return np.ones(len(frame), dtype=bool), np.zeros(len(frame), np.int64), np.empty(0)
    numbers = _period_numbers(frame["date_start"], freq)
    dated = numbers != _NAT
    first = int(numbers[dated].min()) if dated.any() else 0
    last = int(numbers[dated].max()) if dated.any() else 0
    key = np.where(dated, numbers - first, 0)
    return dated, key, _period_starts(np.arange(first, last + 1), freq)


def aggregate_admin1(frame: pd.DataFrame, *, freq: Freq | None = "month") -> gpd.GeoDataFrame:
    """Incidents and casualties per admin-1 area and period, with the area's polygon.

    Parameters
    ----------
    frame : pandas.DataFrame
        Incident rows with ``admin1_code`` (ISO 3166-2), ``date_start`` (when ``freq`` is
        given) and optionally ``killed_best``, ``injured_best``, ``arrested_best``.
    freq : {"month", "week", "day"} or None, keyword-only
        Period length; weeks start on Monday. None sums over all dates.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per area and period, sorted by period then code, EPSG:4326, with columns
        ``admin1_code``, ``admin1`` (English name), ``country``, ``period`` (first day,
        only when ``freq`` is given), ``incidents``, ``killed_best``, ``injured_best``,
        ``arrested_best`` (people), ``area_km2`` and ``geometry`` (None for a code the
        boundaries do not know). Rows without ``admin1_code``, or without a date when
        ``freq`` is given, are left out.
    """
    _check_freq(freq)
    _require(frame, ["admin1_code"] + (["date_start"] if freq else []), "aggregate_admin1")

    dated, period_key, period_values = _periods(frame, freq)
    code_key, code_values = pd.factorize(frame["admin1_code"])  # missing codes get -1
    keep = dated & (code_key >= 0)
    counts = {c: v[keep] for c, v in _counts(frame).items()}
    groups = _group_sums([period_key[keep], code_key[keep]], counts)

    areas = admin1_areas()
    result = pd.DataFrame({"admin1_code": np.asarray(code_values, dtype=object)[groups["key1"]]})
    found = areas.reindex(result["admin1_code"])
    name = area_names(found)
    result["admin1"] = pd.Series(name.to_numpy(dtype=object), dtype=object)
    result["country"] = pd.Series(found["country"].to_numpy(dtype=object), dtype=object)
    for column in ("admin1", "country"):
        result[column] = result[column].where(result[column].notna(), None)
    if freq:
        result["period"] = period_values[groups["key0"]]
    for column in ("incidents", *COUNT_COLUMNS):
        result[column] = groups[column].to_numpy()
    result["area_km2"] = found["area_km2"].to_numpy()
    result = gpd.GeoDataFrame(result, geometry=found.geometry.to_numpy(), crs="EPSG:4326")
    order = ["period", "admin1_code"] if freq else ["admin1_code"]
    return result.sort_values(order, kind="stable").reset_index(drop=True)


def _h3_cells(lat: np.ndarray, lon: np.ndarray, resolution: int) -> np.ndarray:
    """H3 cell (uint64) of each point.

    h3-py 4 has no array API, so ``latlng_to_cell`` is called once per distinct point;
    incidents geocoded to the same place share one call. Distinct points are found by
    hashing, not sorting.
    """
    from h3.api import basic_int as h3

    if not len(lat):
        return np.empty(0, dtype=np.uint64)
    lat_key, lat_values = pd.factorize(lat)
    lon_key, lon_values = pd.factorize(lon)
    pair_key, pairs = pd.factorize(lat_key.astype(np.int64) * len(lon_values) + lon_key)
    pair_lat = np.asarray(lat_values)[pairs // len(lon_values)]
    pair_lon = np.asarray(lon_values)[pairs % len(lon_values)]
    to_cell = h3.latlng_to_cell
    points = zip(pair_lat.tolist(), pair_lon.tolist(), strict=True)
    cells = np.fromiter(
        (to_cell(a, b, resolution) for a, b in points), dtype=np.uint64, count=len(pairs)
    )
    return cells[pair_key]


def _h3_polygons(cells: np.ndarray) -> np.ndarray:
    """Hexagon (or pentagon) polygons of H3 cells, lon/lat, unwrapped across 180 degrees."""
    from h3.api import basic_int as h3

    rings = [h3.cell_to_boundary(int(c)) for c in cells]
    sizes = np.fromiter((len(r) for r in rings), dtype=np.int64, count=len(rings))
    latlon = np.array([p for ring in rings for p in ring], dtype=float).reshape(-1, 2)
    owner = np.repeat(np.arange(len(cells)), sizes)
    lon = latlon[:, 1].copy()
    span = np.zeros(len(cells))
    np.maximum.at(span, owner, lon)
    low = np.full(len(cells), np.inf)
    np.minimum.at(low, owner, lon)
    wraps = (span - low) > 180.0
    lon[wraps[owner] & (lon < 0)] += 360.0
    coords = np.column_stack([lon, latlon[:, 0]])
    # close each ring: repeat its first vertex at its end
    first = np.r_[0, np.cumsum(sizes)[:-1]]
    closed = np.insert(coords, np.cumsum(sizes), coords[first], axis=0)
    ring_ids = np.repeat(np.arange(len(cells)), sizes + 1)
    return shapely.polygons(shapely.linearrings(closed, indices=ring_ids))


def aggregate_grid(
    frame: pd.DataFrame,
    *,
    resolution: float = 5,
    method: Literal["h3", "square"] = "h3",
    freq: Freq | None = None,
) -> gpd.GeoDataFrame:
    """Incidents and casualties per grid cell (and period), for heat maps.

    Parameters
    ----------
    frame : pandas.DataFrame
        Incident rows with ``latitude`` and ``longitude`` (WGS84 degrees), ``date_start``
        when ``freq`` is given, and optionally the count columns.
    resolution : float, keyword-only
        ``method="h3"``: the H3 resolution, 0-15 (5: cells of about 250 km², 6: 36 km²,
        7: 5 km²). ``method="square"``: the cell side in degrees.
    method : {"h3", "square"}, keyword-only
        Hexagons of the H3 grid (``cell`` is the H3 index as hex text), or squares aligned
        on multiples of ``resolution`` degrees (``cell`` is ``"<col>:<row>"``).
    freq : {"month", "week", "day"} or None, keyword-only
        Period length; None sums over all dates.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per cell (and period) holding at least one incident, EPSG:4326, columns
        ``cell``, ``period`` (when ``freq`` is given), ``incidents``, ``killed_best``,
        ``injured_best``, ``arrested_best``, ``geometry``. Rows without valid coordinates
        (missing, or outside [-180, 180] / [-90, 90]) are left out.
    """
    _check_freq(freq)
    if method not in GRID_METHODS:
        raise ValueError(f"method must be one of {GRID_METHODS!r}, got {method!r}")
    if method == "h3" and (int(resolution) != resolution or not 0 <= resolution <= 15):
        raise ValueError(f"an H3 resolution is a whole number 0-15, got {resolution!r}")
    if method == "square" and not 0 < resolution <= 90:
        raise ValueError(f"a square cell side is 0-90 degrees, got {resolution!r}")
    _require(frame, ["latitude", "longitude"] + (["date_start"] if freq else []),
             "aggregate_grid")

    lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        located = (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    dated, period_key, period_values = _periods(frame, freq)
    keep = located & dated
    lat, lon, period_key = lat[keep], lon[keep], period_key[keep]
    counts = {c: v[keep] for c, v in _counts(frame).items()}

    if method == "h3":
        cells = _h3_cells(lat, lon, int(resolution))
        cell_key, cell_values = pd.factorize(cells)
    else:
        col = np.floor((lon + 180.0) / resolution).astype(np.int64)
        row = np.floor((lat + 90.0) / resolution).astype(np.int64)
        cell_key, cell_values = pd.factorize(row * (int(np.ceil(360 / resolution)) + 1) + col)
    groups = _group_sums([period_key, cell_key], counts)

    chosen = np.asarray(cell_values)[groups["key1"].to_numpy(dtype=np.int64)]
    if method == "h3":
        from h3.api import basic_int as h3

        labels = np.array([h3.int_to_str(int(c)) for c in chosen], dtype=object)
        geometry = _h3_polygons(chosen) if len(chosen) else np.empty(0, dtype=object)
    else:
        width = int(np.ceil(360 / resolution)) + 1
        row, col = np.divmod(chosen.astype(np.int64), width)
        x0, y0 = col * resolution - 180.0, row * resolution - 90.0
        labels = (pd.Series(col).astype(str) + ":" + pd.Series(row).astype(str)).to_numpy(
            dtype=object
        )
        geometry = shapely.box(x0, y0, x0 + resolution, np.minimum(y0 + resolution, 90.0))

    result = pd.DataFrame({"cell": labels})
    if freq:
        result["period"] = period_values[groups["key0"].to_numpy(dtype=np.int64)]
    for column in ("incidents", *COUNT_COLUMNS):
        result[column] = groups[column].to_numpy(dtype=np.int64)
    result = gpd.GeoDataFrame(result, geometry=geometry, crs="EPSG:4326")
    order = ["period", "cell"] if freq else ["cell"]
    return result.sort_values(order, kind="stable").reset_index(drop=True)
