"""Boundary shapes for the map, simplified for drawing: the offline base and the provinces.

The shipped boundaries (``geo.boundaries``) are detailed enough for spatial joins; drawn in
a browser they are megabytes. Here they are simplified as coverages (shared borders stay
shared, no slivers), snapped to a grid and written once as GeoJSON text, so map payloads
only concatenate ready strings.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import shapely

from geo.boundaries import admin1_areas, area_names, load_admin0

#: Simplification of the countries drawn around the data (degrees; 0.05 is about 5 km).
COUNTRY_TOLERANCE_DEG = 0.05
#: Simplification of the provinces of the countries in the data (degrees, about 1 km: finer
#: than a pixel up to zoom 7, and a third of the bytes of 0.002).
PROVINCE_TOLERANCE_DEG = 0.01
#: Countries are drawn within this margin around the data's bounding box (degrees).
COUNTRY_MARGIN_DEG = 8.0


@dataclass(frozen=True, slots=True)
class ProvinceShapes:
    """Simplified admin-1 areas of some countries, keyed by ISO 3166-2 code.

    ``geometry`` maps a code to GeoJSON geometry text; ``name`` to the area's name (plain
    text: escape it before it goes into HTML); ``label`` to a (lat, lon) point inside it,
    degrees.
    """

    geometry: Mapping[str, str]
    name: Mapping[str, str]
    label: Mapping[str, tuple[float, float]]

    def __contains__(self, code: object) -> bool:
        return code in self.geometry


@dataclass(frozen=True, slots=True)
class BaseLayers:
    """What the offline base draws: countries, province borders and labels.

    ``countries`` and ``provinces`` are JSON arrays of GeoJSON geometries (text);
    ``labels`` are ``(lat, lon, escaped text, "country" | "province")``; ``bounds`` is
    ``((south, west), (north, east))`` of the data, degrees, for the first view.
    """

    countries: str
    provinces: str
    labels: tuple[tuple[float, float, str, str], ...]
    bounds: tuple[tuple[float, float], tuple[float, float]]


def _geojson_texts(geoms: np.ndarray, tolerance_deg: float, grid_deg: float) -> np.ndarray:
    """Coverage-simplify, snap to a grid and serialise (vectorised over the array)."""
    simple = shapely.coverage_simplify(geoms, tolerance_deg)
    snapped = shapely.set_precision(simple, grid_deg)
    return shapely.to_geojson(snapped)


def province_shapes(countries: Iterable[str], *,
                    tolerance_deg: float = PROVINCE_TOLERANCE_DEG) -> ProvinceShapes:
    """Simplified admin-1 areas of ``countries`` (ISO alpha-2 codes).

    Parameters
    ----------
    countries
        Countries whose provinces are wanted; unknown codes are ignored.
    tolerance_deg
        Simplification tolerance, degrees.
    """
    wanted = sorted({str(c).upper() for c in countries if isinstance(c, str) and c})
    areas = admin1_areas()
    areas = areas.loc[areas["country"].isin(wanted) & ~areas.geometry.is_empty]
    if areas.empty:
        return ProvinceShapes({}, {}, {})
    texts = _geojson_texts(areas.geometry.values, tolerance_deg, tolerance_deg / 5)
    codes = areas["admin1_code"].tolist()
    names = [str(n) for n in area_names(areas).fillna(areas["admin1_code"])]
    labels = zip(areas["label_lat"].astype(float), areas["label_lon"].astype(float))
    return ProvinceShapes(
        geometry=dict(zip(codes, texts.tolist())),
        name=dict(zip(codes, names)),
        label={code: (round(lat, 4), round(lon, 4)) for code, (lat, lon) in zip(codes, labels)},
    )


def base_layers(provinces: ProvinceShapes, bounds: tuple[tuple[float, float], tuple[float, float]],
                *, margin_deg: float = COUNTRY_MARGIN_DEG,
                tolerance_deg: float = COUNTRY_TOLERANCE_DEG) -> BaseLayers:
    """The offline base around ``bounds``: countries within ``margin_deg``, given provinces.

    Parameters
    ----------
    provinces
        Province shapes to outline and label (usually those of the countries in the store).
    bounds
        ``((south, west), (north, east))`` of the data, degrees.
    margin_deg, tolerance_deg
        How far around the data countries are drawn, and their simplification (degrees).
    """
    (south, west), (north, east) = bounds
    box = shapely.box(west - margin_deg, max(south - margin_deg, -90.0),
                      east + margin_deg, min(north + margin_deg, 90.0))
    admin0 = load_admin0()
    near = admin0.loc[admin0.intersects(box) & ~admin0.geometry.is_empty]
    country_texts = (
        _geojson_texts(near.geometry.values, tolerance_deg, 0.01).tolist() if len(near) else []
    )
    inside = (near["label_lat"].between(south - 2, north + 2)
              & near["label_lon"].between(west - 2, east + 2))
    labels = [
        (round(float(lat), 4), round(float(lon), 4), html.escape(str(name)), "country")
        for lat, lon, name in near.loc[inside, ["label_lat", "label_lon", "country_name"]]
        .itertuples(index=False)
    ]
    labels += [(lat, lon, html.escape(provinces.name[code]), "province")
               for code, (lat, lon) in provinces.label.items()]
    return BaseLayers(
        countries="[" + ",".join(country_texts) + "]",
        provinces="[" + ",".join(provinces.geometry.values()) + "]",
        labels=tuple(labels),
        bounds=bounds,
    )


def data_bounds(latitudes: np.ndarray, longitudes: np.ndarray, *,
                pad_deg: float = 0.5) -> tuple[tuple[float, float], tuple[float, float]]:
    """``((south, west), (north, east))`` around the finite points, padded; a default
    view over Iraq and Syria when there are none (degrees)."""
    lat = np.asarray(latitudes, dtype=float)
    lon = np.asarray(longitudes, dtype=float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    if not ok.any():
        return ((29.0, 35.5), (37.5, 48.5))
    south, north = float(lat[ok].min()) - pad_deg, float(lat[ok].max()) + pad_deg
    west, east = float(lon[ok].min()) - pad_deg, float(lon[ok].max()) + pad_deg
    return ((max(south, -85.0), max(west, -180.0)), (min(north, 85.0), min(east, 180.0)))


def labels_json(labels: Iterable[tuple[float, float, str, str]]) -> str:
    """The labels as a JSON array for ``IncidentAtlas.base``."""
    return json.dumps([list(label) for label in labels], separators=(",", ":"))
