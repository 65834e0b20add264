"""Import of the UCDP GED Syria file (16,566 events), end to end, beside plain pandas.

    python -m bench.bench_import [--file PATH]

Stages timed in one process, the first time they run (as a user's first import would):
read + map + spatial join (:func:`geo.importers.read_ucdp`, which includes loading the
admin-1 polygons), store (:meth:`IncidentStore.add_incidents` into a new SQLite file), the
same file imported a second time (every row already present), and a read-back of the store's
incidents frame. Beside it: plain ``pandas.read_csv`` of the same file, which only parses it.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

from gazetteer import settings


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    from geo.importers import read_ucdp
    from incidents.store import IncidentStore

    parser = argparse.ArgumentParser(prog="python -m bench.bench_import")
    parser.add_argument("--file", type=Path,
                        default=settings.shared_dir() / "datasets" / "ucdp_ged_syria_2016_2019.csv")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    plain = pd.read_csv(args.file)
    plain_s = time.perf_counter() - start

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        start = time.perf_counter()
        result = read_ucdp(args.file)
        read_s = time.perf_counter() - start
        with IncidentStore(Path(folder) / "atlas.sqlite") as store:
            start = time.perf_counter()
            first = store.add_incidents(result.frame, source="ucdp")
            store_s = time.perf_counter() - start
            again = read_ucdp(args.file).frame
            start = time.perf_counter()
            second = store.add_incidents(again, source="ucdp")
            again_s = time.perf_counter() - start
            start = time.perf_counter()
            frame = store.incidents_frame()
            back_s = time.perf_counter() - start
    assert first.added == len(result.frame) and second.added == 0 and len(frame) == first.added
    rows.append(("read + map + spatial join", read_s))
    rows.append(("store (new SQLite file)", store_s))
    rows.append(("end to end (first import)", read_s + store_s))
    rows.append(("second import: store (all present)", again_s))
    rows.append(("read back incidents_frame()", back_s))
    rows.append(("plain pandas.read_csv", plain_s))

    print(f"Import of {args.file.name}: {result.rows_read:,} rows, {first.added:,} imported, "
          f"{len(result.bad_lines)} bad, {len(result.warnings)} warnings "
          f"(plain read_csv: {len(plain):,} rows x {plain.shape[1]} columns)")
    print(f"{'':36}{'seconds':>9}{'rows/s':>10}")
    for label, seconds in rows:
        print(f"{label:36}{seconds:9.2f}{result.rows_read / seconds:10,.0f}")
    print(f"peak memory of the process: {_peak_mb():,.0f} MB (target: end to end under 20 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
