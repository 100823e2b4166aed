/* Station Console map glue: fills the page's layers with what the console sends and reports
 * clicks back through Qt's web channel. The console calls StationMap.* with runJavaScript;
 * the page is never reloaded for new data. */
(function () {
  "use strict";

  var S = {ready: false, bridge: null, markers: {}};
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

  /* Markers use the map's own canvas (the page prefers canvas): one canvas hit-tests every
   * shape in drawing order; a second canvas would swallow clicks meant for the other. */
  S.init = function (cfg) {
    S.map = cfg.map;
    S.layers = cfg.layers;
    S.config = cfg.config;
    // No tile layer sets a zoom range; clustering needs one.
    S.map.setMaxZoom(S.config.maxZoom);
    S.cluster = L.markerClusterGroup({
      chunkedLoading: false, showCoverageOnHover: false, maxClusterRadius: 45,
      disableClusteringAtZoom: 18, spiderfyOnMaxZoom: false
    });
    S.cluster.on("click", function (e) {
      if (e.layer && e.layer.incidentId !== undefined && S.bridge) {
        S.bridge.incidentClicked(e.layer.incidentId);
      }
    });
    S.cells = L.layerGroup();
    S.layers.incidents.addLayer(S.cluster);
    S.layers.incidents.addLayer(S.cells);
    S.heat = L.heatLayer([], {radius: 22, blur: 18, minOpacity: 0.25, maxZoom: 17, max: 1.0});
    S.layers.heat.addLayer(S.heat);
    S.hotspots = L.layerGroup();
    S.layers.hotspots.addLayer(S.hotspots);
    S.ring = L.circleMarker([0, 0], {radius: 16, color: "#ff1744", weight: 4, fill: false, interactive: false});
    addLegend();
    S.ready = true;
    if (window.qt && window.qt.webChannelTransport && window.QWebChannel) {
      new QWebChannel(window.qt.webChannelTransport, function (channel) {
        S.bridge = channel.objects.bridge;
        S.bridge.pageReady();
      });
    }
  };

  /* Incidents: {ids, lat, lon, group, groups} as columns (one marker each, clustered), or
   * {cells: [[lat, lon, count, group]], groups} when the filter holds too many to draw. */
  S.setIncidents = function (data) {
    S.cluster.clearLayers();
    S.cells.clearLayers();
    S.markers = {};
    var groups = data.groups;
    if (data.cells) {
      data.cells.forEach(function (c) {
        var radius = 4 + 3 * Math.log(1 + c[2]);
        L.circleMarker([c[0], c[1]], {
          radius: radius, color: "#ffffff", weight: 1,
          fillColor: colourOf(groups[c[3]]), fillOpacity: 0.75
        }).bindTooltip(String(c[2])).addTo(S.cells);
      });
      return data.cells.length;
    }
    var layers = new Array(data.ids.length);
    for (var i = 0; i < data.ids.length; i++) {
      var m = L.circleMarker([data.lat[i], data.lon[i]], {
        radius: 5, color: "#ffffff", weight: 1,
        fillColor: colourOf(groups[data.group[i]]), fillOpacity: 0.9
      });
      m.incidentId = data.ids[i];
      S.markers[data.ids[i]] = m;
      layers[i] = m;
    }
    S.cluster.addLayers(layers);
    return layers.length;
  };

  /* Heat: [[lat, lon, weight 0..1], ...] aggregated per cell by the console. */
  S.setHeat = function (points) {
    S.heat.setLatLngs(points);
    return points.length;
  };

  /* Hotspot cells, ranked: [{rank, bounds: [s, w, n, e], count, z, peak_hours, ...}]. */
  S.setHotspots = function (spots) {
    S.hotspots.clearLayers();
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
      }).addTo(S.hotspots);
    });
    return spots.length;
  };

  /* Mark one incident and bring it into view (the board selected it). */
  S.highlight = function (id, lat, lon) {
    var marker = S.markers[id];
    var place = marker ? marker.getLatLng() : L.latLng(lat, lon);
    S.ring.setLatLng(place);
    if (!S.map.hasLayer(S.ring)) {
      S.ring.addTo(S.map);
    }
    S.map.setView(place, Math.max(S.map.getZoom(), 18), {animate: false});
    return marker ? id : null;
  };

  /* Tests and the smoke run: the screen point of an incident's marker (null when hidden). */
  S.markerPoint = function (id) {
    var marker = S.markers[id];
    if (!marker || !S.map.hasLayer(marker)) {
      return null;
    }
    var p = S.map.latLngToContainerPoint(marker.getLatLng());
    return [p.x, p.y];
  };
}());
