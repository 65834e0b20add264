"""The map's streamlit-folium component, with its text rendered once and reused.

``st_folium`` renders the whole folium map to JavaScript on every run of the page: for this
dashboard a fifth of a second of Jinja templates, spent again on every click and table
selection. Here the same text is made once and kept (:func:`render_base` per store version
and tiles, :func:`render_layers` per filter and map choice; ``dashboard/data.py`` caches
them), and :func:`show` hands it to streamlit-folium's component exactly as ``st_folium``
does. The browser sees the same arguments, so the map keeps its place: the base script
names the component instance, and a filter change only swaps the feature groups.

This uses streamlit-folium's internal helpers (``_get_map_string`` and friends, as
``st_folium`` calls them); ``tests/test_dashboard_app.py`` checks the arguments the
component receives. streamlit-folium is imported only when first used: importing it
declares its component, which registers only inside a running page
(``dashboard/launch.py`` imports this module before the server starts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import folium
import streamlit as st

#: Streamlit key of the dashboard's map (its last report is kept under it).
MAP_KEY = "atlas_map"

#: What a map click reports back to Python (a click counter and the clicked tooltip's text).
RETURNED_OBJECTS: tuple[str, ...] = ("last_object_clicked_tooltip", "last_object_clicked_count")


@dataclass(frozen=True, slots=True)
class RenderedBase:
    """The map that stays, as the component's arguments: Leaflet script, HTML, header,
    the element id, asset links, and the instance hash that keys the browser's map."""

    script: str
    html: str
    header: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    instance: str


@dataclass(frozen=True, slots=True)
class RenderedLayers:
    """The data layers and the layer control as JavaScript text (swapped in place)."""

    feature_groups: str
    layer_control: str

    @property
    def size(self) -> int:
        """Bytes of the text (UTF-8)."""
        return len(self.feature_groups.encode()) + len(self.layer_control.encode())


def _asset_links(fmap: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    css: list[str] = []
    js: list[str] = []

    def walk(element: Any) -> None:
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(fmap)
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def render_base(fmap: folium.Map, *, key: str) -> RenderedBase:
    """Render ``fmap`` (without data layers) as ``st_folium`` would, once.

    ``key`` is the Streamlit key of the map; with the script it names the component
    instance, so the same base keeps the same map in the browser.
    """
    import streamlit_folium as sf

    fmap.get_root().render()
    html = sf._get_html(fmap)
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    css, js = _asset_links(fmap)
    return RenderedBase(script=script, html=html, header=header, map_id=sf.get_full_id(fmap),
                        css_links=css, js_links=js,
                        instance=sf.generate_js_hash(script, key, False))


def render_layers(fmap: folium.Map, groups: list[folium.FeatureGroup],
                  control: folium.LayerControl) -> RenderedLayers:
    """The feature groups and the layer control as the component's JavaScript.

    ``fmap`` is a fresh copy of the base map (the groups and the control are added to it,
    and the control lists its tile layers); it is not rendered.
    """
    import streamlit_folium as sf

    text = "".join(sf._get_feature_group_string(group, map=fmap, idx=i)
                   for i, group in enumerate(groups))
    return RenderedLayers(feature_groups=text,
                          layer_control=sf._get_layer_control_string(control, fmap))


def show(base: RenderedBase, layers: RenderedLayers, *, key: str, height: int,
         on_change: Callable[[], None] | None = None) -> dict[str, Any]:
    """Draw the map; returns what the last click reported (:data:`RETURNED_OBJECTS`).

    Before the map has reported anything, the values are None; once drawn in the browser
    it reports a click count of 0. ``on_change`` runs (before the page's next run) when a
    click reports something new; the report is then in ``st.session_state[key]``.
    """
    import streamlit_folium as sf

    def changed() -> None:
        st.session_state[key] = st.session_state.get(base.instance, {})
        if on_change is not None:
            on_change()

    return sf._component_func(
        script=base.script, header=base.header, html=base.html, id=base.map_id,
        key=base.instance, height=height, width=None,
        returned_objects=list(RETURNED_OBJECTS),
        default={name: None for name in RETURNED_OBJECTS},
        zoom=None, center=None, feature_group=layers.feature_groups,
        return_on_hover=False, layer_control=layers.layer_control, pixelated=False,
        css_links=list(base.css_links), js_links=list(base.js_links), on_change=changed,
        wrap_longitude=False)
