"""The folium map: no CDN, stable base, bounded payload, layers by choice."""

from __future__ import annotations

import pytest
from streamlit_folium import _get_map_string, generate_js_hash

from dashboard import maps, offline
from dashboard.basemap import base_layers, data_bounds, province_shapes
from dashboard.synthetic import synthetic_incidents


@pytest.fixture(scope="module")
def shapes():
    return province_shapes(["IQ", "SY"])


@pytest.fixture(scope="module")
def base(shapes):
    return base_layers(shapes, ((32.0, 38.0), (37.0, 45.0)))


def test_every_asset_is_served_by_the_app(base, shapes):
    fmap = maps.base_map(base, tiles=None)
    layers = maps.incident_layers(synthetic_incidents(50), provinces=shapes,
                                  choice=maps.MapChoice(layers=frozenset(maps.LAYERS)))
    for group in layers.groups:
        group.add_to(fmap)
    links = offline.asset_links(fmap)
    assert links and all(link.startswith(offline.COMPONENT_PREFIX) for link in links)
    assert not offline.missing_assets()
    html = fmap.get_root().render()
    assert "cdn" not in html.lower() and "https://" not in html.replace(
        "http://www.w3.org/2000/svg", "")


def test_tiles_come_from_the_environment():
    assert offline.tile_source({"INCIDENT_ATLAS_TILES": "none"}) is None
    local = offline.tile_source({"INCIDENT_ATLAS_TILES": "http://localhost:8080/{z}/{x}/{y}.png"})
    assert local.url.startswith("http://localhost") and local.attribution == "Map tiles"
    assert offline.tile_source({}).url == offline.DEFAULT_TILES_URL
    with pytest.raises(offline.DashboardConfigError, match="'http://x/tiles'"):
        offline.tile_source({"INCIDENT_ATLAS_TILES": "http://x/tiles"})


def test_base_map_script_is_the_same_on_every_rerun(base):
    """streamlit-folium keeps the browser's map (and its view) when the base is unchanged."""
    first = maps.base_map(base, tiles=offline.tile_source({}))
    second = maps.base_map(base, tiles=offline.tile_source({}))
    for fmap in (first, second):
        fmap.get_root().render()
    assert generate_js_hash(_get_map_string(first), "k") == \
        generate_js_hash(_get_map_string(second), "k")


def test_plugins_loaded_later_are_the_vendored_files():
    script = (offline.STATIC_DIR / "atlas" / "atlas.js").read_text(encoding="utf-8")
    for _, path in offline.LAZY_JS:
        assert f'"../{path}"' in script  # atlas.js lives in static/atlas/
        assert (offline.STATIC_DIR / path).is_file()


def test_layers_rendered_for_a_base_rendered_earlier_refer_to_its_names(base, shapes):
    """The base is rendered once; the layers and their control later, on a fresh copy."""
    import re

    from dashboard import map_component

    tiles = offline.tile_source({})
    rendered = map_component.render_base(maps.base_map(base, tiles=tiles), key="k")
    fresh = maps.base_map(base, tiles=tiles)
    maps.name_as_rendered(fresh)
    layers = maps.incident_layers(synthetic_incidents(50), provinces=shapes)
    drawn = map_component.render_layers(fresh, layers.groups, layers.control)
    defined = set(re.findall(r"(?:var|let|const) (\w+)", rendered.script + drawn.feature_groups
                             + drawn.layer_control))
    named = set(re.findall(r"\b(?:tile_layer|feature_group)_\w+", drawn.layer_control))
    assert "tile_layer_div_2" in named or any(n.startswith("tile_layer_") for n in named)
    assert named <= defined
    assert rendered.instance == map_component.render_base(
        maps.base_map(base, tiles=tiles), key="k").instance


def test_js_values_cannot_close_the_script():
    text = maps.js_value(["</script><script>alert(1)</script>", "\u2028"])
    assert "</" not in text and "\u2028" not in text


def test_markers_give_way_to_clusters_beyond_the_limit(shapes):
    frame = synthetic_incidents(400, seed=3)
    few = maps.layer_payloads(frame, provinces=shapes, choice=maps.MapChoice(marker_limit=500))
    assert few.mode == "markers" and few.markers and few.clusters is None
    many = maps.layer_payloads(frame, provinces=shapes, choice=maps.MapChoice(marker_limit=100))
    assert many.mode == "clusters" and many.markers is None and many.clusters
    assert any("more than 100" in note for note in many.notes)


def test_layers_follow_the_choice(shapes):
    frame = synthetic_incidents(300, seed=4)
    only_heat = maps.feature_groups(maps.layer_payloads(
        frame, provinces=shapes, choice=maps.MapChoice(layers=frozenset({"heat"}),
                                                       heat_weight="fatalities")))
    assert [g.layer_name for g in only_heat.groups] == ["Heat (people killed)"]
    animated = maps.feature_groups(maps.layer_payloads(
        frame, provinces=shapes, choice=maps.MapChoice(animate_by="month")))
    names = [g.layer_name for g in animated.groups]
    assert "Incidents by month" in names and "Incidents" not in names


def test_payload_stays_bounded_at_any_size(base, shapes):
    everything = maps.MapChoice(layers=frozenset(maps.LAYERS))
    sizes = {}
    for n in (2000, 60_000):
        frame = synthetic_incidents(n, seed=5)
        layers = maps.incident_layers(frame, provinces=shapes, choice=everything)
        sizes[n] = maps.payload_size(maps.base_map(base, tiles=None), layers)
    assert max(sizes.values()) < 5_000_000
    assert sizes[60_000] < 3 * sizes[2000]  # grows with cells and provinces, not incidents


def test_data_bounds_pad_the_points_and_default_to_the_region():
    (south, west), (north, east) = data_bounds([33.0, 36.0], [40.0, 44.0], pad_deg=0.5)
    assert (south, west, north, east) == (32.5, 39.5, 36.5, 44.5)
    assert data_bounds([], []) == ((29.0, 35.5), (37.5, 48.5))
