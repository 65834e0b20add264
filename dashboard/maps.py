"""The incident map as folium objects for streamlit-folium's ``st_folium``.

The map comes in two parts so that it keeps its place when the filters change:

- :func:`base_map` — Leaflet (served by the app, see :mod:`dashboard.offline`), the
  configurable tiles and the offline base drawn from the bundled boundaries. It depends only
  on the store, not on the filters, so streamlit-folium keeps the same map in the browser.
- :func:`incident_layers` — the feature groups drawn for the filtered incidents (passed as
  ``feature_group_to_add`` with a ``layer_control``), which streamlit-folium swaps in place.

Beyond ``marker_limit`` incidents the single symbols give way to clusters computed on the
server at several cell sizes (the browser shows the one for its zoom), and the heat and time
layers are aggregated the same way, so the payload stays bounded at any data size.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

import folium
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template

from dashboard import map_data
from dashboard.basemap import BaseLayers, ProvinceShapes
from dashboard.offline import COMPONENT_PREFIX, TileSource, offline_map

#: Deepest zoom of the map (tiles are asked for up to their own limit).
MAX_ZOOM = 18

#: Above this many incidents on the map, symbols are replaced by server-side clusters.
MARKER_LIMIT = 3000

#: Layers the analyst can switch on (sidebar), in drawing order, bottom first.
LAYERS: dict[str, str] = {
    "provinces": "Provinces",
    "heat": "Heat",
    "areas": "Approximate areas",
    "incidents": "Incidents",
}
DEFAULT_LAYERS: frozenset[str] = frozenset({"provinces", "areas", "incidents"})

HEAT_GRADIENT: dict[float, str] = {0.2: "#2b83ba", 0.4: "#abdda4", 0.6: "#ffffbf",
                                   0.8: "#fdae61", 1.0: "#d7191c"}


class RawJSON(str):
    """Text that is already JSON (GeoJSON geometries): inlined as it is."""


def js_value(value: Any) -> str:
    """``value`` as a JavaScript literal that is safe inside an HTML ``<script>``."""
    text = value if isinstance(value, RawJSON) else json.dumps(
        value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class ScriptText(Element):
    """Script text placed in the figure as it is.

    branca's ``MacroElement.render`` wraps each rendered script in an ``Element``, which
    compiles the text as a Jinja template: for a layer's inlined data (hundreds of kB of
    JSON) that took longer than everything else in rendering the layers.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class AtlasLayer(MacroElement):
    """A layer made by ``IncidentAtlas.<function>(*arguments)`` (atlas.js), added to its parent."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = IncidentAtlas.{{ this.function }}({{ this.arguments }});
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, function: str, *arguments: Any) -> None:
        super().__init__()
        self._name = "atlas_" + function.lower()
        self.function = function
        self.arguments = ", ".join(js_value(a) for a in arguments)

    def render(self, **kwargs: Any) -> None:
        """Add the script to the figure, uncompiled (see :class:`ScriptText`)."""
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(ScriptText(script(self, kwargs)), name=self.get_name())


class WatchTiles(MacroElement):
    """Shows a note on the map when the tile server cannot be reached."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        IncidentAtlas.watchTiles({{ this._parent.get_name() }}, {{ this.message }});
        {% endmacro %}
        """
    )

    def __init__(self, message: str) -> None:
        super().__init__()
        self._name = "watch_tiles"
        self.message = js_value(message)


class FitView(MacroElement):
    """Fits the map to bounds at once (no animation), before any layer is drawn.

    folium's ``fit_bounds`` comes after the layers and animates: every path was drawn for
    the first view, then moved, then drawn again when the move ended.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.fitBounds({{ this.bounds }}, {animate: false});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: tuple[tuple[float, float], tuple[float, float]]) -> None:
        super().__init__()
        self._name = "fit_view"
        self.bounds = js_value([list(corner) for corner in bounds])


@dataclass(frozen=True, slots=True)
class MapChoice:
    """What the analyst asked the map to show.

    ``layers`` are keys of :data:`LAYERS`; ``heat_weight`` and ``province_metric`` are
    "count" or "fatalities"; ``animate_by`` is None, "week" or "month" (the play control
    replaces the incident symbols).
    """

    layers: frozenset[str] = DEFAULT_LAYERS
    heat_weight: str = "count"
    province_metric: str = "count"
    animate_by: str | None = None
    marker_limit: int = MARKER_LIMIT


@dataclass(frozen=True, slots=True)
class LayerPayloads:
    """The data of the map's layers for one filter (plain lists and strings, cacheable).

    ``mode`` is "markers" (single incidents) or "clusters" (server-side aggregates);
    ``on_map`` is how many incidents the layers place; ``notes`` are sentences to show
    beside the map (what is not drawn, and why). A layer that is off is None.
    """

    choice: MapChoice
    mode: str
    on_map: int
    notes: tuple[str, ...]
    styles: list[list[str]]
    provinces: map_data.Choropleth | None = None
    heat: tuple[list[list], float] | None = None
    areas: tuple[list[list], str] | None = None
    markers: list[list] | None = None
    clusters: list[dict] | None = None
    badges: list[list] | None = None
    timeline: dict | None = None


@dataclass
class MapLayers:
    """The feature groups and layer control handed to ``st_folium``."""

    groups: list[folium.FeatureGroup]
    control: folium.LayerControl
    payloads: LayerPayloads


def base_map(base: BaseLayers, *, tiles: TileSource | None,
             prefix: str = COMPONENT_PREFIX) -> folium.Map:
    """The map that stays: Leaflet from the app, the offline base, and tiles when configured.

    Parameters
    ----------
    base
        Countries, provinces and labels drawn under the tiles (:func:`basemap.base_layers`).
    tiles
        The tile layer, or None to draw the offline base alone.
    prefix
        URL prefix of ``dashboard/static/`` for the page drawing the map.
    """
    (south, west), (north, east) = base.bounds
    fmap = offline_map(prefix=prefix, location=[(south + north) / 2, (west + east) / 2],
                       zoom_start=6, control_scale=True)
    # folium puts zoom limits on its default tile layer; with tiles added separately the map
    # itself needs them (marker clustering requires a maxZoom).
    fmap.options.update(min_zoom=2, max_zoom=MAX_ZOOM)
    FitView(base.bounds).add_to(fmap)
    AtlasLayer("base", RawJSON(base.countries), RawJSON(base.provinces),
               [list(label) for label in base.labels], {"tiles": tiles is not None}
               ).add_to(fmap)
    if tiles is not None:
        layer = folium.TileLayer(tiles=tiles.url, attr=tiles.attribution, name=tiles.name,
                                 max_zoom=tiles.max_zoom, overlay=False, control=True)
        WatchTiles("Map tiles could not be loaded: showing the bundled boundaries only."
                   ).add_to(layer)
        layer.add_to(fmap)
        folium.FeatureGroup(name="Boundaries only (offline)", overlay=False,
                            show=False).add_to(fmap)
    return fmap


def heat_legend(weight: str, hot: float) -> str:
    """HTML legend of the heat layer (``hot``: the weight drawn at full colour)."""
    ramp = ", ".join(f"{color} {int(stop * 100)}%" for stop, color in HEAT_GRADIENT.items())
    unit = "incidents" if weight == "count" else "people killed"
    return (f"<h4>Heat: {html.escape(unit)}</h4>"
            f'<div class="ramp" style="background: linear-gradient(to right, {ramp})"></div>'
            '<div class="ends"><span>fewer</span><span>more</span></div>'
            f'<div class="note">Full colour from {hot:,.0f} {html.escape(unit)} in one spot. '
            "Approximate places weigh less: ×0.5 near a place, ×0.25 province-wide.</div>")


def choropleth_legend(breaks: list[float], colors: list[str], metric: str) -> str:
    """HTML legend of the province choropleth (classes with their ranges)."""
    unit = "Incidents" if metric == "count" else "People killed"
    rows = []
    low = 1
    for bound, color in zip(breaks, colors):
        high = int(bound)
        label = f"{low:,}" if high <= low else f"{low:,}–{high:,}"
        rows.append(f'<div class="row"><span class="swatch" style="background:{color}"></span>'
                    f"{label}</div>")
        low = high + 1
    return (f"<h4>{unit} per province</h4>" + "".join(rows)
            + '<div class="note">for the filtered period; hover for names</div>')


def layer_payloads(frame: pd.DataFrame, *, provinces: ProvinceShapes,
                   choice: MapChoice = MapChoice()) -> LayerPayloads:
    """Compute what each chosen layer draws for the incidents in ``frame`` (filtered).

    Parameters
    ----------
    frame
        Incidents with the columns of :data:`incidents.model.ROW_COLUMNS`.
    provinces
        Province shapes for the province-level incidents and the choropleth.
    choice
        Layers and options from the sidebar.
    """
    placement = map_data.place_incidents(frame, provinces)
    on_map = int((placement.kind != map_data.UNMAPPED).sum())
    mode = "markers" if on_map <= choice.marker_limit else "clusters"
    notes: list[str] = []
    unmapped = len(frame) - on_map
    if unmapped:
        notes.append(f"{unmapped:,} incident{'s' if unmapped != 1 else ''} without a usable "
                     "place (no coordinates and no known province) "
                     f"{'are' if unmapped != 1 else 'is'} in the table but not on the map.")
    parts: dict[str, Any] = {}
    if "provinces" in choice.layers:
        parts["provinces"] = map_data.choropleth(map_data.province_totals(frame), provinces,
                                                 metric=choice.province_metric)
    if "heat" in choice.layers:
        weights = map_data.heat_weights(frame, weight=choice.heat_weight)
        parts["heat"] = map_data.heat_points(placement.lat, placement.lon, weights)
    badges = map_data.province_badges(frame, placement, provinces)
    drawn = mode == "markers" and not choice.animate_by and choice.layers & {"areas",
                                                                              "incidents"}
    symbols = map_data.marker_payload(frame, placement) if drawn else None
    if "areas" in choice.layers and not choice.animate_by:
        circles = symbols.circles if symbols is not None else []
        if circles or badges.outlines:
            parts["areas"] = (circles, "[" + ",".join(badges.outlines) + "]")
    if choice.animate_by:
        spec = map_data.timeline_payload(frame, placement, unit=choice.animate_by)
        parts["timeline"] = spec
        if spec["undated"]:
            notes.append(f"{spec['undated']:,} incidents without a date or place are not in "
                         "the animation.")
    elif "incidents" in choice.layers:
        parts["badges"] = badges.badges
        if symbols is not None:
            parts["markers"] = symbols.points
        else:
            at_point = placement.kind != map_data.PROVINCE
            parts["clusters"] = map_data.grid_levels(
                placement.lat[at_point], placement.lon[at_point],
                frame["fatalities"].fillna(0).to_numpy(dtype=float)[at_point],
                map_data.type_index(frame["event_type"])[at_point])
            notes.append(f"{on_map:,} incidents are more than {choice.marker_limit:,}: the map "
                         "shows clusters counted on the server. Click a cluster to zoom in "
                         "and show its incidents, or narrow the filters.")
    return LayerPayloads(choice=choice, mode=mode, on_map=on_map, notes=tuple(notes),
                         styles=map_data.styles_payload(), **parts)


def feature_groups(payloads: LayerPayloads) -> MapLayers:
    """Fresh folium feature groups (and a layer control) drawing ``payloads``.

    Built anew for every drawing: ``st_folium`` renames and re-parents the groups it is given.
    """
    choice = payloads.choice
    styles = payloads.styles
    groups: list[folium.FeatureGroup] = []
    if payloads.provinces is not None:
        shapes = payloads.provinces
        group = folium.FeatureGroup(name="Provinces (" + (
            "incidents" if choice.province_metric == "count" else "people killed") + ")")
        AtlasLayer("provinces", RawJSON(shapes.geometries), shapes.props, shapes.breaks,
                   shapes.colors).add_to(group)
        AtlasLayer("legend", choropleth_legend(shapes.breaks, shapes.colors,
                                               choice.province_metric)).add_to(group)
        groups.append(group)
    if payloads.heat is not None:
        points, hot = payloads.heat
        group = folium.FeatureGroup(name="Heat (" + (
            "incidents" if choice.heat_weight == "count" else "people killed") + ")")
        AtlasLayer("heat", points, {"radius": 18, "blur": 15, "max": hot, "minOpacity": 0.25,
                                    "gradient": {str(k): v for k, v in HEAT_GRADIENT.items()}}
                   ).add_to(group)
        AtlasLayer("legend", heat_legend(choice.heat_weight, hot)).add_to(group)
        groups.append(group)
    if payloads.areas is not None:
        circles, outlines = payloads.areas
        group = folium.FeatureGroup(name="Approximate areas")
        AtlasLayer("areas", circles, RawJSON(outlines), styles).add_to(group)
        groups.append(group)
    if payloads.timeline is not None:
        spec = dict(payloads.timeline, styles=styles)
        group = folium.FeatureGroup(name=f"Incidents by {choice.animate_by}")
        AtlasLayer("timeline", spec).add_to(group)
        AtlasLayer("typeLegend", styles, {
            "title": "Event type", "approximate": True, "province": False,
            "clusters": len(spec["items"]) < payloads.on_map}).add_to(group)
        groups.append(group)
    elif payloads.markers is not None or payloads.clusters is not None:
        group = folium.FeatureGroup(name="Incidents" if payloads.mode == "markers"
                                    else "Incident clusters")
        if payloads.markers is not None:
            AtlasLayer("markers", payloads.markers, styles).add_to(group)
        else:
            AtlasLayer("gridClusters", payloads.clusters, styles).add_to(group)
        if payloads.badges:
            AtlasLayer("badges", payloads.badges).add_to(group)
        AtlasLayer("typeLegend", styles, {
            "title": "Event type", "approximate": payloads.mode == "markers",
            "province": bool(payloads.badges), "clusters": True}).add_to(group)
        groups.append(group)
    control = folium.LayerControl(collapsed=True, position="topleft")
    return MapLayers(groups=groups, control=control, payloads=payloads)


def incident_layers(frame: pd.DataFrame, *, provinces: ProvinceShapes,
                    choice: MapChoice = MapChoice()) -> MapLayers:
    """:func:`layer_payloads` drawn as :func:`feature_groups`."""
    return feature_groups(layer_payloads(frame, provinces=provinces, choice=choice))


def name_as_rendered(element: Element, *, name: str = "div") -> None:
    """Give ``element`` and its children the ids streamlit-folium's rendering gives them.

    Rendering a map for the component renames every element after its place in the tree
    (``tile_layer_div_2``); the layer control names the tile layers it switches. A fresh
    copy of the base map, named this way without rendering its large templates, lets the
    layers and control be rendered for a base rendered earlier.
    """
    element._id = name
    for index, child in enumerate(element._children.values()):
        name_as_rendered(child, name=f"{name}_{index}")


def payload_size(fmap: folium.Map, layers: MapLayers) -> int:
    """Bytes of map code sent to the browser for this drawing (UTF-8): base script, HTML,
    header, feature groups and layer control.

    Renders ``fmap`` and adds the layers to it: call it on a map and layers built only for
    measuring.
    """
    from dashboard.map_component import render_base, render_layers

    base = render_base(fmap, key="measure")
    drawn = render_layers(fmap, layers.groups, layers.control)
    return sum(len(part.encode("utf-8")) for part in (base.script, base.html, base.header)
               ) + drawn.size
