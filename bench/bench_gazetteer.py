"""Gazetteer benchmark: index build, load, lookups per second and memory.

Beside it, in the same run, the plain alternative a user would write: the same names in a
pandas DataFrame and an exact-match ``df[df.name == q]`` lookup (no folding, no ranking).

Run from the repository root::

    python -m bench.bench_gazetteer            # uses the cached index
    python -m bench.bench_gazetteer --build    # also times a fresh build into a temp folder

Each measurement that needs a clean process (load time, memory) runs in a subprocess.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
import time

QUERIES = [
    "Rutba", "Ar Rutbah", "Husseiniyat", "Nukhaib", "Baghouz", "Salahuddin", "Nineveh", "Falluja",
    "Tall 'Afar", "Deir al-Zour", "Abu Kamal", "Hadithah", "Ramadi", "Mosul", "Baghdad", "Kirkuk",
    "Springfield", "Paris", "London", "Aleppo", "Raqqa", "Hasakah", "Tikrit", "Samarra", "Hit",
]


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_ours(n_lookups: int) -> dict:
    return _run(
        f"""
        import json, resource, time
        t = time.perf_counter()
        from gazetteer.index import get_index, lookup
        index = get_index()
        load = time.perf_counter() - t
        queries = {QUERIES!r}
        t = time.perf_counter()
        n = 0
        while n < {n_lookups}:
            for q in queries:
                lookup(q, limit=5)
                n += 1
        rate = n / (time.perf_counter() - t)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({{"load_s": load, "lookups_per_s": rate, "peak_rss_mb": rss, "places": len(index)}}))
        """
    )


def measure_plain(n_lookups: int) -> dict:
    return _run(
        f"""
        import json, resource, time
        import pandas as pd, pyarrow.parquet as pq
        from gazetteer.build import default_index_dir
        t = time.perf_counter()
        df = pq.read_table(default_index_dir() / "places.parquet", columns=["name", "lat", "lon", "country", "population"]).to_pandas()
        load = time.perf_counter() - t
        queries = {QUERIES!r}
        t = time.perf_counter()
        n = 0
        found = 0
        while n < {n_lookups}:
            for q in queries:
                hit = df[df["name"] == q].sort_values("population", ascending=False).head(5)
                found += len(hit) > 0
                n += 1
        rate = n / (time.perf_counter() - t)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({{"load_s": load, "lookups_per_s": rate, "peak_rss_mb": rss, "found_share": found / n}}))
        """
    )


def measure_found_share() -> float:
    from gazetteer.index import lookup

    return sum(bool(lookup(q, limit=1)) for q in QUERIES) / len(QUERIES)


def measure_build() -> dict:
    return _run(
        """
        import json, resource, tempfile, time
        from pathlib import Path
        from gazetteer.build import build_index
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            build_index(Path(tmp) / "index")
            seconds = time.perf_counter() - t
            size = sum(p.stat().st_size for p in (Path(tmp) / "index").iterdir())
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"build_s": seconds, "peak_rss_mb": rss, "index_mb": size / 1e6}))
        """
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", action="store_true", help="also time a fresh index build (about 1-2 minutes)")
    parser.add_argument("--lookups", type=int, default=5000, help="lookups to time (default 5000)")
    args = parser.parse_args()

    from gazetteer.index import get_index

    get_index()  # make sure the cache exists before timing loads
    ours = measure_ours(args.lookups)
    plain = measure_plain(min(args.lookups, 500))
    ours_found = measure_found_share()
    print(f"gazetteer: {ours['places']:,} places; {len(QUERIES)} query spellings cycled")
    print(f"{'':34}{'ours (folded index)':>22}{'plain pandas exact':>22}")
    print(f"{'load (s, fresh process)':34}{ours['load_s']:>22.2f}{plain['load_s']:>22.2f}")
    print(f"{'lookups per second':34}{ours['lookups_per_s']:>22,.0f}{plain['lookups_per_s']:>22,.0f}")
    print(f"{'peak RSS (MB)':34}{ours['peak_rss_mb']:>22,.0f}{plain['peak_rss_mb']:>22,.0f}")
    print(f"{'query spellings found':34}{ours_found:>22.0%}{plain['found_share']:>22.0%}")
    if args.build:
        built = measure_build()
        print(f"{'index build (s)':34}{built['build_s']:>22.1f}{'-':>22}")
        print(f"{'build peak RSS (MB)':34}{built['peak_rss_mb']:>22,.0f}{'-':>22}")
        print(f"{'index size on disk (MB)':34}{built['index_mb']:>22,.0f}{'-':>22}")


if __name__ == "__main__":
    main()
