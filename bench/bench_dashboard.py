"""Dashboard speed and payload: first render, filter change, map bytes — beside naive folium.

Run from the repository root (needs Debian's ``/usr/bin/chromium``; ``make browser``)::

    python -m bench.bench_dashboard            # UCDP Syria + samples, then 200,000 synthetic
    python -m bench.bench_dashboard --quick    # 20,000 synthetic instead of 200,000
    python -m bench.bench_dashboard --naive 0  # skip the naive folium baseline
    git archive <commit> | tar -x -C /tmp/before
    python -m bench.bench_dashboard --compare /tmp/before   # + first visits, A/B, UCDP only
    python -m bench.bench_dashboard --timeline 3 --trace /tmp/trace.json   # where time goes

Each store is built in a temporary folder: the 16,566 events of the UCDP GED Syria file in
``../shared/datasets`` (``geo.importers.read_ucdp``) or synthetic incidents
(``dashboard.synthetic``), plus the sample articles (``data/samples/articles``) through the
ingest pipeline. Then ``incident-atlas serve`` runs on it (no tiles) and headless Chromium
measures what a user waits for:

- *first*: a freshly started server, first visitor (a new browser context: nothing
  cached), until the map is drawn (its symbols or clusters and the province layer: the
  first full render) and until the whole page is (the chart and the table too); the table
  was read from SQLite at start-up;
- *visitors*: three more visitors while the server is warm (median; each a new context);
- *restart*: a first visitor after restarting the server (the table comes from its snapshot);
- *filter* / *search*: choosing an event type and removing it again, typing a search and
  clearing it, twice each, until the browser's map holds the new layers (median and worst);
- *payload*: the bytes of map code the page sends to the browser (streamlit-folium's
  component arguments: base map, data layers, layer control), unfiltered and filtered,
  read from an ``AppTest`` run of the page.

With ``--compare DIR`` (another checkout of the repository, e.g. an older commit), first
visits to that code and to this one alternate on the UCDP store (three rounds, three
visitors each), so the two are timed under the same load of a shared machine.

With ``--timeline N``, N first visits on the UCDP store print their milestones in ms from
navigation start (Streamlit's bundle, websocket and its messages named, the map's frame, its
scripts, layers added and painted, the rest of the page), and the first visit's Chromium
trace is summarised per step (main-thread busy, script, style/layout/paint, parse, GC).

The plain alternative is folium's documented way: one ``folium.Marker`` with a ``Popup`` per
incident, rendered to HTML (``--naive N`` incidents; the issue measured 9.5 s and 10.5 MB
for 10,000 and 90 s and 105 MB for 100,000 on this machine).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from gazetteer import settings

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"


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


def store_size(path: Path) -> int:
    """Incidents in an existing store."""
    from incidents.store import IncidentStore

    with IncidentStore(path) as store:
        return store.stats()["incidents"]


def _payload(at) -> int:
    """Bytes of the map component's arguments in the page (what the browser receives)."""
    component = next(e for e in at.get("component_instance")
                     if "st_folium" in e.proto.component_name)
    args = json.loads(component.proto.json_args)
    return sum(len(str(args.get(k) or "").encode("utf-8"))
               for k in ("script", "header", "html", "feature_group", "layer_control"))


def measure_payload(db: Path) -> dict[str, float]:
    """Map bytes sent to the browser, unfiltered and filtered (AppTest runs the page)."""
    from streamlit.testing.v1 import AppTest

    os.environ["INCIDENT_ATLAS_DB"] = str(db)
    os.environ["INCIDENT_ATLAS_TILES"] = "none"
    from dashboard.panels import PAGE_DRAWN

    at = AppTest.from_file(APP, default_timeout=600)
    at.session_state[PAGE_DRAWN] = True  # a later run: the filters are drawn
    at.run()
    if at.exception:
        raise RuntimeError(f"the dashboard failed: {at.exception}")
    out = {"payload_bytes": _payload(at)}
    at.multiselect(key="f_types").set_value(["Battles"]).run()
    out["payload_filtered_bytes"] = _payload(at)
    return out


#: The chart over time (checkouts before 6d9136f drew it with Vega; --compare runs them).
CHART = ".atlas-activity img, .vega-embed svg"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``incident-atlas serve`` on a store, as a user starts it (no tiles), from the code in
    ``root`` (default: this checkout)."""

    def __init__(self, db: Path, cache: Path, *, root: Path = ROOT) -> None:
        self.port = _free_port()
        started = time.perf_counter()
        env = dict(os.environ, INCIDENT_ATLAS_CACHE=str(cache), INCIDENT_ATLAS_TILES="none",
                   PYTHONPATH=str(root))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "incidents.cli", "serve", "--db", str(db), "--port",
             str(self.port), "--no-browser"], cwd=root, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2):
                    self.startup_s = time.perf_counter() - started
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise TimeoutError("the dashboard did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


class Wire:
    """Streamlit's websocket as the browser sees it: when each script run starts (the
    session opens, or the page asks for a rerun) and finishes, and the bytes received."""

    def __init__(self, page) -> None:
        self.events: list[tuple[float, str, int]] = []
        page.on("websocket", self._attach)

    def _attach(self, socket_) -> None:
        if "_stcore/stream" in socket_.url:
            socket_.on("framereceived", self._received)
            socket_.on("framesent", self._sent)

    def _received(self, payload: bytes | str) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        data = payload if isinstance(payload, bytes) else payload.encode()
        message = ForwardMsg.FromString(data)
        kind = message.WhichOneof("type") or "?"
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element" and \
                message.delta.new_element.WhichOneof("type") == "component_instance":
            kind = "delta: the map"
        self.events.append((time.perf_counter(), kind, len(data)))

    def _sent(self, payload: bytes | str) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        data = payload if isinstance(payload, bytes) else payload.encode()
        kind = BackMsg.FromString(data).WhichOneof("type") or "?"
        self.events.append((time.perf_counter(), "sent:" + kind, len(data)))

    def run_after(self, index: int, page, start_kinds: tuple[str, ...]) -> tuple[float, int]:
        """Seconds of the first script run starting after event ``index`` (from its start
        message to ``script_finished``) and the bytes received meanwhile."""
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            events = self.events[index:]
            starts = [i for i, e in enumerate(events) if e[1] in start_kinds]
            if starts:
                begun = events[starts[0]][0]
                done = [e for e in events[starts[0]:] if e[1] == "script_finished"]
                if done:
                    sent = sum(e[2] for e in events[starts[0]:] if not e[1].startswith("sent:")
                               and e[0] <= done[0][0])
                    return done[0][0] - begun, sent
            page.wait_for_timeout(50)
        raise TimeoutError("no script run finished")


def _open(browser, url: str) -> tuple[object, Wire, dict[str, float]]:
    """A new visitor: seconds until the map is drawn (symbols or clusters, and provinces)
    and until the chart and the table are too; the server's script time for the first
    run of the page and the bytes received until the page was whole."""
    page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    wire = Wire(page)
    started = time.perf_counter()
    page.goto(url, timeout=300_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".atlas-symbol, .atlas-bubble").first.wait_for(timeout=300_000)
    frame.locator(".leaflet-overlay-pane path.leaflet-interactive").first.wait_for(
        timeout=300_000)
    map_drawn = time.perf_counter() - started
    page.locator(CHART).first.wait_for(timeout=300_000)
    page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=300_000)
    drawn = time.perf_counter() - started
    script, _ = wire.run_after(0, page, ("new_session",))
    sent = sum(e[2] for e in wire.events if not e[1].startswith("sent:"))
    return page, wire, {"map": map_drawn, "drawn": drawn, "script": script, "bytes": sent}


def _median(samples: list[dict[str, float]]) -> dict[str, float]:
    """Per figure, the median of the samples (and the worst, as ``<figure>_max``)."""
    out: dict[str, float] = {}
    for name in samples[0]:
        values = [s[name] for s in samples]
        out[name] = statistics.median(values)
        out[name + "_max"] = max(values)
    out["n"] = len(samples)
    return out


def _timed_change(page, wire: Wire, act) -> dict[str, float]:
    """A widget change: the server's script time, the bytes it sent, and the seconds until
    the browser's map holds the new layers, from the start of the action (``drawn``: it
    includes clicking and typing into the widget) and from the page's rerun request
    (``requested``: what the app itself takes)."""
    frame = next(f for f in page.frames if "st_folium" in f.url)
    frame.evaluate("() => { window.__bench = window.__GLOBAL_DATA__.last_feature_group; }")
    index = len(wire.events)
    started = time.perf_counter()
    act()
    frame.wait_for_function(
        "() => window.__GLOBAL_DATA__.last_feature_group !== window.__bench", timeout=300_000)
    done = time.perf_counter()
    script, sent = wire.run_after(index, page, ("sent:rerun_script",))
    asked = next(e[0] for e in wire.events[index:] if e[1] == "sent:rerun_script")
    return {"drawn": done - started, "requested": done - asked, "script": script,
            "bytes": sent}


def measure_browser(db: Path, browser, cache: Path, *, visitors: int = 3,
                    repeats: int = 2) -> dict[str, dict[str, float]]:
    """Timings against a real server in headless Chromium (see the module docstring)."""
    out: dict[str, dict[str, float]] = {}
    server = Server(db, cache)
    try:
        first_page, _, out["first visitor"] = _open(browser, server.url)
        out["first visitor"]["startup"] = server.startup_s
        first_page.context.close()
        opened = [_open(browser, server.url) for _ in range(visitors)]
        for visit in opened[:-1]:
            visit[0].context.close()
        page, wire, _ = opened[-1]
        out[f"next visitors ({visitors})"] = _median([visit[2] for visit in opened])
        types = page.locator("[data-testid=stMultiSelect]").filter(has_text="Event type")

        def pick_battles() -> None:
            types.locator("input").click()
            page.keyboard.type("Battles")
            page.keyboard.press("Enter")

        def unpick() -> None:
            types.locator("input").click()
            page.keyboard.press("Backspace")

        def search(text: str):
            def act() -> None:
                page.get_by_label("Search text").fill(text)
                page.keyboard.press("Enter")
            return act

        by_type, by_text = [], []
        for _ in range(repeats):
            by_type.append(_timed_change(page, wire, pick_battles))
            page.keyboard.press("Escape")
            by_type.append(_timed_change(page, wire, unpick))
            page.keyboard.press("Escape")
        for _ in range(repeats):
            by_text.append(_timed_change(page, wire, search("ISIS")))
            by_text.append(_timed_change(page, wire, search("")))
        out["filter: event type"] = _median(by_type)
        out["filter: search"] = _median(by_text)
    finally:
        server.stop()
    server = Server(db, cache)  # a restart: the table comes from its snapshot
    try:
        _, _, out["after restart"] = _open(browser, server.url)
        out["after restart"]["startup"] = server.startup_s
    finally:
        server.stop()
    return out


def measure_compare(db: Path, browser, folder: Path, other: Path, *, rounds: int = 3,
                    visitors: int = 3) -> dict[str, dict[str, float]]:
    """First visits to the code in ``other`` and to this checkout, alternating (median)."""
    samples: dict[str, list[dict[str, float]]] = {"other": [], "this": []}
    for _ in range(rounds):
        for name, root in (("other", other), ("this", ROOT)):
            server = Server(db, folder / f"cache-compare-{name}", root=root)
            try:
                for _ in range(visitors):
                    page, _, figures = _open(browser, server.url)
                    page.context.close()
                    samples[name].append(figures)
            finally:
                server.stop()
    return {name: _median(values) for name, values in samples.items()}


def measure_bare_streamlit(browser, folder: Path) -> dict[str, float]:
    """The floor: a Streamlit page with a title and a three-row table (median of three
    visitors after the first, each a new browser context)."""
    script = folder / "bare.py"
    script.write_text("import streamlit as st\nst.title('bare')\nst.dataframe({'a': [1, 2, 3]})\n")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script),
                             "--server.port", str(port), "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        times = []
        for _ in range(4):
            page = browser.new_context().new_page()
            started = time.perf_counter()
            page.goto(url, timeout=300_000)
            page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=300_000)
            times.append(time.perf_counter() - started)
            page.context.close()
        return {"drawn": statistics.median(times[1:])}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


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


#: Injected into every frame before its own scripts: milestones of a visit, as epoch
#: milliseconds, gathered in the top window (the map's frame is same-origin) and marked in
#: Chromium's trace (``performance.mark``) so trace events can be placed among them.
TIMELINE_JS = r"""
(() => {
  const inFrame = window !== window.top;
  let store = [];
  try {
    store = window.top.__atlasTimeline = window.top.__atlasTimeline || [];
  } catch (e) {
    window.__atlasTimeline = store;  // a cross-origin frame keeps its own
  }
  const seen = new Set();
  const mark = (name, where = "") => {
    const label = where + name;
    if (seen.has(label)) return;
    seen.add(label);
    store.push([performance.timeOrigin + performance.now(), label]);
    try { performance.mark("atlas:" + label); } catch (e) {}
  };
  if (inFrame) return;
  mark("document starts");
  const Native = window.WebSocket;
  window.WebSocket = function (url, protocols) {
    const socket = new Native(url, protocols);
    if (String(url).includes("_stcore/stream")) {
      mark("websocket created");
      socket.addEventListener("open", () => mark("websocket open"));
      let n = 0;
      socket.addEventListener("message", () => {
        n += 1;
        store.push([performance.timeOrigin + performance.now(), "ws message " + n]);
      });
    }
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  const watch = [
    ["iframe[title='streamlit_folium.st_folium']", "map frame created"],
    ["[data-testid=stMetric]", "figures drawn"],
    [".leaflet-container", "Leaflet map created"],
    ["canvas", "canvas created"],
    [".atlas-label", "base labels added"],
    [".leaflet-overlay-pane path.leaflet-interactive", "province paths added"],
    [".atlas-symbol, .atlas-bubble", "symbols or clusters added"],
    [".atlas-activity img, .vega-embed svg", "chart drawn"],
    ["[data-testid=stDataFrame]", "table drawn"],
    ["[data-testid=stMultiSelect]", "filters drawn"],
  ];
  // Script loads do not reach the window (a load event stops at the document).
  const follow = (doc, where) => {
    doc.addEventListener("load", (e) => {
      const el = e.target;
      const sheet = el && el.tagName === "LINK" && el.rel === "stylesheet";
      if (el && (el.tagName === "SCRIPT" || sheet)) {
        const src = (el.src || el.href || "").split("/").pop().split("?")[0];
        mark((sheet ? "stylesheet: " : "script ran: ") + src, where);
      }
    }, true);
    const check = () => {
      for (const [selector, name] of watch) {
        if (!seen.has(where + name) && doc.querySelector(selector)) {
          mark(name, where);
          if (name.endsWith("added")) {
            requestAnimationFrame(() => setTimeout(() =>
              mark(name.replace("added", "painted"), where)));
          }
        }
      }
    };
    new MutationObserver(check).observe(doc, {childList: true, subtree: true});
  };
  follow(document, "");
  // The map's frame: its first document (about:blank) is replaced; follow the real one.
  const poll = setInterval(() => {
    const frame = document.querySelector("iframe[title='streamlit_folium.st_folium']");
    const doc = frame && frame.contentDocument;
    if (!doc || doc.URL === "about:blank") return;
    clearInterval(poll);
    mark("document seen", "frame: ");
    frame.contentWindow.addEventListener("message", (e) => {
      if (e.data && e.data.type === "streamlit:render") mark("render args received", "frame: ");
    });
    follow(doc, "frame: ");
  }, 5);
})();
"""

#: Trace categories: the renderer's tasks, script, layout/paint, GC and the marks above.
TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8",
                    "blink.user_timing", "loading"]


def _trace_busy(trace: Path, milestones: list[tuple[float, str]]) -> list[dict[str, float]]:
    """Per step between milestones: ms of top-level tasks on the page's main thread, of
    which script, style/layout/paint, parse and GC (from Chromium's trace)."""
    events = json.loads(trace.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    marks = {e["name"][len("atlas:"):]: e["ts"] for e in events
             if e.get("name", "").startswith("atlas:") and e.get("ph") in ("R", "I", "n", "b")}
    if not marks:
        return []
    # epoch ms -> trace µs, from the first milestone marked in both
    anchor = next((t, name) for t, name in milestones if name in marks)
    offset = marks[anchor[1]] - anchor[0] * 1000
    threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
               if e.get("ph") == "M" and e.get("name") == "thread_name"}
    main = {key for key, name in threads.items() if name == "CrRendererMain"}
    kinds = {"script": ("FunctionCall", "EvaluateScript", "v8.compile", "TimerFire",
                        "EventDispatch", "FireAnimationFrame", "v8.evaluateModule",
                        "RunMicrotasks", "V8.Execute", "v8.run"),
             "layout/paint": ("UpdateLayoutTree", "Layout", "Paint", "PrePaint",
                              "UpdateLayerTree", "Layerize", "Commit", "RecalculateStyles"),
             "parse": ("ParseHTML", "ParseAuthorStyleSheet"),
             "GC": ("MinorGC", "MajorGC", "V8.GCScavenger", "V8.GCFinalizeMC",
                    "BlinkGC.AtomicPhase", "V8.GC_MC_BACKGROUND_EVACUATE_COPY")}
    tasks = [e for e in events if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X"
             and e.get("name") in ("RunTask", "ThreadControllerImpl::RunTask")]
    inner = [e for e in events if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X"]
    steps = []
    for (t0, name0), (t1, name1) in itertools.pairwise(milestones):
        lo, hi = t0 * 1000 + offset, t1 * 1000 + offset
        row = {"from": name0, "to": name1, "ms": t1 - t0}

        def overlap(e: dict, lo: float = lo, hi: float = hi) -> float:
            return max(0.0, min(e["ts"] + e.get("dur", 0), hi) - max(e["ts"], lo)) / 1000

        row["busy"] = sum(overlap(e) for e in tasks)
        for kind, names in kinds.items():
            row[kind] = sum(overlap(e) for e in inner if e["name"] in names)
        steps.append(row)
    return steps


def measure_timeline(db: Path, browser, folder: Path, *, visitors: int = 3,
                     trace: Path | None = None) -> list[dict[str, object]]:
    """Milestones of first visits (the server's first visitor, then ``visitors - 1`` more),
    in ms from navigation start, with the websocket's messages named; with ``trace``, the
    first visitor's Chromium trace is written there and its main-thread time summarised."""
    server = Server(db, folder / "cache-timeline")
    visits = []
    try:
        for n in range(visitors):
            context = browser.new_context(viewport={"width": 1500, "height": 1000})
            context.add_init_script(TIMELINE_JS)
            page = context.new_page()
            wire = Wire(page)
            requested: list[tuple[float, str]] = []

            def on_request(request, requested=requested) -> None:
                name = request.url.split("?")[0].split("/")[-1]
                if request.resource_type in ("script", "document") and (
                        "st_folium" in request.url or "/app/static/" in request.url):
                    requested.append((time.time() * 1000, f"requested: {name}"))
            page.on("request", on_request)
            tracing = trace is not None and n == 0
            if tracing:
                browser.start_tracing(page=page, path=str(trace), categories=TRACE_CATEGORIES)
            page.goto(server.url, timeout=300_000)
            frame = page.frame_locator(MAP_FRAME)
            frame.locator(".atlas-symbol, .atlas-bubble").first.wait_for(timeout=300_000)
            page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=300_000)
            page.wait_for_timeout(300)
            if tracing:
                browser.stop_tracing()
            start = page.evaluate("performance.timeOrigin")
            marks = page.evaluate("window.__atlasTimeline")
            received = [e for e in wire.events if not e[1].startswith("sent:")]
            named = [(t, name) for t, name in requested]
            for t, name in marks:
                if name.startswith("ws message "):
                    i = int(name.split()[-1]) - 1
                    if i >= len(received) or (i > 0 and received[i - 1][1] == received[i][1]):
                        continue  # a run of deltas is named by its first message
                    kind = received[i][1]
                    run = list(itertools.takewhile(lambda e, kind=kind: e[1] == kind,
                                                   received[i:]))
                    name = f"message: {kind}" + (
                        f" x{len(run)}" if len(run) > 1 else "") + \
                        f" ({sum(e[2] for e in run) / 1000:.1f} kB)"
                named.append((t, name))
            named.sort()
            steps = _trace_busy(trace, named) if tracing else []
            visits.append({"start": start, "marks": [(t - start, name) for t, name in named],
                           "steps": steps})
            context.close()
    finally:
        server.stop()
    return visits


def print_timeline(visits: list[dict[str, object]]) -> None:
    """The milestones of each visit side by side (ms from navigation start)."""
    for n, visit in enumerate(visits):
        print(f"\nvisitor {n + 1}{' (the server first visitor)' if n == 0 else ''}: "
              "ms from navigation start")
        for t, name in visit["marks"]:
            print(f"  {t:8.0f}  {name}")
        if visit["steps"]:
            print("  main thread during each step (ms): step, busy, script, layout/paint, "
                  "parse, GC")
            for s in visit["steps"]:
                if s["ms"] >= 20:
                    print(f"  {s['ms']:6.0f} {s['busy']:6.0f} {s['script']:6.0f} "
                          f"{s['layout/paint']:6.0f} {s['parse']:6.0f} {s['GC']:5.0f}  "
                          f"{s['from']} -> {s['to']}")


def _mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="20,000 synthetic incidents instead of 200,000")
    parser.add_argument("--naive", type=int, default=10_000,
                        help="incidents in the naive folium map (default 10,000; 0 skips)")
    parser.add_argument("--compare", type=Path, metavar="DIR",
                        help="another checkout: time its first visits against this one's, "
                             "alternating, on the UCDP store (and skip the rest)")
    parser.add_argument("--timeline", type=int, metavar="N", default=0,
                        help="the milestones of N first visits on the UCDP store, the first "
                             "with Chromium's trace (and skip the rest)")
    parser.add_argument("--trace", type=Path, metavar="FILE",
                        help="with --timeline: keep the first visit's Chromium trace here")
    parser.add_argument("--store", type=Path, metavar="FILE",
                        help="the UCDP store to use for --compare and --timeline (built there "
                             "when missing, reused when present)")
    args = parser.parse_args(argv)
    if not CHROMIUM.is_file():
        print(f"{CHROMIUM} is missing: install Debian's chromium (make browser) to time the "
              "dashboard in a browser", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    synthetic = 20_000 if args.quick else 200_000
    loaded = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as folder, \
            sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        if args.compare or args.timeline:
            db = args.store or Path(folder) / "ucdp.sqlite"
            size = build_store(db, ucdp=True, synthetic=0) if not db.is_file() else \
                store_size(db)
        if args.timeline:
            trace = args.trace or Path(folder) / "trace.json"
            print_timeline(measure_timeline(db, browser, Path(folder), visitors=args.timeline,
                                            trace=trace))
            browser.close()
            load = os.getloadavg()
            print(f"load average: {loaded[0]:.1f} at the start, {load[0]:.1f} at the end "
                  "(2 cores)")
            return 0
        if args.compare:
            compared = measure_compare(db, browser, Path(folder), args.compare.resolve())
            bare = measure_bare_streamlit(browser, Path(folder))
            browser.close()
            print(f"\nUCDP Syria + samples: {size:,} incidents; first visits (median of "
                  f"{compared['this']['n']}, each a new browser context), alternating")
            print(f"  {'':<28} {'map drawn':>10} {'page drawn':>10} {'server script':>13}")
            for name, label in (("other", str(args.compare)), ("this", "this checkout")):
                f = compared[name]
                print(f"  {label[-28:]:<28} {f['map']:>9.2f}s {f['drawn']:>9.2f}s "
                      f"{f['script']:>12.2f}s")
            print(f"bare Streamlit page, median visitor: drawn in {bare['drawn']:.2f}s")
            load = os.getloadavg()
            print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
                  f"(2 cores; {loaded[0]:.1f} at the start)")
            return 0
        bare = measure_bare_streamlit(browser, Path(folder))
        for label, ucdp, n in (("UCDP Syria + samples", True, 0),
                               (f"{synthetic:,} synthetic + samples", False, synthetic)):
            db = Path(folder) / f"{'ucdp' if ucdp else 'synthetic'}.sqlite"
            started = time.perf_counter()
            size = build_store(db, ucdp=ucdp, synthetic=n)
            built = time.perf_counter() - started
            timings = measure_browser(db, browser, Path(folder) / f"cache-{len(rows)}")
            rows.append((label, size, built, timings, measure_payload(db)))
        browser.close()
    naive = measure_naive(args.naive) if args.naive else None

    for label, size, built, timings, payload in rows:
        print(f"\n{label}: {size:,} incidents (store built in {built:.1f} s, not counted)")
        print(f"  {'':<22} {'server start':>12} {'server script':>13} {'received':>9} "
              f"{'map drawn':>10} {'page drawn':>10}")
        for step, f in timings.items():
            start = f"{f['startup']:.2f}s" if "startup" in f else ""
            worst = f" (worst {f['drawn_max']:.2f}s)" if "drawn_max" in f else ""
            map_drawn = f"{f['map']:.2f}s" if "map" in f else ""
            page_drawn = f"{f['drawn']:.2f}s" if "map" in f else ""
            if "map" not in f:  # a filter change: until the map holds the new layers
                map_drawn = f"{f['drawn']:.2f}s"
            print(f"  {step:<22} {start:>12} {f['script']:>12.2f}s {_mb(f['bytes']):>9} "
                  f"{map_drawn:>10} {page_drawn:>10}{worst}")
            if "requested" in f:
                print(f"  {'':<22} from the rerun request: {f['requested']:.2f}s "
                      f"(worst {f['requested_max']:.2f}s)")
        print(f"  map component payload: {_mb(payload['payload_bytes'])} "
              f"(filtered to Battles: {_mb(payload['payload_filtered_bytes'])})")
    print(f"\nbare Streamlit page (title + 3-row table), median visitor: drawn in "
          f"{bare['drawn']:.2f}s")
    if naive:
        print(f"naive folium, one Marker + Popup per incident, {args.naive:,} incidents: "
              f"{naive['render_s']:.2f}s to build and render, {_mb(naive['payload_bytes'])} "
              "of HTML (no browser)")
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (2 cores; "
          f"{loaded[0]:.1f} at the start)")
    print("targets: first render < 4 s, filter change < 1.5 s, map payload < 5 MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
