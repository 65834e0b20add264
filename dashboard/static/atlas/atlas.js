/*
 * Incident Atlas map layers (Leaflet 1.9). Loaded by the dashboard's map from the app itself.
 *
 * The Python side (dashboard/maps.py, dashboard/map_data.py) sends compact arrays; every
 * string that ends up as HTML here (tooltips, names) was escaped with html.escape there.
 * Numbers are formatted here. Every layer is an L.Layer so the layer control can switch it
 * off and so streamlit-folium can remove it when the filters change; controls that belong
 * to a layer (legends, the time slider) come and go with it.
 */
(function () {
  "use strict";

  var A = (window.IncidentAtlas = {});

  /*
   * Plugins are loaded when a layer first needs them, not with the map: the component
   * loads its scripts one after another before it draws anything, and the first view needs
   * none of them (server clusters) or only marker clustering. Paths are relative to this
   * file (the same files as LAZY_JS in dashboard/offline.py).
   */
  var HERE = (document.currentScript && document.currentScript.src) || window.location.href;
  var PLUGINS = {
    markercluster: ["../vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js",
      function () { return !!L.markerClusterGroup; }],
    heat: ["../vendor/leaflet.heat-0.2.0/leaflet-heat.min.js",
      function () { return !!L.heatLayer; }],
    timeline: ["../vendor/leaflet.timeline-1.6.0/leaflet.timeline.js",
      function () { return !!L.timeline; }]
  };
  var loading = {};

  function plugin(name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        if (PLUGINS[name][1]()) {
          resolve();
          return;
        }
        var script = document.createElement("script");
        script.src = new URL(PLUGINS[name][0], HERE).href;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading[name];
  }

  /*
   * A layer drawn by build() once the plugin is loaded. A feature group, so clicks on what
   * it draws reach the page's click handler (hooked on the layers present when the map's
   * layers were added) through it.
   */
  function withPlugin(name, build) {
    var Deferred = L.FeatureGroup.extend({
      onAdd: function (map) {
        L.FeatureGroup.prototype.onAdd.call(this, map);
        var self = this;
        if (this._inner) return;
        plugin(name).then(function () {
          if (!self._inner) {
            self._inner = build();
            self.addLayer(self._inner);
          }
        });
      }
    });
    return new Deferred();
  }

  var SHAPES = {
    circle: '<circle cx="10" cy="10" r="7"/>',
    square: '<rect x="3.5" y="3.5" width="13" height="13"/>',
    triangle: '<path d="M10 2.2 L18.2 16.8 L1.8 16.8 Z"/>',
    diamond: '<path d="M10 1.5 L18.5 10 L10 18.5 L1.5 10 Z"/>',
    star: '<path d="M10 1.2 L12.4 7.1 L18.8 7.5 L13.9 11.6 L15.5 17.8 L10 14.4 L4.5 17.8 L6.1 11.6 L1.2 7.5 L7.6 7.1 Z"/>',
    hexagon: '<path d="M10 1.8 L17.2 5.9 L17.2 14.1 L10 18.2 L2.8 14.1 L2.8 5.9 Z"/>'
  };

  /* An SVG symbol: filled for a known place, hollow and dashed for an approximate one. */
  function symbol(style, approximate, size) {
    var shape = SHAPES[style[1]] || SHAPES.circle;
    var paint = approximate
      ? 'fill="#ffffff" fill-opacity="0.75" stroke="' + style[0] + '" stroke-width="2.6" stroke-dasharray="3 2"'
      : 'fill="' + style[0] + '" stroke="#ffffff" stroke-width="1.6"';
    return '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size +
      '" viewBox="0 0 20 20"><g ' + paint + ">" + shape + "</g></svg>";
  }
  A.symbol = symbol;

  function icon(style, approximate) {
    var size = approximate ? 20 : 18;
    return L.divIcon({
      html: symbol(style, approximate, size),
      className: "atlas-symbol",
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2],
      tooltipAnchor: [size / 2, 0]
    });
  }

  /* 12345.6 -> "12,346" (toLocaleString took a fifth of the clusters' drawing time). */
  function fmt(n) {
    return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  /* Cluster bubbles: neutral, so they are never mistaken for an event type's colour. */
  function bubble(count, label) {
    var size = Math.round(20 + 6 * Math.log10(Math.max(count, 1)));
    return L.divIcon({
      html: '<div class="atlas-bubble-inner" style="width:' + size + "px;height:" + size +
        "px;line-height:" + size + 'px">' + (label || fmt(count)) + "</div>",
      className: "atlas-bubble",
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2]
    });
  }

  /*
   * Single incidents, clustered in the browser.
   * points: [lat, lon, type index, geo_precision (1 or 2), tooltip html]
   */
  A.markers = function (points, styles) {
    return withPlugin("markercluster", function () {
      return clusteredMarkers(points, styles);
    });
  };

  function clusteredMarkers(points, styles) {
    var group = L.markerClusterGroup({
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      maxClusterRadius: 45,
      chunkedLoading: true,
      iconCreateFunction: function (cluster) {
        return bubble(cluster.getChildCount());
      }
    });
    var markers = [];
    for (var i = 0; i < points.length; i++) {
      var p = points[i];
      var m = L.marker([p[0], p[1]], {
        icon: icon(styles[p[2]], p[3] !== 1),
        keyboard: false,
        riseOnHover: true
      });
      m.bindTooltip(p[4], { direction: "top", className: "atlas-tip" });
      markers.push(m);
    }
    group.addLayers(markers);
    return group;
  }

  /*
   * Where approximate incidents could be: circles of radius_km around places known only
   * roughly, and the outlines of provinces holding incidents known only to the province.
   * Not clickable: the symbols and badges are.
   * circles: [lat, lon, radius in metres, type index]; outlines: GeoJSON geometries
   */
  A.areas = function (circles, outlines, styles) {
    var group = L.featureGroup();
    for (var i = 0; i < circles.length; i++) {
      var c = circles[i];
      L.circle([c[0], c[1]], {
        radius: c[2],
        color: styles[c[3]][0],
        weight: 1.5,
        dashArray: "4 4",
        fillOpacity: 0.08,
        interactive: false
      }).addTo(group);
    }
    L.geoJSON(outlines, {
      interactive: false,
      style: { color: "#3b3b3b", weight: 1.8, dashArray: "6 5", fill: true, fillOpacity: 0.04 }
    }).addTo(group);
    return group;
  };

  /*
   * One badge per province counting the incidents known only to that province.
   * badges: [lat, lon, count, tooltip html]
   */
  A.badges = function (badges) {
    var group = L.featureGroup();
    for (var j = 0; j < badges.length; j++) {
      var b = badges[j];
      var marker = L.marker([b[0], b[1]], {
        icon: L.divIcon({
          html: '<div class="atlas-badge-inner">&asymp;&thinsp;' + fmt(b[2]) + "</div>",
          className: "atlas-badge",
          iconSize: null
        }),
        keyboard: false
      });
      marker.bindTooltip(b[3], { direction: "top", className: "atlas-tip" });
      marker.addTo(group);
    }
    return group;
  };

  /*
   * Legend of the symbols: one row per event type, then how precision is drawn.
   * options: {title, approximate, province, clusters}
   */
  A.typeLegend = function (styles, options) {
    var rows = ["<h4>" + options.title + "</h4>"];
    for (var i = 0; i < styles.length; i++) {
      rows.push('<div class="row">' + symbol(styles[i], false, 12) + styles[i][2] + "</div>");
    }
    var grey = ["#555555", "circle", ""];
    rows.push('<div class="sep"></div>');
    rows.push('<div class="row">' + symbol(grey, false, 12) + "exact place</div>");
    if (options.approximate) {
      rows.push('<div class="row">' + symbol(grey, true, 13) + "approximate place (dashed circle: area)</div>");
    }
    if (options.province) {
      rows.push('<div class="row"><span class="atlas-badge-key">&asymp; n</span>known only to the province</div>');
    }
    if (options.clusters) {
      rows.push('<div class="row"><span class="atlas-bubble-key">n</span>cluster of n incidents</div>');
    }
    var summary = "";
    for (var j = 0; j < styles.length - 1; j++) summary += symbol(styles[j], false, 11);
    summary += '<span class="atlas-legend-label">Legend</span>';
    return A.legend(rows.join(""), "topright", summary);
  };

  /*
   * Clusters computed on the server at several cell sizes; the one for the current zoom is
   * shown, so zooming in refines them without a round trip. A click on a cluster zooms the
   * map to its incidents' bounds; its tooltip names that area (@area:S,W,N,E, hidden), and
   * the click, reported to the page, narrows it to the area: finer clusters or single
   * symbols. A feature group, so clicks on cluster markers drawn after a zoom reach the
   * page's click handler through the group.
   * levels: [{min_zoom, max_zoom, cell_km, cells: [[lat, lon, count, fatalities,
   *           [south, west, north, east], [type index, count], ...]]}]
   */
  A.gridClusters = function (levels, styles) {
    var Layer = L.FeatureGroup.extend({
      onAdd: function (map) {
        L.FeatureGroup.prototype.onAdd.call(this, map);
        map.on("zoomend", this._update, this);
        this._update();
      },
      onRemove: function (map) {
        map.off("zoomend", this._update, this);
        L.FeatureGroup.prototype.onRemove.call(this, map);
        this._level = null;
      },
      _update: function () {
        var zoom = this._map.getZoom();
        var level = levels[levels.length - 1];
        for (var i = 0; i < levels.length; i++) {
          if (zoom >= levels[i].min_zoom && zoom <= levels[i].max_zoom) {
            level = levels[i];
            break;
          }
        }
        if (level === this._level) return;
        this._level = level;
        this.clearLayers();
        for (var k = 0; k < level.cells.length; k++) {
          var c = level.cells[k];
          var b = c[4];
          var lines = ["<b>" + fmt(c[2]) + " incidents</b> in this cell (about " +
            level.cell_km + " km across)", fmt(c[3]) + " killed"];
          for (var t = 5; t < c.length; t++) {
            lines.push(styles[c[t][0]][2] + ": " + fmt(c[t][1]));
          }
          lines.push('<span class="atlas-muted">Click to zoom in and show these incidents.</span>' +
            '<span class="atlas-area">@area:' + b.map(function (v) { return v.toFixed(3); }).join(",") +
            "</span>");
          var m = L.marker([c[0], c[1]], { icon: bubble(c[2]), keyboard: false });
          m.bindTooltip(lines.join("<br>"), { direction: "top", className: "atlas-tip" });
          m.on("click", zoomTo(b));
          this.addLayer(m);
        }
      }
    });
    var layer = new Layer();
    function zoomTo(b) {
      return function () {
        var map = layer._map;
        if (!map) return;
        var bounds = L.latLngBounds([b[0], b[1]], [b[2], b[3]]);
        map.fitBounds(bounds.pad(0.15), { maxZoom: 14 });
      };
    }
    return layer;
  };

  /* Heat layer (Leaflet.heat). points: [lat, lon, weight]. */
  A.heat = function (points, options) {
    return withPlugin("heat", function () {
      return L.heatLayer(points, options);
    });
  };

  /*
   * Province choropleth. geometries: GeoJSON geometries; props: [[value, tooltip html], ...]
   * in the same order; breaks: upper bounds of the classes; colors: one per class.
   */
  A.provinces = function (geometries, props, breaks, colors) {
    function colorFor(v) {
      for (var i = 0; i < breaks.length; i++) {
        if (v <= breaks[i]) return colors[i];
      }
      return colors[colors.length - 1];
    }
    var group = L.featureGroup();
    for (var i = 0; i < geometries.length; i++) {
      var layer = L.geoJSON(geometries[i], {
        style: {
          color: "#5a4a42",
          weight: 0.8,
          fillColor: colorFor(props[i][0]),
          fillOpacity: 0.55
        }
      });
      layer.bindTooltip(props[i][1], { sticky: true, className: "atlas-tip" });
      layer.on("mouseover", function (e) {
        e.layer.setStyle({ weight: 2.2 });
      });
      layer.on("mouseout", function (e) {
        e.layer.setStyle({ weight: 0.8 });
      });
      layer.addTo(group);
    }
    return group;
  };

  /*
   * A legend that is shown while its layer is on the map. html was built from escaped text.
   * With a summary, the legend shows only that line until hovered or clicked.
   */
  A.legend = function (html, position, summary) {
    var Legend = L.Layer.extend({
      onAdd: function (map) {
        var control = L.control({ position: position || "bottomright" });
        control.onAdd = function () {
          var div = L.DomUtil.create("div", "atlas-legend leaflet-control");
          if (summary) {
            L.DomUtil.addClass(div, "atlas-collapsible");
            div.innerHTML = '<div class="atlas-legend-summary">' + summary + "</div>" +
              '<div class="atlas-legend-body">' + html + "</div>";
            L.DomEvent.on(div, "click", function () {
              if (L.DomUtil.hasClass(div, "atlas-open")) L.DomUtil.removeClass(div, "atlas-open");
              else L.DomUtil.addClass(div, "atlas-open");
            });
          } else {
            div.innerHTML = html;
          }
          L.DomEvent.disableClickPropagation(div);
          L.DomEvent.disableScrollPropagation(div);
          return div;
        };
        this._control = control.addTo(map);
      },
      onRemove: function (map) {
        if (this._control) map.removeControl(this._control);
        this._control = null;
      }
    });
    return new Legend();
  };

  /*
   * Place names, [[lat, lon, escaped html, kind], ...], written as one block of HTML in
   * their pane and placed again after each zoom (hidden while the zoom animates). A Leaflet
   * marker per name cost a DOM insertion and a style recalculation each: a third of the
   * base's drawing time for 140 names.
   */
  var Labels = L.Layer.extend({
    initialize: function (labels, pane) {
      this._labels = labels;
      L.setOptions(this, { pane: pane });
    },
    onAdd: function () {
      this._el = L.DomUtil.create("div", "atlas-labels", this.getPane());
      this._place();
    },
    onRemove: function () {
      L.DomUtil.remove(this._el);
      this._el = null;
    },
    getEvents: function () {
      return { zoomanim: this._hide, zoomend: this._place, viewreset: this._place };
    },
    _hide: function () {
      this._el.style.visibility = "hidden";
    },
    _place: function () {
      var html = [];
      for (var i = 0; i < this._labels.length; i++) {
        var l = this._labels[i];
        var p = this._map.latLngToLayerPoint([l[0], l[1]]).round();
        html.push('<div class="atlas-label atlas-label-' + l[3] + '" style="left:' + p.x +
          "px;top:" + p.y + 'px">' + l[2] + "</div>");
      }
      this._el.innerHTML = html.join("");
      this._el.style.visibility = "";
    }
  });

  /*
   * The base drawn from the bundled boundaries, under the tiles: land, country and province
   * borders, and labels for the provinces of the countries in the data. When tiles cannot
   * load, this is the map.
   * countries, provinces: GeoJSON geometries; labels: [[lat, lon, text, kind], ...];
   * options.tiles: whether a tile layer is drawn between the land and the borders (without
   * one, the land is drawn with its borders, once).
   */
  A.base = function (countries, provinces, labels, options) {
    var tiles = !!(options && options.tiles);
    var Base = L.Layer.extend({
      onAdd: function (map) {
        var panes = [["atlasLand", 150], ["atlasBorders", 250], ["atlasLabels", 260]];
        for (var i = 0; i < panes.length; i++) {
          if (!map.getPane(panes[i][0])) {
            var pane = map.createPane(panes[i][0]);
            pane.style.zIndex = panes[i][1];
            pane.style.pointerEvents = "none";
          }
        }
        // one canvas per pane: hundreds of static shapes draw faster than as SVG elements
        var land = L.canvas({ pane: "atlasLand" });
        var borders = L.canvas({ pane: "atlasBorders" });
        var group = L.layerGroup();
        var border = { color: "#7a7a7a", weight: 1.1, opacity: 0.8 };
        L.geoJSON(countries, {
          renderer: land,
          interactive: false,
          style: tiles ? { color: "#9a9a9a", weight: 0.8, fillColor: "#f3efe6", fillOpacity: 1 }
            : L.extend({ fillColor: "#f3efe6", fillOpacity: 1 }, border)
        }).addTo(group);
        if (tiles) {
          L.geoJSON(countries, {
            renderer: borders,
            interactive: false,
            style: L.extend({ fill: false }, border)
          }).addTo(group);
        }
        L.geoJSON(provinces, {
          renderer: borders,
          interactive: false,
          style: { color: "#8c8c8c", weight: 0.7, dashArray: "2 3", fill: false, opacity: 0.9 }
        }).addTo(group);
        new Labels(labels, "atlasLabels").addTo(group);
        this._group = group.addTo(map);
        if (map.attributionControl) map.attributionControl.addAttribution("Boundaries: Natural Earth");
        map.on("zoomend", this._zoomClass, this);
        this._zoomClass();
      },
      onRemove: function (map) {
        map.off("zoomend", this._zoomClass, this);
        if (map.attributionControl) map.attributionControl.removeAttribution("Boundaries: Natural Earth");
        map.removeLayer(this._group);
      },
      _zoomClass: function () {
        var c = this._map.getContainer();
        if (this._map.getZoom() >= 6) L.DomUtil.addClass(c, "atlas-zoomed");
        else L.DomUtil.removeClass(c, "atlas-zoomed");
      }
    });
    return new Base();
  };

  /* Say so on the map when the tile server cannot be reached. */
  A.watchTiles = function (tileLayer, message) {
    var failed = 0;
    var loaded = 0;
    var note = null;
    tileLayer.on("tileload", function () {
      loaded += 1;
    });
    tileLayer.on("tileerror", function () {
      failed += 1;
      if (note || loaded > 0 || failed < 3 || !tileLayer._map) return;
      note = L.control({ position: "bottomleft" });
      note.onAdd = function () {
        var div = L.DomUtil.create("div", "atlas-note leaflet-control");
        div.textContent = message;
        return div;
      };
      note.addTo(tileLayer._map);
    });
    return tileLayer;
  };

  function utcDay(ms) {
    var d = new Date(ms);
    var m = d.getUTCMonth() + 1;
    var day = d.getUTCDate();
    return d.getUTCFullYear() + "-" + (m < 10 ? "0" : "") + m + "-" + (day < 10 ? "0" : "") + day;
  }
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  /*
   * Play incidents through time, one week or one month per step (leaflet.timeline).
   * spec: {unit: "week"|"month", start, end (ms), steps, styles,
   *        items: [[lat, lon, type index, precision, start ms, end ms, count, tooltip html]]}
   */
  A.timeline = function (spec) {
    var styles = spec.styles;
    var features = [];
    for (var i = 0; i < spec.items.length; i++) {
      var it = spec.items[i];
      features.push({
        type: "Feature",
        geometry: { type: "Point", coordinates: [it[1], it[0]] },
        properties: { start: it[4], end: it[5], t: it[2], p: it[3], n: it[6], tip: it[7] }
      });
    }
    function label(ms) {
      var d = new Date(ms);
      if (spec.unit === "month") return MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
      return "week of " + utcDay(ms);
    }
    var Player = L.Layer.extend({
      onAdd: function (map) {
        this._timeline = L.timeline(
          { type: "FeatureCollection", features: features },
          {
            getInterval: function (f) {
              return { start: f.properties.start, end: f.properties.end, endExclusive: true };
            },
            pointToLayer: function (f, latlng) {
              var p = f.properties;
              var style = styles[p.t];
              var radius = p.n > 1 ? 6 + 3 * Math.log2(p.n) : p.p === 1 ? 6 : 8;
              return L.circleMarker(latlng, {
                radius: radius,
                color: p.p === 1 ? "#ffffff" : style[0],
                weight: p.p === 1 ? 1.2 : 2,
                dashArray: p.p === 1 ? null : "3 2",
                fillColor: style[0],
                fillOpacity: p.p === 1 ? 0.85 : 0.25
              });
            },
            onEachFeature: function (f, layer) {
              layer.bindTooltip(f.properties.tip, { direction: "top", className: "atlas-tip" });
            }
          }
        );
        this._control = L.timelineSliderControl({
          start: spec.start,
          end: spec.end,
          steps: spec.steps,
          duration: Math.max(6000, spec.steps * 350),
          showTicks: false,
          enableKeyboardControls: false,
          formatOutput: label
        });
        this._control.addTo(map);
        this._control.addTimelines(this._timeline);
        this._timeline.addTo(map);
        this._control.setTime(spec.start);
      },
      onRemove: function (map) {
        if (this._control) {
          this._control.pause();
          map.removeControl(this._control);
        }
        if (this._timeline) map.removeLayer(this._timeline);
        this._control = null;
        this._timeline = null;
      }
    });
    return withPlugin("timeline", function () {
      return new Player();
    });
  };
})();
