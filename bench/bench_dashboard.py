"""Dashboard speed and payload: first render, filter change, map bytes — beside naive folium.

Run from the repository root::

    python -m bench.bench_dashboard            # UCDP Syria + samples, then 200,000 synthetic
    python -m bench.bench_dashboard --quick    # 20,000 synthetic instead of 200,000
    python -m bench.bench_dashboard --naive 10000

Each store is built in a temporary folder: the 16,566 events of the UCDP GED Syria file in
``../shared/datasets`` (``geo.importers.read_ucdp``) or synthetic incidents
(``dashboard.synthetic``), plus the sample articles (``data/samples/articles``) through the
ingest pipeline. The dashboard runs under Streamlit's ``AppTest`` (the script as the server
runs it, without a browser):

- *first render*: every Streamlit cache and the boundary cache emptied, as after a server
  start (Python modules already imported), then one full run of the map page;
- *second session*: another visitor opening the page while the caches are warm;
- *filter change*: an event-type filter, then a date range, on the open page;
- *map payload*: the bytes of map code the page sends to the browser (streamlit-folium's
  component arguments: base map, data layers, layer control).

The plain alternative is folium's documented way: one ``folium.Marker`` with a ``Popup`` per
incident, rendered to HTML (``--naive N`` incidents; the issue measured 9.5 s and 10.5 MB
for 10,000 and 90 s and 105 MB for 100,000 on this machine).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import date
from pathlib import Path

from gazetteer import settings

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")


def build_store(path: Path, *, ucdp: bool, synthetic: int) -> int:
    """A store with UCDP Syria or synthetic incidents plus the samples; returns its size."""
    from dashboard.synthetic import synthetic_incidents
    from incidents.ingest import ingest_paths
    from incidents.store import IncidentStore

    with IncidentStore(path) as store:
        if ucdp:
            from geo.importers import read_ucdp

            source = settings.shared_dir() / "datasets" / "ucdp_ged_syria_2016_2019.csv"
            store.add_incidents(read_ucdp(source).frame, source="ucdp")
        if synthetic:
            store.add_incidents(synthetic_incidents(synthetic, seed=7), source="synthetic")
        samples = sorted((settings.data_dir() / "samples" / "articles").glob("*.md"))
        ingest_paths(samples, store=store)
        return store.stats()["incidents"]


def _payload(at) -> int:
    """Bytes of the map component's arguments in the page (what the browser receives)."""
    component = next(e for e in at.get("component_instance")
                     if "st_folium" in e.proto.component_name)
    args = json.loads(component.proto.json_args)
    return sum(len(str(args.get(k) or "").encode("utf-8"))
               for k in ("script", "header", "html", "feature_group", "layer_control"))


def _forget_caches() -> None:
    import streamlit as st

    from geo import boundaries

    st.cache_data.clear()
    st.cache_resource.clear()
    boundaries.clear_cache()


def measure_dashboard(db: Path) -> dict[str, float]:
    """Seconds for first render, second session and two filter changes; map bytes."""
    from streamlit.testing.v1 import AppTest

    os.environ["INCIDENT_ATLAS_DB"] = str(db)
    os.environ["INCIDENT_ATLAS_TILES"] = "none"
    _forget_caches()
    out: dict[str, float] = {}
    at = AppTest.from_file(APP, default_timeout=600)
    started = time.perf_counter()
    at.run()
    out["first_render_s"] = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"the dashboard failed: {at.exception}")
    out["payload_bytes"] = _payload(at)

    second = AppTest.from_file(APP, default_timeout=600)
    started = time.perf_counter()
    second.run()
    out["second_session_s"] = time.perf_counter() - started

    started = time.perf_counter()
    at.multiselect(key="f_types").set_value(["Battles"]).run()
    out["filter_type_s"] = time.perf_counter() - started
    out["payload_filtered_bytes"] = _payload(at)

    started = time.perf_counter()
    at.slider(key="f_dates").set_value((date(2017, 1, 1), date(2017, 6, 30))).run()
    out["filter_dates_s"] = time.perf_counter() - started
    out["payload_dates_bytes"] = _payload(at)
    return out


def measure_naive(n: int) -> dict[str, float]:
    """folium with one Marker and Popup per incident: seconds to build + render, HTML bytes."""
    import folium

    from dashboard.synthetic import synthetic_incidents

    frame = synthetic_incidents(n, seed=11)
    started = time.perf_counter()
    fmap = folium.Map(location=[34.5, 40.0], zoom_start=6)
    for row in frame.itertuples(index=False):
        folium.Marker([row.latitude, row.longitude],
                      popup=folium.Popup(f"{row.event_type}<br>{row.summary}",
                                         max_width=300)).add_to(fmap)
    html = fmap.get_root().render()
    return {"render_s": time.perf_counter() - started, "payload_bytes": len(html.encode())}


def _mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="20,000 synthetic incidents instead of 200,000")
    parser.add_argument("--naive", type=int, default=10_000,
                        help="incidents in the naive folium map (default 10,000; 0 skips)")
    args = parser.parse_args(argv)
    synthetic = 20_000 if args.quick else 200_000
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as folder:
        for label, ucdp, n in (("UCDP Syria + samples", True, 0),
                               (f"{synthetic:,} synthetic + samples", False, synthetic)):
            db = Path(folder) / f"{'ucdp' if ucdp else 'synthetic'}.sqlite"
            started = time.perf_counter()
            size = build_store(db, ucdp=ucdp, synthetic=n)
            built = time.perf_counter() - started
            figures = measure_dashboard(db)
            rows.append((label, size, built, figures))
    naive = measure_naive(args.naive) if args.naive else None

    print(f"{'store':<32} {'incidents':>9} {'first render':>12} {'2nd session':>11} "
          f"{'filter: type':>12} {'filter: dates':>13} {'map payload':>11} "
          f"{'filtered':>9}")
    for label, size, _, f in rows:
        print(f"{label:<32} {size:>9,} {f['first_render_s']:>11.2f}s "
              f"{f['second_session_s']:>10.2f}s {f['filter_type_s']:>11.2f}s "
              f"{f['filter_dates_s']:>12.2f}s {_mb(f['payload_bytes']):>11} "
              f"{_mb(f['payload_filtered_bytes']):>9}")
    if naive:
        print(f"{'naive folium, marker+popup each':<32} {args.naive:>9,} "
              f"{naive['render_s']:>11.2f}s {'':>11} {'(rebuild)':>12} {'':>13} "
              f"{_mb(naive['payload_bytes']):>11}")
    print("targets: first render < 4 s, filter change < 1.5 s, map payload < 5 MB")
    for label, size, built, _ in rows:
        print(f"(store build for {label}: {built:.1f} s, not part of the figures)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
