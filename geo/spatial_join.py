"""Put points in their admin-1 area (province, governorate), vectorised.

:func:`admin1_for_points` answers most points with a table lookup: the world is cut into
square cells (:data:`CELL_DEG`), and a cell that lies wholly inside one admin-1 polygon gives
its area to every point in it. Only points in cells crossed by a border or a coast are tested
against the polygons (``shapely.STRtree`` with ``predicate="within"``), and only points in
no polygon are searched for the nearest one within ``max_distance_km``. Cells are classified
the first time a point falls in them and remembered for the life of the process.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike

from geo.boundaries import area_names, boundaries_dir, load_admin1

#: Side of a lookup cell in degrees (about 5.5 km of latitude).
CELL_DEG = 0.05

#: Mean Earth radius used for distances, km.
EARTH_RADIUS_KM = 6371.0088

#: ``join_flag`` values.
FLAG_NEAREST = "nearest"
FLAG_OUTSIDE = "outside"
FLAG_NO_COORDINATES = "no_coordinates"
FLAG_INVALID = "invalid_coordinates"
FLAG_WIDER = "wider_than_admin1"
#: Imported events: the point lies in another country's polygon; the dataset's country is
#: kept, with its nearest province (``STATED_COUNTRY_KM``) or none when there is none that close.
FLAG_STATED_COUNTRY = "dataset_country_nearest_province"
FLAG_COUNTRY_DIFFERS = "dataset_country_differs"
#: A point in a Natural Earth placeholder area that is no province (codes ending in ``~``,
#: :data:`PLACEHOLDER_PROVINCES`): it is given a real province, and this flag tells where it was.
FLAG_UN_BUFFER_ZONE = "un_buffer_zone"
FLAG_NEUTRAL_ZONE = "neutral_zone"
FLAG_OUTLYING_ISLANDS = "outlying_islands"
FLAG_PLACEHOLDER = "placeholder_area"
JOIN_FLAGS: tuple[str | None, ...] = (
    None, FLAG_NEAREST, FLAG_OUTSIDE, FLAG_NO_COORDINATES, FLAG_INVALID, FLAG_WIDER,
    FLAG_STATED_COUNTRY, FLAG_COUNTRY_DIFFERS, FLAG_UN_BUFFER_ZONE, FLAG_NEUTRAL_ZONE,
    FLAG_OUTLYING_ISLANDS, FLAG_PLACEHOLDER,
)


@dataclass(frozen=True, slots=True)
class PlaceholderRule:
    """Where the points of a Natural Earth placeholder area go: the province ``target``
    (ISO 3166-2), or with ``target`` None the nearest real province of the same country
    (within :data:`PLACEHOLDER_NEAREST_KM`); ``flag`` is their ``join_flag``."""

    flag: str
    target: str | None = None
    why: str = ""


#: Natural Earth placeholder areas (``admin1_code`` ending in ``~``) of countries with real
#: provinces that are no province of their own: a zone, a fragment or a few islands that an
#: analyst counts in a province. Their points are put in that province and flagged, so the
#: map and the province totals show the province and the flag keeps the zone visible.
#: Every other placeholder is an area of its own (:data:`PLACEHOLDER_AREAS_KEPT`, or the
#: units of a territory that has no ISO subdivisions: Kosovo's districts, Hong Kong's...,
#: or an area of no country: Somaliland, Northern Cyprus, Baikonur).
PLACEHOLDER_PROVINCES: dict[str, PlaceholderRule] = {
    "SY-X01~": PlaceholderRule(FLAG_UN_BUFFER_ZONE, None,
                               "the UNDOF area of separation on the Golan, administered on the "
                               "Syrian side as part of Quneitra (its south end borders Daraa)"),
    "AE-X01~": PlaceholderRule(FLAG_NEUTRAL_ZONE, None, "Fujairah-Sharjah neutral zone"),
    "AE-X02~": PlaceholderRule(FLAG_NEUTRAL_ZONE, None,
                               "Sayh Mudayrah, a neutral zone between Dubai and Ras al-Khaimah"),
    "AZ-X01~": PlaceholderRule(FLAG_PLACEHOLDER, "AZ-SUS", "Shusha town, in Shusha district"),
    "RU-X01~": PlaceholderRule(FLAG_PLACEHOLDER, "RU-YAN",
                               "an unnamed 38 km² piece on the Yamal coast"),
    "CN-X01~": PlaceholderRule(FLAG_OUTLYING_ISLANDS, "CN-HI",
                               "Paracel Islands, administered by China from Hainan (Sansha); "
                               "claimed by Vietnam and Taiwan"),
    "CO-X01~": PlaceholderRule(FLAG_OUTLYING_ISLANDS, "CO-VAC",
                               "Malpelo Island, part of Valle del Cauca"),
    "MX-X01~": PlaceholderRule(FLAG_OUTLYING_ISLANDS, "MX-YUC",
                               "Arrecife Alacranes, part of Yucatán (Progreso)"),
    "VE-X01~": PlaceholderRule(FLAG_OUTLYING_ISLANDS, "VE-W",
                               "Isla de Aves, one of the Federal Dependencies"),
    "AU-X03~": PlaceholderRule(FLAG_OUTLYING_ISLANDS, "AU-TAS",
                               "Macquarie Island, part of Tasmania"),
}

#: Placeholder areas of countries with real provinces that stay areas of their own: an
#: external territory or outlying islands that belong to no province (Jervis Bay Territory,
#: Ashmore and Cartier, New Zealand's outlying islands, Bouvet Island, the Seychelles' Outer
#: Islands), a region Natural Earth has not split as ISO has (Chad's Ennedi, now Ennedi-Est
#: and Ennedi-Ouest) and the regions of Republika Srpska (BA-SRP as a whole in ISO).
PLACEHOLDER_AREAS_KEPT: frozenset[str] = frozenset({
    "AU-X02~", "AU-X04~", "NO-X01~", "SC-X02~", "TD-X01~",
    *(f"NZ-X0{i}~" for i in (1, 3, 4, 5, 6, 7)),
    *(f"BA-X0{i}~" for i in range(1, 8)),
})

#: How far (km) the nearest real province of a placeholder zone's country may be from a
#: point in the zone (the zones are a few km wide).
PLACEHOLDER_NEAREST_KM = 50.0
#: How far (km) an imported event's point may lie from its dataset's country for the
#: nearest province of that country to be given.
STATED_COUNTRY_KM = 25.0

#: Gazetteer features (``feature`` column) of places that can be larger than one admin-1
#: area: at ``geo_precision`` 3 without an ``admin1_code`` such a place is not put in the
#: province its reference point happens to fall in.
WIDE_FEATURES: frozenset[str] = frozenset(("country", "region", "desert", "border"))

JOIN_COLUMNS: tuple[str, ...] = ("country", "admin1", "admin1_code", "join_flag")

#: Length of one degree of latitude (and of longitude at the equator), km.
KM_PER_DEG = np.pi * EARTH_RADIUS_KM / 180.0

#: An empty cell with no polygon within this many degrees sends its points straight to
#: "outside" when that is farther than ``max_distance_km`` (about 22 km at 35 degrees N).
_CLEAR_DEG = 0.25

#: Largest local grid (cells) looked up densely; wider spreads of points fall back to sorting.
_DENSE_LIMIT = 8_000_000

#: A cell is classified once at least this many points of one call fall in it; sparse
#: points are tested directly (classifying a cell costs about as much as testing 4 points).
_MIN_POINTS_PER_CELL = 4

_MIXED = -1  # cell crossed by a border or coast: test its points one by one
_EMPTY = -2  # cell touching no polygon
_UNKNOWN = -3  # cell not classified: test its points one by one


def _haversine_km(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
                  ) -> np.ndarray:
    lon1, lat1, lon2, lat2 = (np.radians(a) for a in (lon1, lat1, lon2, lat2))
    h = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _first_per_group(groups: np.ndarray, order_key: np.ndarray | None = None) -> np.ndarray:
    """Positions of the first element of each group (after sorting by ``order_key``)."""
    keys = (order_key, groups) if order_key is not None else (groups,)
    order = np.lexsort(keys)
    first = np.r_[True, groups[order][1:] != groups[order][:-1]] if len(order) else order
    return order[first.astype(bool)] if len(order) else order


#: Vertices per piece of border in the index used for nearest-polygon searches.
_PIECE_VERTICES = 32


def _border_pieces(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cut every ring of ``geometries`` into lines of at most :data:`_PIECE_VERTICES`.

    Returns the lines and the row of the geometry each belongs to. Consecutive pieces share
    their end vertex, so no segment is lost. Distances to short pieces are cheap and their
    envelopes tight, unlike those of whole coastlines (Antarctica, Alaska across 180°).
    """
    parts, part_row = shapely.get_parts(geometries, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    ring_start = np.r_[0, np.cumsum(np.bincount(ring_of, minlength=len(rings)))[:-1]]
    position = np.arange(len(coords)) - ring_start[ring_of]
    step = _PIECE_VERTICES - 1
    pieces_per_ring = np.bincount(ring_of, minlength=len(rings)) // step + 1
    first_piece = np.r_[0, np.cumsum(pieces_per_ring)[:-1]]
    piece = first_piece[ring_of] + position // step
    shared = (position % step == 0) & (position > 0)
    piece = np.concatenate([piece, piece[shared] - 1])
    coords = np.concatenate([coords, coords[shared]])
    order = np.lexsort((np.concatenate([position, position[shared]]), piece))
    piece, coords = piece[order], coords[order]
    sizes = np.bincount(piece)
    keep = sizes[piece] >= 2
    piece, coords = piece[keep], coords[keep]
    used, piece = np.unique(piece, return_inverse=True)
    lines = shapely.linestrings(coords, indices=piece)
    ring_of_piece = np.searchsorted(np.r_[first_piece, np.inf], used, side="right") - 1
    return lines, part_row[ring_part[ring_of_piece]]


class _CellIndex:
    """Admin-1 polygons with a growing table of classified cells.

    For every cell seen so far, ``labels`` holds the row of the polygon covering the whole
    cell, ``_MIXED`` or ``_EMPTY``, and ``clear_deg`` a distance in degrees within which an
    empty cell has no polygon (``_CLEAR_DEG`` or 0). The three arrays are replaced together
    under a lock, never changed in place.
    """

    def __init__(self, admin1: gpd.GeoDataFrame, *, cell_deg: float = CELL_DEG) -> None:
        self.cell_deg = cell_deg
        self.ncols = int(round(360 / cell_deg))
        self.nrows = int(round(180 / cell_deg))
        self.geometries = admin1.geometry.to_numpy().copy()
        shapely.prepare(self.geometries)
        self.tree = shapely.STRtree(self.geometries)
        name = area_names(admin1)
        self.country = admin1["country"].to_numpy(dtype=object)
        self.admin1 = name.to_numpy(dtype=object)
        self.admin1_code = admin1["admin1_code"].to_numpy(dtype=object)
        self._placeholders()
        self._table = (np.empty(0, np.int64), np.empty(0, np.int32), np.empty(0, np.float64))
        self._lock = threading.Lock()
        self._pieces: tuple[shapely.STRtree, np.ndarray, np.ndarray] | None = None

    def _placeholders(self) -> None:
        """Per polygon row: whether it is a placeholder zone that is no province
        (``is_zone``), its ``placeholder_flag`` (None otherwise), the row its points go to
        (``placeholder_target``, -1: none or the nearest) and whether they go to the nearest
        real province of the country (``to_nearest``)."""
        n = len(self.admin1_code)
        self.is_zone = np.isin(self.admin1_code, list(PLACEHOLDER_PROVINCES))
        self.placeholder_flag = np.full(n, None, dtype=object)
        self.placeholder_target = np.full(n, -1, dtype=np.int64)
        self.to_nearest = np.zeros(n, dtype=bool)
        first_row = pd.Series(np.arange(n)).groupby(self.admin1_code).first()
        for code, rule in PLACEHOLDER_PROVINCES.items():
            rows = np.flatnonzero(self.admin1_code == code)
            self.placeholder_flag[rows] = rule.flag
            target = first_row.get(rule.target, -1) if rule.target else -1
            self.placeholder_target[rows] = target
            # a target the boundaries lack (another build): the nearest real province
            self.to_nearest[rows] = target < 0

    def to_provinces(self, rows: np.ndarray, lon: np.ndarray, lat: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows in placeholder zones (:data:`PLACEHOLDER_PROVINCES`) moved to their real
        province: the new rows, the positions of the points that were in a zone, and the
        zone's flag for each of those."""
        placed = np.flatnonzero(rows >= 0)
        zone = placed[self.is_zone[rows[placed]]]
        flags = self.placeholder_flag[rows[zone]]
        if not len(zone):
            return rows, zone, flags
        rows = rows.copy()
        target = self.placeholder_target[rows[zone]]
        rows[zone[target >= 0]] = target[target >= 0]
        near = zone[self.to_nearest[rows[zone]]]
        found, _ = self.nearest(lon[near], lat[near], PLACEHOLDER_NEAREST_KM,
                                countries=self.country[rows[near]], exclude=self.to_nearest)
        rows[near[found >= 0]] = found[found >= 0]
        return rows, zone, flags

    def _border_index(self) -> tuple[shapely.STRtree, np.ndarray, np.ndarray]:
        """STRtree of short border pieces (built on first use), the pieces and their rows."""
        with self._lock:
            if self._pieces is None:
                lines, rows = _border_pieces(self.geometries)
                self._pieces = (shapely.STRtree(lines), lines, rows)
            return self._pieces

    # -- cells ----------------------------------------------------------------------------

    def _boxes(self, cells: np.ndarray) -> np.ndarray:
        iy, ix = np.divmod(cells, self.ncols)
        x0 = ix * self.cell_deg - 180.0
        y0 = iy * self.cell_deg - 90.0
        return shapely.box(x0, y0, x0 + self.cell_deg, y0 + self.cell_deg)

    def _classify(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        boxes = self._boxes(cells)
        box_i, poly_i = self.tree.query(boxes)
        covered = shapely.covers(self.geometries[poly_i], boxes[box_i])
        labels = np.full(len(cells), _EMPTY, dtype=np.int32)
        touched = np.zeros(len(cells), dtype=bool)
        rest = ~np.isin(box_i, box_i[covered])
        touches = shapely.intersects(self.geometries[poly_i[rest]], boxes[box_i[rest]])
        touched[box_i[rest][touches]] = True
        labels[touched] = _MIXED
        labels[box_i[covered]] = poly_i[covered]

        clear = np.zeros(len(cells))
        empty = np.flatnonzero(labels == _EMPTY)
        if len(empty):
            near_i, _ = self.tree.query(boxes[empty], predicate="dwithin", distance=_CLEAR_DEG)
            clear[empty] = _CLEAR_DEG
            clear[empty[near_i]] = 0.0
        return labels, clear

    def _known(self, cells: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Labels and clear distances of sorted unique ``cells``.

        Cells not seen before are classified where ``wanted``; the others are ``_UNKNOWN``.
        """
        known_cells, _, _ = self._table
        pos = np.minimum(np.searchsorted(known_cells, cells), max(len(known_cells) - 1, 0))
        found = (known_cells[pos] == cells) if len(known_cells) else np.zeros(len(cells), bool)
        new = cells[~found & wanted]
        if len(new):
            new_labels, new_clear = self._classify(new)
            with self._lock:
                old_cells, old_labels, old_clear = self._table
                merged = np.concatenate([old_cells, new])
                order = np.argsort(merged, kind="stable")
                merged = merged[order]
                keep = np.r_[True, merged[1:] != merged[:-1]]
                self._table = (
                    merged[keep],
                    np.concatenate([old_labels, new_labels])[order][keep],
                    np.concatenate([old_clear, new_clear])[order][keep],
                )
        known_cells, known_labels, known_clear = self._table
        labels = np.full(len(cells), _UNKNOWN, dtype=np.int32)
        clear = np.zeros(len(cells))
        if len(known_cells):
            pos = np.minimum(np.searchsorted(known_cells, cells), len(known_cells) - 1)
            found = known_cells[pos] == cells
            labels[found] = known_labels[pos[found]]
            clear[found] = known_clear[pos[found]]
        return labels, clear

    def classify_points(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cell label and clear distance (degrees) of each point."""
        if not len(lon):
            return np.empty(0, np.int32), np.empty(0)
        ix = np.clip(((lon + 180.0) / self.cell_deg).astype(np.int64), 0, self.ncols - 1)
        iy = np.clip(((lat + 90.0) / self.cell_deg).astype(np.int64), 0, self.nrows - 1)
        x0, y0 = ix.min(), iy.min()
        nx, ny = int(ix.max() - x0 + 1), int(iy.max() - y0 + 1)
        if nx * ny <= _DENSE_LIMIT:
            # count the points per cell of their bounding grid instead of sorting them
            local = (iy - y0) * nx + (ix - x0)
            counts = np.bincount(local, minlength=nx * ny)
            occupied = np.flatnonzero(counts)
            cells = (occupied // nx + y0) * self.ncols + (occupied % nx + x0)
            labels, clear = self._known(cells, counts[occupied] >= _MIN_POINTS_PER_CELL)
            slot = np.zeros(nx * ny, dtype=np.int64)
            slot[occupied] = np.arange(len(occupied))
            where = slot[local]
            return labels[where], clear[where]
        cells, where, counts = np.unique(
            iy * self.ncols + ix, return_inverse=True, return_counts=True
        )
        labels, clear = self._known(cells, counts >= _MIN_POINTS_PER_CELL)
        return labels[where], clear[where]

    # -- exact tests ----------------------------------------------------------------------

    def within(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Row of the polygon holding each point (-1 for none), exact test.

        A point on a shared border (or where polygons overlap) takes the first polygon.
        """
        result = np.full(len(lon), -1, dtype=np.int64)
        if not len(lon):
            return result
        point_i, poly_i = self.tree.query(shapely.points(lon, lat))
        inside = shapely.intersects_xy(self.geometries[poly_i], lon[point_i], lat[point_i])
        point_i, poly_i = point_i[inside], poly_i[inside]
        first = _first_per_group(point_i)
        result[point_i[first]] = poly_i[first]
        return result

    def nearest(self, lon: np.ndarray, lat: np.ndarray, max_distance_km: float,
                countries: np.ndarray | None = None, exclude: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
        """Row of the nearest polygon within ``max_distance_km`` (-1 for none) and its km.

        Candidates are the polygons within each point's reach in degrees (wider in
        longitude at high latitude); the great-circle distance to the nearest point of each
        candidate (nearest in degrees) decides. With ``countries`` (ISO alpha-2, one per
        point) only that country's polygons are candidates for each point; polygons whose
        row is True in ``exclude`` are never candidates.
        """
        rows = np.full(len(lon), -1, dtype=np.int64)
        dist = np.full(len(lon), np.nan)
        if not len(lon) or max_distance_km <= 0:
            return rows, dist
        # a degree of longitude shrinks with latitude: each point searches wide enough
        top = np.minimum(np.abs(lat) + max_distance_km / KM_PER_DEG, 89.0)
        reach_deg = max_distance_km / KM_PER_DEG / np.cos(np.radians(top))
        points = shapely.points(lon, lat)
        tree, lines, line_rows = self._border_index()
        point_i, line_i = tree.query(points, predicate="dwithin", distance=reach_deg)
        if countries is not None:
            same = self.country[line_rows[line_i]] == np.asarray(countries, dtype=object)[point_i]
            point_i, line_i = point_i[same], line_i[same]
        if exclude is not None:
            allowed = ~exclude[line_rows[line_i]]
            point_i, line_i = point_i[allowed], line_i[allowed]
        if not len(point_i):
            return rows, dist
        line = shapely.shortest_line(points[point_i], lines[line_i])
        ends = shapely.get_coordinates(line).reshape(-1, 2, 2)
        km = _haversine_km(ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1])
        poly_i = line_rows[line_i]
        first = _first_per_group(point_i, km)
        point_i, poly_i, km = point_i[first], poly_i[first], km[first]
        close = km <= max_distance_km
        rows[point_i[close]] = poly_i[close]
        dist[point_i[close]] = km[close]
        return rows, dist


_INDEX_LOCK = threading.Lock()
_INDEX: dict[Any, _CellIndex] = {}


def _index() -> _CellIndex:
    key = boundaries_dir()
    with _INDEX_LOCK:
        if key not in _INDEX:
            _INDEX[key] = _CellIndex(load_admin1())
        return _INDEX[key]


def clear_cache() -> None:
    """Forget the polygon index and the classified cells."""
    with _INDEX_LOCK:
        _INDEX.clear()


@dataclass(frozen=True, slots=True)
class PointCheck:
    """Which points can be joined: finite and in range."""

    lon: np.ndarray
    lat: np.ndarray
    missing: np.ndarray
    invalid: np.ndarray

    @property
    def valid(self) -> np.ndarray:
        return ~(self.missing | self.invalid)


def _as_degrees(values: ArrayLike, name: str) -> np.ndarray:
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        pass
    try:  # pandas missing values (pd.NA) and numeric strings
        return pd.to_numeric(pd.Series(np.asarray(values, dtype=object).ravel()),
                             errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must hold numbers in degrees: {exc}") from exc


def check_points(lon: ArrayLike, lat: ArrayLike) -> PointCheck:
    """Coerce coordinates to float arrays and mark missing and out-of-range ones.

    Missing: NaN or None in either coordinate. Invalid: infinite, longitude outside
    [-180, 180] or latitude outside [-90, 90] degrees. Nothing is moved or swapped.

    Raises
    ------
    ValueError
        The arrays differ in length, are not one-dimensional, or hold non-numbers.
    """
    lon_a, lat_a = _as_degrees(lon, "lon"), _as_degrees(lat, "lat")
    if lon_a.ndim != 1 or lat_a.ndim != 1:
        raise ValueError("lon and lat must be one-dimensional arrays of degrees")
    if lon_a.shape != lat_a.shape:
        raise ValueError(
            f"lon and lat differ in length ({len(lon_a)!r} vs {len(lat_a)!r}); pass one "
            "longitude and one latitude per point"
        )
    missing = np.isnan(lon_a) | np.isnan(lat_a)
    with np.errstate(invalid="ignore"):
        invalid = ~missing & ~(
            np.isfinite(lon_a) & np.isfinite(lat_a)
            & (np.abs(lon_a) <= 180.0) & (np.abs(lat_a) <= 90.0)
        )
    return PointCheck(lon_a, lat_a, missing, invalid)


def admin1_for_points(
    lon: ArrayLike, lat: ArrayLike, *, max_distance_km: float = 5.0
) -> pd.DataFrame:
    """The admin-1 area of each point (WGS84 degrees), in input order.

    Parameters
    ----------
    lon, lat : array-like of float
        Longitudes and latitudes in degrees, one per point.
    max_distance_km : float, keyword-only
        A point in no polygon (at sea near a coast, in a border sliver) takes the nearest
        polygon within this many kilometres (great-circle), flagged ``"nearest"``.

    Returns
    -------
    pandas.DataFrame
        One row per point (same order, a fresh RangeIndex) with columns ``country`` (ISO
        alpha-2), ``admin1`` (English name), ``admin1_code`` (ISO 3166-2) and ``join_flag``:
        None inside a polygon, ``"nearest"`` within ``max_distance_km`` of one,
        ``"outside"`` farther, ``"no_coordinates"`` when a coordinate is missing and
        ``"invalid_coordinates"`` when one is out of range (never moved); the last three
        have no area. A point in a Natural Earth placeholder zone that is no province
        (:data:`PLACEHOLDER_PROVINCES`: the UNDOF zone on the Golan, ``SY-X01~``) gets its
        real province (that rule's, or the nearest of its country) and the zone's flag
        (``"un_buffer_zone"``, ``"neutral_zone"``, ``"outlying_islands"``,
        ``"placeholder_area"``).
    """
    if not np.isfinite(max_distance_km) or max_distance_km < 0:
        raise ValueError(f"max_distance_km must be a distance >= 0 km, got {max_distance_km!r}")
    check = check_points(lon, lat)
    index = _index()

    rows = np.full(len(check.lon), -1, dtype=np.int64)
    flags = np.full(len(check.lon), None, dtype=object)
    flags[check.missing] = FLAG_NO_COORDINATES
    flags[check.invalid] = FLAG_INVALID
    valid = np.flatnonzero(check.valid)
    vlon, vlat = check.lon[valid], check.lat[valid]

    labels, clear_deg = index.classify_points(vlon, vlat)
    rows[valid] = np.where(labels >= 0, labels, -1)
    mixed = valid[(labels == _MIXED) | (labels == _UNKNOWN)]
    rows[mixed] = index.within(check.lon[mixed], check.lat[mixed])

    # a point in an empty cell farther than max_distance_km from every polygon is outside
    # without measuring: km >= degrees * km/degree * cos(highest latitude it could reach)
    reach_lat = np.minimum(np.abs(vlat) + clear_deg, 90.0)
    lower_km = 0.99 * clear_deg * KM_PER_DEG * np.cos(np.radians(reach_lat))
    far = (labels == _EMPTY) & (lower_km > max_distance_km)
    flags[valid[far]] = FLAG_OUTSIDE
    unplaced = valid[(rows[valid] < 0) & ~far]
    near, _ = index.nearest(check.lon[unplaced], check.lat[unplaced], max_distance_km)
    rows[unplaced] = near
    flags[unplaced] = np.where(near >= 0, FLAG_NEAREST, FLAG_OUTSIDE)
    # a point in a placeholder zone (the UNDOF zone on the Golan) is in a real province
    rows, zone, zone_flags = index.to_provinces(rows, check.lon, check.lat)
    flags[zone] = zone_flags

    placed = rows >= 0
    columns = {}
    for column, values in (("country", index.country), ("admin1", index.admin1),
                           ("admin1_code", index.admin1_code)):
        out = np.full(len(rows), None, dtype=object)
        out[placed] = values[rows[placed]]
        columns[column] = pd.Series(out, dtype=object)
    columns["join_flag"] = pd.Series(flags, dtype=object)
    return pd.DataFrame(columns)


def nearest_admin1_in_country(lon: ArrayLike, lat: ArrayLike, countries: ArrayLike, *,
                              max_distance_km: float) -> pd.DataFrame:
    """The nearest admin-1 area of a given country to each point, within a distance.

    For points a dataset places in one country that fall just inside another country's
    polygon (a border village, a governorate's reference point drawn across a disputed line).

    Parameters
    ----------
    lon, lat : array-like of float
        Degrees, one per point (valid coordinates).
    countries : array-like of str
        ISO alpha-2 of the country to look in, one per point.
    max_distance_km : float, keyword-only
        Farthest great-circle distance to an area of that country, km.

    Returns
    -------
    pandas.DataFrame
        One row per point: ``admin1``, ``admin1_code`` (None when no area of the country is
        that close; never a placeholder zone of :data:`PLACEHOLDER_PROVINCES`: its real
        province) and ``distance_km`` (to the area found first).
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    wanted = np.asarray(countries, dtype=object)
    if not (len(lon) == len(lat) == len(wanted)):
        raise ValueError(f"lon, lat and countries differ in length: {len(lon)}, {len(lat)}, {len(wanted)}")
    index = _index()
    # a placeholder zone is no province: the nearest real one, or the zone's own province
    rows, dist = index.nearest(lon, lat, max_distance_km, countries=wanted,
                               exclude=index.to_nearest)
    rows, _, _ = index.to_provinces(rows, lon, lat)
    found = rows >= 0
    admin1 = np.full(len(rows), None, dtype=object)
    code = np.full(len(rows), None, dtype=object)
    admin1[found] = index.admin1[rows[found]]
    code[found] = index.admin1_code[rows[found]]
    return pd.DataFrame({"admin1": admin1, "admin1_code": code, "distance_km": dist})


def _coordinates(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if {"latitude", "longitude"} <= set(frame.columns):
        return frame["longitude"].to_numpy(), frame["latitude"].to_numpy()
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        if frame.crs is None or frame.crs.to_epsg() != 4326:
            raise ValueError(
                f"frame geometry has CRS {frame.crs!r}; set or convert it to EPSG:4326 "
                "(frame.to_crs(4326)) or give latitude/longitude columns"
            )
        geoms = frame.geometry.values
        is_point = np.asarray(shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
        x = np.where(is_point, shapely.get_x(geoms), np.nan)
        y = np.where(is_point, shapely.get_y(geoms), np.nan)
        return x, y
    raise ValueError(
        f"frame has no 'latitude'/'longitude' columns (columns: {list(frame.columns)!r}) "
        "and no point geometry; add them in WGS84 degrees"
    )


def join_incidents(frame: pd.DataFrame, *, max_distance_km: float = 5.0) -> pd.DataFrame:
    """A copy of ``frame`` with ``country``, ``admin1``, ``admin1_code``, ``join_flag`` set.

    Coordinates come from ``latitude``/``longitude`` columns (degrees), else from a point
    geometry in EPSG:4326. Rows resolved to a whole province (``geo_precision`` 3 with an
    ``admin1_code`` already given) keep that province and country (filled from the
    boundaries when missing), take the boundaries' name for the province (one name per
    code, whatever the source) and get no flag. Rows resolved to an area that can be wider
    than a province (an optional ``feature`` column in :data:`WIDE_FEATURES`, at
    ``geo_precision`` 3, without an ``admin1_code``: "in Syria", "the Anbar desert") get no
    province, their own ``country`` (the joined one when not given), and the flag
    ``"wider_than_admin1"``: the province that holds a country's reference point says nothing
    about where the incident was. The caller's frame is not changed.

    Raises
    ------
    ValueError
        No coordinates can be found, or a geometry is in another CRS.
    """
    lon, lat = _coordinates(frame)
    joined = admin1_for_points(lon, lat, max_distance_km=max_distance_km)
    joined.index = frame.index
    result = frame.copy()

    keep = pd.Series(False, index=frame.index)
    if "admin1_code" in frame.columns and "geo_precision" in frame.columns:
        precision = pd.to_numeric(frame["geo_precision"], errors="coerce")
        keep = (precision == 3) & frame["admin1_code"].notna()

    kept_codes = frame.loc[keep, "admin1_code"] if keep.any() else pd.Series(dtype=object)
    index = _index()
    by_code = pd.DataFrame({"country": index.country, "admin1": index.admin1},
                           index=index.admin1_code)
    by_code = by_code[~by_code.index.duplicated()]
    for column in ("country", "admin1", "admin1_code", "join_flag"):
        values = joined[column].astype(object)
        if keep.any():
            if column == "admin1_code":
                values = values.where(~keep, kept_codes)
            elif column == "join_flag":
                values = values.where(~keep, None)
            else:
                given = (frame.loc[keep, column] if column in frame.columns
                         else pd.Series(None, index=kept_codes.index, dtype=object))
                known = kept_codes.map(by_code[column])
                # one name per province: the boundaries' name for the code, as a joined
                # point gets ("Dayr Az Zawr", not the geoparser's "Deir ez-Zor"), the given
                # one only for a code the boundaries lack; the given country stays
                first, second = (known, given) if column == "admin1" else (given, known)
                values = values.where(~keep, first.where(first.notna(), second))
        result[column] = values.astype(object).where(values.notna(), None)
    wide = _wider_than_admin1(frame)
    if wide.any():
        result.loc[wide, ["admin1", "admin1_code"]] = None
        result.loc[wide, "join_flag"] = FLAG_WIDER
        if "country" in frame.columns:
            given = frame.loc[wide, "country"]
            result.loc[wide, "country"] = given.where(given.notna(), result.loc[wide, "country"])
    return result


def _wider_than_admin1(frame: pd.DataFrame) -> pd.Series:
    """Rows placed only to an area that can span provinces (see :func:`join_incidents`)."""
    if "feature" not in frame.columns or "geo_precision" not in frame.columns:
        return pd.Series(False, index=frame.index)
    precision = pd.to_numeric(frame["geo_precision"], errors="coerce")
    no_code = (frame["admin1_code"].isna() if "admin1_code" in frame.columns
               else pd.Series(True, index=frame.index))
    return frame["feature"].isin(WIDE_FEATURES) & (precision == 3) & no_code
