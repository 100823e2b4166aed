/* Station Console map glue: fills the page's layers with what the console sends and reports
 * clicks back through Qt's web channel. The console calls StationMap.* with runJavaScript;
 * the page is never reloaded for new data. */
(function () {
  "use strict";

  var S = {ready: false, bridge: null, drawing: false};
  window.StationMap = S;

  function colourOf(group) {
    return S.config.groupColours[group] || S.config.fallbackColour;
  }

  function text(key, fallback) {
    return (S.config.text && S.config.text[key]) || fallback;
  }

  function addLegend() {
    var legend = L.control({position: "bottomright"});
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "station-legend");
      Object.keys(S.config.groupColours).forEach(function (code) {
        var row = L.DomUtil.create("div", "", div);
        var dot = L.DomUtil.create("i", "", row);
        dot.style.background = colourOf(code);
        row.appendChild(document.createTextNode(S.config.groupNames[code] || code));
      });
      return div;
    };
    legend.addTo(S.map);
  }

  /* Incidents closer than this on the screen are drawn as one cluster (pixels). */
  var CLUSTER_PX = 45;
  /* From this zoom on, every incident is its own dot. */
  var SINGLE_ZOOM = 18;
  var DOT_RADIUS = 5;
  /* A hotspot cell shows its rank number from this width on the screen (pixels). */
  var HOTSPOT_LABEL_MIN_PX = 26;
  /* The canvas reaches this share of the view beyond each edge, so a drag shows no blank band. */
  var PAD = 0.25;
  /* Cluster look of Leaflet.markercluster's default style: fewer than 10, 100, more. */
  var CLUSTER_COLOURS = [
    ["rgba(181, 226, 140, 0.6)", "rgba(110, 204, 57, 0.6)"],
    ["rgba(241, 211, 87, 0.6)", "rgba(240, 194, 12, 0.6)"],
    ["rgba(253, 156, 115, 0.6)", "rgba(241, 128, 23, 0.6)"]
  ];

  /* A base64 column of the console (little-endian) as a typed array. */
  function column(b64, Type) {
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      bytes[i] = bin.charCodeAt(i);
    }
    return new Type(bytes.buffer);
  }

  /* Grid cells split a tight group along their edges: merge clusters whose centres lie closer
   * than a cluster's size, biggest first, so circles do not pile on one another. */
  function mergeNear(clusters) {
    var near = CLUSTER_PX * 0.9;
    var byCell = new Map();
    var order = clusters.map(function (c, k) {
      c.cx = c.sx / c.count;
      c.cy = c.sy / c.count;
      var key = Math.floor(c.cx / CLUSTER_PX) * 1e7 + Math.floor(c.cy / CLUSTER_PX);
      (byCell.get(key) || byCell.set(key, []).get(key)).push(k);
      return k;
    });
    order.sort(function (a, b) { return clusters[b].count - clusters[a].count; });
    var gone = new Uint8Array(clusters.length);
    var out = [];
    order.forEach(function (k) {
      if (gone[k]) {
        return;
      }
      var c = clusters[k];
      var col = Math.floor(c.cx / CLUSTER_PX), row = Math.floor(c.cy / CLUSTER_PX);
      for (var dx = -1; dx <= 1; dx++) {
        for (var dy = -1; dy <= 1; dy++) {
          (byCell.get((col + dx) * 1e7 + row + dy) || []).forEach(function (j) {
            var o = clusters[j];
            if (j === k || gone[j] || Math.abs(o.cx - c.cx) > near || Math.abs(o.cy - c.cy) > near ||
                (o.cx - c.cx) * (o.cx - c.cx) + (o.cy - c.cy) * (o.cy - c.cy) > near * near) {
              return;
            }
            gone[j] = 1;
            c.count += o.count;
            c.sx += o.sx;
            c.sy += o.sy;
            c.minX = Math.min(c.minX, o.minX);
            c.maxX = Math.max(c.maxX, o.maxX);
            c.minY = Math.min(c.minY, o.minY);
            c.maxY = Math.max(c.maxY, o.maxY);
          });
        }
      }
      out.push(c);
    });
    return out;
  }

  /* Every incident of the filter on one canvas of its own, clustered on a screen grid per view.
   * Twenty thousand Leaflet markers in Leaflet.markercluster took longer to build than the
   * 200 ms a filter change may take; typed arrays and one pass per redraw take a few ms. The
   * canvas lets every mouse event through (the map's own canvas keeps its hit-testing); clicks
   * and the cursor are worked out from what was drawn. */
  var IncidentLayer = L.Layer.extend({
    initialize: function () {
      this.setData(new Int32Array(0), new Float64Array(0), new Float64Array(0), new Uint8Array(0), []);
    },

    setData: function (ids, lat, lon, group, colours) {
      var n = ids.length;
      this._ids = ids;
      this._lat = lat;
      this._lon = lon;
      this._group = group;
      this._colours = colours;
      this._index = new Map();
      this._top = undefined;
      // Web Mercator pixels at zoom 0 (Leaflet's EPSG:3857), once: a zoom level only scales them.
      this._x = new Float64Array(n);
      this._y = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        var sin = Math.sin(lat[i] * Math.PI / 180);
        this._x[i] = 256 * (lon[i] / 360 + 0.5);
        this._y[i] = 256 * (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI));
        this._index.set(ids[i], i);
      }
      this._redraw();
    },

    count: function () {
      return this._ids.length;
    },

    /* Draw this incident above the others from the next redraw on. */
    raise: function (id) {
      this._top = this._index.get(id);
    },

    latLngOf: function (id) {
      var i = this._index.get(id);
      return i === undefined ? null : L.latLng(this._lat[i], this._lon[i]);
    },

    onAdd: function (map) {
      this._canvas = L.DomUtil.create("canvas", "station-incidents");
      map.getPane("incidentPane").appendChild(this._canvas);
      map.on("moveend resize", this._redraw, this);
      map.on("click", this._onClick, this);
      map.on("mousemove", this._onMove, this);
      this._redraw();
    },

    onRemove: function (map) {
      map.off("moveend resize", this._redraw, this);
      map.off("click", this._onClick, this);
      map.off("mousemove", this._onMove, this);
      L.DomUtil.remove(this._canvas);
      map.getContainer().style.cursor = "";
      this._canvas = null;
      this._drawn = [];
    },

    /* Cluster what is in (or near) the view and draw it; remember each drawn shape for clicks. */
    _redraw: function () {
      this._drawn = [];
      var map = this._map;
      if (!map || !this._canvas) {
        return;
      }
      var size = map.getSize();
      var pad = size.multiplyBy(PAD).round();
      var width = size.x + 2 * pad.x, height = size.y + 2 * pad.y;
      var ratio = window.devicePixelRatio || 1;
      var canvas = this._canvas;
      canvas.width = width * ratio;
      canvas.height = height * ratio;
      canvas.style.width = width + "px";
      canvas.style.height = height + "px";
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([-pad.x, -pad.y]));
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var zoom = map.getZoom();
      var scale = Math.pow(2, zoom);
      // Absolute pixel of the canvas's top-left corner at this zoom.
      var origin = map.getPixelOrigin().add(map.containerPointToLayerPoint([0, 0])).subtract(pad);
      var single = zoom >= SINGLE_ZOOM;
      var cells = new Map();
      var clusters = [];
      var n = this._ids.length;
      for (var i = 0; i < n; i++) {
        var ax = this._x[i] * scale, ay = this._y[i] * scale;
        var px = ax - origin.x, py = ay - origin.y;
        if (px < -CLUSTER_PX || py < -CLUSTER_PX || px > width + CLUSTER_PX || py > height + CLUSTER_PX) {
          continue;
        }
        // Cells on the absolute pixel grid, so panning does not regroup the clusters.
        var key = single ? i : Math.floor(ax / CLUSTER_PX) * 1e7 + Math.floor(ay / CLUSTER_PX);
        var c = cells.get(key);
        if (c === undefined) {
          cells.set(key, clusters.length);
          clusters.push({first: i, count: 1, sx: px, sy: py,
                         minX: this._x[i], maxX: this._x[i], minY: this._y[i], maxY: this._y[i]});
        } else {
          var cl = clusters[c];
          cl.count += 1;
          cl.sx += px;
          cl.sy += py;
          cl.minX = Math.min(cl.minX, this._x[i]);
          cl.maxX = Math.max(cl.maxX, this._x[i]);
          cl.minY = Math.min(cl.minY, this._y[i]);
          cl.maxY = Math.max(cl.maxY, this._y[i]);
        }
      }
      if (!single) {
        clusters = mergeNear(clusters);
      }
      // The highlighted incident's own dot goes on top of any it overlaps (drawn last, hit first).
      for (var t = 0; this._top !== undefined && t < clusters.length; t++) {
        if (clusters[t].count === 1 && clusters[t].first === this._top) {
          clusters.push(clusters.splice(t, 1)[0]);
          break;
        }
      }
      ctx.lineWidth = 1;
      ctx.strokeStyle = "#ffffff";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.font = "12px sans-serif";
      for (var k = 0; k < clusters.length; k++) {
        var one = clusters[k];
        if (one.count === 1) {
          var x = one.sx, y = one.sy;
          ctx.globalAlpha = 0.9;
          ctx.fillStyle = this._colours[this._group[one.first]];
          ctx.beginPath();
          ctx.arc(x, y, DOT_RADIUS, 0, 2 * Math.PI);
          ctx.fill();
          ctx.globalAlpha = 1;
          ctx.stroke();
          this._drawn.push({x: x - pad.x, y: y - pad.y, r: DOT_RADIUS, index: one.first});
          continue;
        }
        var cx = one.sx / one.count, cy = one.sy / one.count;
        var look = CLUSTER_COLOURS[one.count < 10 ? 0 : one.count < 100 ? 1 : 2];
        ctx.fillStyle = look[0];
        ctx.beginPath();
        ctx.arc(cx, cy, 20, 0, 2 * Math.PI);
        ctx.fill();
        ctx.fillStyle = look[1];
        ctx.beginPath();
        ctx.arc(cx, cy, 15, 0, 2 * Math.PI);
        ctx.fill();
        ctx.fillStyle = "#000000";
        ctx.fillText(String(one.count), cx, cy);
        this._drawn.push({x: cx - pad.x, y: cy - pad.y, r: 20, cluster: one});
      }
    },

    /* The drawn shape under a container point: the topmost, i.e. the last drawn. */
    _hit: function (point) {
      for (var k = this._drawn.length - 1; k >= 0; k--) {
        var d = this._drawn[k];
        var dx = point.x - d.x, dy = point.y - d.y;
        if (dx * dx + dy * dy <= (d.r + 2) * (d.r + 2)) {
          return d;
        }
      }
      return null;
    },

    _onClick: function (e) {
      if (S.drawing) {
        return;
      }
      var hit = this._hit(e.containerPoint);
      if (!hit) {
        return;
      }
      if (hit.cluster) {
        // Zoom to the cluster's incidents (at least one level in), as Leaflet.markercluster does.
        var c = hit.cluster;
        var bounds = L.latLngBounds(this._map.unproject([c.minX, c.minY], 0),
                                    this._map.unproject([c.maxX, c.maxY], 0));
        var zoom = Math.min(SINGLE_ZOOM, Math.max(this._map.getZoom() + 1,
                                                  this._map.getBoundsZoom(bounds, false, [40, 40])));
        this._map.setView(bounds.getCenter(), zoom, {animate: false});
      } else if (S.bridge) {
        S.bridge.incidentClicked(this._ids[hit.index]);
      }
    },

    _onMove: function (e) {
      this._map.getContainer().style.cursor = this._hit(e.containerPoint) && !S.drawing ? "pointer" : "";
    },

    /* The container point of an incident drawn as its own dot, else null. */
    pointOf: function (id) {
      var i = this._index.get(id);
      for (var k = 0; i !== undefined && k < this._drawn.length; k++) {
        if (this._drawn[k].index === i) {
          return [this._drawn[k].x, this._drawn[k].y];
        }
      }
      return null;
    }
  });

  /* Leaflet.draw's texts in the console's language (keys of config.text.draw). */
  function localiseDrawing(t) {
    var d = L.drawLocal.draw;
    var pick = function (key, fallback) { return (t && t[key]) || fallback; };
    d.toolbar.actions = {title: pick("cancelTitle", d.toolbar.actions.title), text: pick("cancel", d.toolbar.actions.text)};
    d.toolbar.finish = {title: pick("finishTitle", d.toolbar.finish.title), text: pick("finish", d.toolbar.finish.text)};
    d.toolbar.undo = {title: pick("undoTitle", d.toolbar.undo.title), text: pick("undo", d.toolbar.undo.text)};
    d.toolbar.buttons.polygon = pick("polygon", d.toolbar.buttons.polygon);
    d.toolbar.buttons.rectangle = pick("rectangle", d.toolbar.buttons.rectangle);
    d.handlers.polygon.tooltip = {start: pick("polygonStart", d.handlers.polygon.tooltip.start),
                                  cont: pick("polygonCont", d.handlers.polygon.tooltip.cont),
                                  end: pick("polygonEnd", d.handlers.polygon.tooltip.end)};
    d.handlers.polyline.error = pick("crossError", d.handlers.polyline.error);
    d.handlers.rectangle.tooltip.start = pick("rectangleStart", d.handlers.rectangle.tooltip.start);
    d.handlers.simpleshape.tooltip.end = pick("release", d.handlers.simpleshape.tooltip.end);
  }

  var AREA_STYLE = {color: "#0d47a1", weight: 2, dashArray: "6 4", fillColor: "#1e88e5", fillOpacity: 0.08};

  /* Draw a rectangle or polygon to filter the board (and so the map) to the incidents inside it.
   * The shape goes to the console; the page shows the area of the filter it gets back. */
  function addDrawing() {
    localiseDrawing(S.config.text.draw);
    S.area = L.featureGroup().addTo(S.map);
    var shape = {shapeOptions: AREA_STYLE, showArea: false, metric: true};
    S.map.addControl(new L.Control.Draw({
      position: "topleft",
      draw: {polyline: false, circle: false, marker: false, circlemarker: false,
             rectangle: shape, polygon: L.extend({allowIntersection: false}, shape)},
      edit: false
    }));
    S.map.on(L.Draw.Event.DRAWSTART, function () { S.drawing = true; });
    S.map.on(L.Draw.Event.DRAWSTOP, function () { S.drawing = false; });
    S.map.on(L.Draw.Event.CREATED, function (e) {
      var ring = e.layer.getLatLngs()[0].map(function (p) { return [p.lat, p.lng]; });
      S.setArea(ring);
      if (S.bridge) {
        S.bridge.areaDrawn(JSON.stringify(ring));
      }
    });
  }

  /* The area of the board's filter as [[lat, lon], ...], or null/[] for none. */
  S.setArea = function (ring) {
    S.area.clearLayers();
    if (ring && ring.length >= 3) {
      L.polygon(ring, L.extend({interactive: false}, AREA_STYLE)).addTo(S.area);
    }
    return S.area.getLayers().length;
  };

  /* Shapes use the map's own canvas (the page prefers canvas): one canvas hit-tests every shape
   * in drawing order; a second canvas would swallow clicks meant for the other. The incidents'
   * canvas takes no mouse events at all (see IncidentLayer). */
  S.init = function (cfg) {
    S.map = cfg.map;
    S.layers = cfg.layers;
    S.config = cfg.config;
    // No tile layer sets a zoom range.
    S.map.setMaxZoom(S.config.maxZoom);
    // Leaflet's credit as text: its link to leafletjs.com, clicked on an offline PC, would
    // replace the map with the page of a blocked request.
    if (S.map.attributionControl) {
      S.map.attributionControl.setPrefix("Leaflet");
    }
    var pane = S.map.createPane("incidentPane");
    pane.style.pointerEvents = "none";
    pane.style.zIndex = 450;  // over the shapes' canvas (400), under labels and icons (600)
    S.incidents = new IncidentLayer();
    S.cells = L.layerGroup();
    S.layers.incidents.addLayer(S.incidents);
    S.layers.incidents.addLayer(S.cells);
    S.heat = L.heatLayer([], {radius: 22, blur: 18, minOpacity: 0.25, maxZoom: 17, max: 1.0});
    S.layers.heat.addLayer(S.heat);
    S.hotspots = L.layerGroup();
    S.hotspotLabels = L.layerGroup();
    S.layers.hotspots.addLayer(S.hotspots);
    S.map.on("zoomend", fitHotspotLabels);
    S.coverage = L.heatLayer([], {radius: 20, blur: 16, minOpacity: 0.3, maxZoom: 17, max: 1.0,
                                  gradient: {0.2: "#c6dbef", 0.5: "#4292c6", 0.8: "#08519c", 1.0: "#08306b"}});
    S.gaps = L.layerGroup();
    S.layers.coverage.addLayer(S.coverage);
    S.layers.coverage.addLayer(S.gaps);
    S.ring = L.circleMarker([0, 0], {radius: 16, color: "#ff1744", weight: 4, fill: false, interactive: false});
    addLegend();
    addDrawing();
    S.ready = true;
    if (window.qt && window.qt.webChannelTransport && window.QWebChannel) {
      new QWebChannel(window.qt.webChannelTransport, function (channel) {
        S.bridge = channel.objects.bridge;
        S.bridge.pageReady();
      });
      // A layer switched in the layer control: the console's own switches follow it. (Layers
      // the console adds or removes itself fire no such event, so nothing echoes back.)
      S.map.on("overlayadd overlayremove", function (e) {
        Object.keys(S.layers).forEach(function (name) {
          if (S.layers[name] === e.layer && S.bridge) {
            S.bridge.layerToggled(name, e.type === "overlayadd");
          }
        });
      });
    }
  };

  /* Incidents: {n, ids, lat, lon, group, groups} as base64 columns (int32 ids, int32 millionths of
   * a degree, uint8 group index; one dot each, clustered), or {cells: [[lat, lon, count, group]],
   * groups} when the filter holds too many to draw. */
  S.setIncidents = function (data) {
    S.cells.clearLayers();
    var groups = data.groups;
    if (data.cells) {
      S.incidents.setData(new Int32Array(0), new Float64Array(0), new Float64Array(0), new Uint8Array(0), []);
      data.cells.forEach(function (c) {
        var radius = 4 + 3 * Math.log(1 + c[2]);
        L.circleMarker([c[0], c[1]], {
          radius: radius, color: "#ffffff", weight: 1,
          fillColor: colourOf(groups[c[3]]), fillOpacity: 0.75
        }).bindTooltip(String(c[2])).addTo(S.cells);
      });
      return data.cells.length;
    }
    var lat = Float64Array.from(column(data.lat, Int32Array), function (v) { return v / 1e6; });
    var lon = Float64Array.from(column(data.lon, Int32Array), function (v) { return v / 1e6; });
    S.incidents.setData(column(data.ids, Int32Array), lat, lon, column(data.group, Uint8Array),
                        groups.map(colourOf));
    return data.n;
  };

  /* Heat: [[lat, lon, weight 0..1], ...] aggregated per cell by the console. */
  S.setHeat = function (points) {
    S.heat.setLatLngs(points);
    return points.length;
  };

  /* Hotspot cells, ranked: [{rank, bounds: [s, w, n, e], count, z, peak_hours, ...}]. */
  S.setHotspots = function (spots) {
    S.hotspots.clearLayers();
    S.hotspotLabels.clearLayers();
    S.hotspotCell = spots.length ? spots[0].bounds : null;
    spots.forEach(function (h) {
      var tip = text("hotspot", "#{rank}: {count} incidents, z = {z}, peak {peak}")
        .replace("{rank}", h.rank).replace("{count}", h.count).replace("{z}", h.z)
        .replace("{peak}", h.peak_hours);
      L.rectangle([[h.bounds[0], h.bounds[1]], [h.bounds[2], h.bounds[3]]], {
        color: "#b71c1c", weight: 2, fillColor: "#ff5252", fillOpacity: 0.25
      }).bindTooltip(tip).addTo(S.hotspots);
      L.marker([h.lat, h.lon], {
        interactive: false,
        icon: L.divIcon({className: "area-label-icon", html: '<div class="area-label">' + h.rank + "</div>",
                         iconSize: [24, 16], iconAnchor: [12, 8]})
      }).addTo(S.hotspotLabels);
    });
    fitHotspotLabels();
    return spots.length;
  };

  /* Rank numbers only when a cell is wide enough on screen to hold one: smaller, neighbouring
   * cells' numbers run together ("19" and "6" read "196") and cover the clusters. The rank is
   * in each cell's tooltip and in the list beside the map at any zoom. */
  function fitHotspotLabels() {
    var b = S.hotspotCell, show = false;
    if (b) {
      var sw = S.map.latLngToContainerPoint([b[0], b[1]]), ne = S.map.latLngToContainerPoint([b[2], b[3]]);
      show = Math.abs(ne.x - sw.x) >= HOTSPOT_LABEL_MIN_PX;
    }
    showIn(S.hotspots, S.hotspotLabels, show);
  }

  /* Put ``layer`` in ``parent`` (the map or a layer group) or take it out. */
  function showIn(parent, layer, show) {
    if (show && !parent.hasLayer(layer)) {
      parent.addLayer(layer);
    } else if (!show && parent.hasLayer(layer)) {
      parent.removeLayer(layer);
    }
  }

  /* Patrol coverage: heat [[lat, lon, weight 0..1], ...] of presence per cell, and the gap
   * hotspots [{rank, bounds, tip}] outlined; shown (or hidden) with the layer's switch. */
  S.setCoverage = function (points, gaps, show) {
    S.coverage.setLatLngs(points);
    S.gaps.clearLayers();
    gaps.forEach(function (g) {
      L.rectangle([[g.bounds[0], g.bounds[1]], [g.bounds[2], g.bounds[3]]], {
        color: "#4a148c", weight: 3, dashArray: "5 4", fill: false
      }).bindTooltip(g.tip).addTo(S.gaps);
    });
    S.showCoverage(show);
    return points.length;
  };

  S.showCoverage = function (show) {
    showIn(S.map, S.layers.coverage, show);
    return S.map.hasLayer(S.layers.coverage);
  };

  /* Mark one incident and bring it into view (the board selected it). */
  S.highlight = function (id, lat, lon) {
    var known = S.incidents.latLngOf(id);
    S.incidents.raise(id);
    var place = known || L.latLng(lat, lon);
    S.ring.setLatLng(place);
    if (!S.map.hasLayer(S.ring)) {
      S.ring.addTo(S.map);
    }
    S.map.setView(place, Math.max(S.map.getZoom(), SINGLE_ZOOM), {animate: false});
    return known ? id : null;
  };

  /* Tests and the smoke run: the screen point of an incident's own dot (null when not drawn
   * as one: clustered, out of view or the layer switched off). */
  S.markerPoint = function (id) {
    return S.incidents.pointOf(id);
  };
}());
