"""The map without a CDN: vendored Leaflet and plugins served by the app, and configurable tiles.

folium loads Leaflet, jQuery, Bootstrap, Font Awesome and every plugin from CDNs. The
dashboard replaces all of that with the files in ``dashboard/static/`` (see
``dashboard/static/vendor/LICENSES.md``), which Streamlit serves at ``<base>/app/static/``
when ``server.enableStaticServing`` is on (``.streamlit/config.toml``; ``incident-atlas serve``
also passes it on the command line). streamlit-folium draws the map in a component frame
served at ``<base>/component/streamlit_folium.st_folium/index.html``, so the assets are
addressed relative to that frame (:data:`COMPONENT_PREFIX`) and follow any
``server.baseUrlPath``.

Tiles come from ``$INCIDENT_ATLAS_TILES`` (a ``{z}/{x}/{y}`` URL template, or ``none`` for no
tiles); the default is OpenStreetMap's. Whatever the tiles do, the map draws land, borders
and province names from the bundled boundaries underneath (``IncidentAtlas.base`` in
``atlas.js``), so it reads on a machine with no network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from dashboard.errors import DashboardConfigError

#: Where the app's static files live (served at ``<base>/app/static/``).
STATIC_DIR = Path(__file__).resolve().parent / "static"

#: ``dashboard/static/`` as seen from streamlit-folium's component frame.
COMPONENT_PREFIX = "../../app/static/"

#: Leaflet itself; every other script needs it loaded first.
LEAFLET_JS = ("leaflet", "vendor/leaflet-1.9.3/leaflet.js")
LEAFLET_CSS = ("leaflet_css", "vendor/leaflet-1.9.3/leaflet.css")

#: Loaded with the map, after Leaflet: the dashboard's own layers.
PLUGIN_JS: tuple[tuple[str, str], ...] = (
    ("atlas", "atlas/atlas.js"),
)
#: Plugins ``atlas.js`` loads itself when a layer first needs them (the same paths are
#: written there): streamlit-folium loads its scripts one after another before drawing the
#: map, and the first view needs none of these (clusters) or only marker clustering.
LAZY_JS: tuple[tuple[str, str], ...] = (
    ("markercluster", "vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js"),
    ("heat", "vendor/leaflet.heat-0.2.0/leaflet-heat.min.js"),
    ("timeline", "vendor/leaflet.timeline-1.6.0/leaflet.timeline.js"),
)
PLUGIN_CSS: tuple[tuple[str, str], ...] = (
    ("markercluster_css", "vendor/leaflet.markercluster-1.5.3/MarkerCluster.css"),
    ("markercluster_default_css", "vendor/leaflet.markercluster-1.5.3/MarkerCluster.Default.css"),
    ("atlas_css", "atlas/atlas.css"),
)

TILES_ENV = "INCIDENT_ATLAS_TILES"
TILES_ATTRIBUTION_ENV = "INCIDENT_ATLAS_TILES_ATTRIBUTION"
DEFAULT_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILES_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
#: Values of ``$INCIDENT_ATLAS_TILES`` that mean "draw no tiles".
NO_TILES = ("", "none", "off", "false", "0")


@dataclass(frozen=True, slots=True)
class TileSource:
    """A raster tile layer: ``url`` is a ``{z}/{x}/{y}`` template; ``attribution`` is HTML."""

    url: str
    attribution: str
    name: str = "Map tiles"
    max_zoom: int = 18


def tile_source(environ: Mapping[str, str] | None = None) -> TileSource | None:
    """The tile layer configured by ``$INCIDENT_ATLAS_TILES``, or None for no tiles.

    Parameters
    ----------
    environ
        Where to read the settings (default: ``os.environ``, read at call time).

    Raises
    ------
    DashboardConfigError
        The URL is not an http(s) template with ``{z}``, ``{x}`` and ``{y}``.
    """
    env = os.environ if environ is None else environ
    url = env.get(TILES_ENV, DEFAULT_TILES_URL).strip()
    if url.lower() in NO_TILES:
        return None
    missing = [part for part in ("{z}", "{x}", "{y}") if part not in url]
    if missing or not url.startswith(("http://", "https://", "/", "../")):
        raise DashboardConfigError(
            f"{TILES_ENV}={url!r} is not a tile URL template; give one like "
            f"'http://localhost:8080/{{z}}/{{x}}/{{y}}.png' (missing {missing!r}), or 'none' "
            "for no tiles"
        )
    default = url == DEFAULT_TILES_URL
    attribution = env.get(TILES_ATTRIBUTION_ENV) or (
        DEFAULT_TILES_ATTRIBUTION if default else "Map tiles"
    )
    return TileSource(url=url, attribution=attribution,
                      name="OpenStreetMap" if default else "Map tiles")


def missing_assets() -> list[str]:
    """Static files the map needs that are not on disk (empty when the install is whole)."""
    wanted = [LEAFLET_JS, LEAFLET_CSS, *PLUGIN_JS, *LAZY_JS, *PLUGIN_CSS]
    return [path for _, path in wanted if not (STATIC_DIR / path).is_file()]


class OfflineAssets(JSCSSMixin, MacroElement):
    """Loads the dashboard's layer code and the plugins' stylesheets, after Leaflet.

    streamlit-folium collects ``default_js``/``default_css`` from every element and loads
    them in the component frame once, when the map is first drawn; later layer changes
    reuse them. The plugins' scripts (:data:`LAZY_JS`) are loaded by ``atlas.js`` when a
    layer needs them.
    """

    _template = Template("")

    def __init__(self, *, prefix: str = COMPONENT_PREFIX) -> None:
        super().__init__()
        self._name = "OfflineAssets"
        self.default_js = [(name, prefix + path) for name, path in PLUGIN_JS]
        self.default_css = [(name, prefix + path) for name, path in PLUGIN_CSS]


def offline_map(*, prefix: str = COMPONENT_PREFIX, **map_options: object) -> folium.Map:
    """A ``folium.Map`` that loads Leaflet and its plugins from the app, never from a CDN.

    Parameters
    ----------
    prefix
        URL prefix of ``dashboard/static/`` as seen by the page that draws the map
        (default: relative to streamlit-folium's component frame).
    **map_options
        Passed to ``folium.Map`` (``tiles`` is forced to None: tiles are added separately).
    """
    fmap = folium.Map(tiles=None, **map_options)
    # Instance attributes shadow folium's class-level CDN lists (jQuery, Bootstrap, ...).
    fmap.default_js = [(LEAFLET_JS[0], prefix + LEAFLET_JS[1])]
    fmap.default_css = [(LEAFLET_CSS[0], prefix + LEAFLET_CSS[1])]
    OfflineAssets(prefix=prefix).add_to(fmap)
    return fmap


def asset_links(fmap: folium.Map) -> list[str]:
    """Every script and stylesheet URL the map's elements ask for, as streamlit-folium sees it.

    Used by tests to prove that nothing points at a CDN.
    """
    links: list[str] = []

    def walk(element: object) -> None:
        for _, url in getattr(element, "default_js", []):
            links.append(url)
        for _, url in getattr(element, "default_css", []):
            links.append(url)
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(fmap)
    return links
