"""End to end in a real browser: ``incident-atlas serve`` driven with headless Chromium.

Needs Debian's ``/usr/bin/chromium`` (``make browser`` installs it) and the ``playwright``
package; never downloads a browser. Skips with the reason when Chromium is missing, and
fails instead under ``CI=true``. Screenshots go to ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dashboard.synthetic import articles_with_incidents, write_test_store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _require_browser() -> None:
    reason = None
    if not CHROMIUM.is_file():
        reason = (f"{CHROMIUM} not found: install Debian's chromium (make browser, or "
                  "apt-get install chromium) to run the browser tests")
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is not installed (pip install -e '.[test]')"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(port: int, server: subprocess.Popen, timeout_s: float = 90.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"incident-atlas serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"the dashboard did not answer on port {port} in {timeout_s} s")


def _serve(tmp_path_factory, db: Path, *tiles: str):
    """``incident-atlas serve`` on ``db`` (a temporary cache); yields its URL, then stops it."""
    port = _free_port()
    log = open(tmp_path_factory.mktemp("log") / "serve.log", "w")
    # the table snapshot goes to a temporary cache (the map page needs nothing else there)
    env = dict(os.environ, INCIDENT_ATLAS_CACHE=str(tmp_path_factory.mktemp("cache")))
    proc = subprocess.Popen(
        [sys.executable, "-m", "incidents.cli", "serve", "--db", str(db), "--port", str(port),
         "--no-browser", *tiles],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(port, proc)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``incident-atlas serve`` on a store of test articles; tiles point at a closed port,
    so the map must fall back to the bundled boundaries."""
    _require_browser()
    db = write_test_store(tmp_path_factory.mktemp("browser") / "atlas.sqlite")
    dead_tiles = f"http://127.0.0.1:{_free_port()}/{{z}}/{{x}}/{{y}}.png"
    yield from _serve(tmp_path_factory, db, "--tiles", dead_tiles)


@pytest.fixture(scope="module")
def big_server(tmp_path_factory):
    """``incident-atlas serve`` on 4,000 synthetic incidents (server clusters), no tiles."""
    _require_browser()
    db = write_test_store(tmp_path_factory.mktemp("big") / "atlas.sqlite", synthetic=4000)
    yield from _serve(tmp_path_factory, db, "--tiles", "none")


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A page on the dashboard, recording every request and any JavaScript dialog."""
    context = browser.new_context(viewport={"width": 1500, "height": 1100},
                                  accept_downloads=True)
    page = context.new_page()
    page.requests = []
    page.dialogs = []
    context.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server, timeout=90_000)
    page.frame_locator(MAP_FRAME).locator(".atlas-symbol").first.wait_for(timeout=90_000)
    yield page
    context.close()


def _mark_marker(page, words: str, name: str) -> None:
    """Tag the icon of the map marker whose tooltip mentions ``words`` (for a real click)."""
    frame = next(f for f in page.frames if "st_folium" in f.url)
    found = frame.evaluate(
        """([words, name]) => {
            let hit = false;
            for (const layer of Object.values(window.map._layers)) {
                const tip = layer.getTooltip && layer.getTooltip();
                if (layer._icon && tip && String(tip.getContent()).includes(words)) {
                    layer._icon.setAttribute("data-test", name);
                    hit = true;
                }
            }
            return hit;
        }""", [words, name])
    assert found, f"no marker mentions {words!r}"


def _outside(urls: list[str]) -> list[str]:
    return [u for u in urls if not u.startswith(("data:", "blob:"))
            and urlparse(u).hostname not in LOCAL_HOSTS]


def test_map_renders_and_a_click_opens_the_source(page):
    frame = page.frame_locator(MAP_FRAME)
    assert frame.locator(".atlas-symbol").count() == 2  # Ramadi (exact) and Rutba (approx.)
    assert frame.locator(".atlas-badge").count() == 1  # the province-level arrests
    province_paths = frame.locator(".leaflet-overlay-pane path.leaflet-interactive")
    assert province_paths.count() >= 1
    assert any("Incidents per province" in text
               for text in frame.locator(".atlas-legend").all_inner_texts())
    # the offline base (land, borders, labels) is drawn although the tiles cannot load
    assert frame.locator(".atlas-label-country").count() >= 2
    frame.locator(".atlas-note").wait_for(timeout=30_000)

    _mark_marker(page, "Ramadi", "ramadi")
    frame.locator("[data-test=ramadi]").click()
    source = page.locator(".atlas-source").first
    source.wait_for(timeout=60_000)
    assert "Two car bombs exploded in Ramadi on Monday" in source.inner_text()
    assert source.locator("mark.atlas-ev-trigger").inner_text() == "exploded"
    assert source.locator("mark.atlas-ev-place").inner_text() == "Ramadi"
    assert source.locator("mark.atlas-ev-count").inner_text() == "killing 5 people"
    page.locator(".atlas-activity img").first.wait_for(timeout=30_000)  # the chart over time
    time.sleep(1)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert _outside(page.requests) == []


def test_markup_in_an_article_stays_text_in_the_browser(page):
    frame = page.frame_locator(MAP_FRAME)
    _mark_marker(page, "Rutba", "rutba")
    marker = frame.locator("[data-test=rutba]")
    marker.hover()
    tip = frame.locator(".atlas-tip").first
    tip.wait_for(timeout=30_000)
    assert "Clashes near Rutba <b>update</b>" in tip.inner_text()
    marker.click()
    source = page.locator(".atlas-source").first
    source.wait_for(timeout=60_000)
    text = source.inner_text()
    assert '<script>alert("owned")</script>' in text
    assert "<img src=x onerror=alert(1)>" in text
    assert source.locator("script").count() == 0 and source.locator("img").count() == 0
    assert page.locator("text=Clashes near Rutba <b>update</b>").count() >= 1
    time.sleep(1)
    assert page.dialogs == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-markup.png"), full_page=True)


def test_geojson_download_holds_the_incidents(page):
    button = page.get_by_role("button", name="GeoJSON")
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "incident-atlas.geojson"
    collection = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    ids = {f["id"] for f in collection["features"]}
    assert ids == {incidents[0].incident_id for _, incidents in articles_with_incidents()}
    assert _outside(page.requests) == []


def test_the_ingest_page_opens_from_its_url(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "ingest", timeout=90_000)
    page.get_by_role("heading", name="Ingest articles").wait_for(timeout=90_000)
    nav = page.locator("[data-testid=stSidebarNav]").inner_text()
    assert "Map" in nav and "Ingest articles" in nav
    assert "app" not in nav.split()  # not Streamlit's page-per-file fallback
    context.close()


def test_the_map_keeps_its_place_and_panning_does_not_rerun(page):
    from streamlit.proto.BackMsg_pb2 import BackMsg

    reruns = []

    def sent(payload):
        data = payload if isinstance(payload, bytes) else payload.encode()
        if BackMsg.FromString(data).WhichOneof("type") == "rerun_script":
            reruns.append(data)

    # the page is already open: watch a fresh socket by reloading it
    page.on("websocket", lambda ws: ws.on("framesent", sent))
    page.reload()
    frame_locator = page.frame_locator(MAP_FRAME)
    frame_locator.locator(".atlas-symbol").first.wait_for(timeout=90_000)
    time.sleep(3)  # the map's first report may rerun the page once
    frame = next(f for f in page.frames if "st_folium" in f.url)
    before = len(reruns)
    frame.evaluate("() => { window.map.setView([33.3, 43.0], 9); window.map.panBy([80, 40]); }")
    time.sleep(3)
    assert len(reruns) == before  # moving the map sends nothing worth a rerun
    view = frame.evaluate("() => [window.map.getZoom(), window.map.getCenter().lat]")
    frame.evaluate("() => { window.__marker = window.__GLOBAL_DATA__.last_feature_group; }")
    page.get_by_label("Search text").fill("ramadi")
    page.keyboard.press("Enter")
    frame.wait_for_function(
        "() => window.__GLOBAL_DATA__.last_feature_group !== window.__marker", timeout=90_000)
    assert len(reruns) > before
    assert frame.evaluate("() => [window.map.getZoom(), window.map.getCenter().lat]") == view


def test_clicking_a_server_cluster_zooms_in_and_shows_its_incidents(browser, big_server):
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    page = context.new_page()
    page.goto(big_server, timeout=90_000)
    frame_locator = page.frame_locator(MAP_FRAME)
    frame_locator.locator(".atlas-bubble").first.wait_for(timeout=90_000)
    page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=90_000)  # page whole
    frame = next(f for f in page.frames if "st_folium" in f.url)
    assert "IncidentAtlas.gridClusters(" in frame.evaluate(
        "() => window.__GLOBAL_DATA__.last_feature_group")
    zoom = frame.evaluate("() => window.map.getZoom()")
    # the biggest cluster in view: its tooltip names its area
    frame.evaluate("""() => {
        let best = null;
        for (const layer of Object.values(window.map._layers)) {
            const tip = layer.getTooltip && layer.getTooltip();
            if (!layer._icon || !tip || !String(tip.getContent()).includes("@area:")) continue;
            const n = parseInt(layer._icon.textContent.replace(/,/g, ""), 10);
            if (!best || n > best[0]) best = [n, layer];
        }
        best[1]._icon.setAttribute("data-test", "cluster");
    }""")
    frame.evaluate("() => { window.__before = window.__GLOBAL_DATA__.last_feature_group; }")
    frame_locator.locator("[data-test=cluster]").click()
    frame.wait_for_function(f"() => window.map.getZoom() > {zoom}", timeout=30_000)
    page.get_by_text("Showing the incidents of the cluster clicked on the map").wait_for(
        timeout=90_000)
    frame.wait_for_function(
        "() => window.__GLOBAL_DATA__.last_feature_group !== window.__before", timeout=90_000)
    layers = frame.evaluate("() => window.__GLOBAL_DATA__.last_feature_group")
    assert "IncidentAtlas.markers(" in layers  # few enough in the area for single symbols
    frame_locator.locator(".atlas-symbol").first.wait_for(timeout=30_000)
    shown = page.locator("[data-testid=stMetric]").filter(has_text="Incidents").inner_text()
    assert "4,003" not in shown
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-cluster-click.png"), full_page=True)

    page.get_by_role("button", name="Show all areas").click()
    frame.wait_for_function(
        "() => window.__GLOBAL_DATA__.last_feature_group.includes('gridClusters')",
        timeout=90_000)
    context.close()
