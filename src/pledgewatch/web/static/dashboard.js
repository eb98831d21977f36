// The dashboard's map and date slider. The map is Natural Earth's countries (world-atlas,
// vendored under /static/vendor) projected with d3-geo and coloured by each country's stance
// on the chosen contribution. The board comes from the page's JSON block; the slider fetches
// /api/board?as_of=DATE and recolours the map, the legend counts and the matrix. No inline
// script or style anywhere (the CSP forbids them): everything is built with DOM calls, and
// text from articles only ever goes through textContent.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var svg = document.getElementById("map");
  var status = document.getElementById("map-status");
  var NS = "http://www.w3.org/2000/svg";
  var WIDTH = 960;

  // The world is about twice as wide as high; Europe's box a little wider than high.
  function height() { return view === "world" ? 500 : 700; }
  var board = data.board;
  var view = "europe";
  var features = null;

  function label(value) { return String(value || "").replace(/_/g, " "); }

  function codeOf(feature) {
    if (feature.id === undefined || feature.id === null) { return null; }
    return data.numeric[String(feature.id).padStart(3, "0")] || null;
  }

  function colour(code) {
    var entry = code ? board[code] : null;
    return entry ? data.colours[entry.stance] : data.no_data;
  }

  function describe(code) {
    var name = data.names[code] || code;
    var entry = board[code];
    if (!entry) { return name + ": no statement on " + label(data.contribution); }
    return name + ": " + label(entry.stance) + " on " + label(data.contribution) +
      (entry.date ? " (" + entry.date + ")" : " (undated)") + (entry.disputed ? ", disputed" : "");
  }

  function projection() {
    if (view === "world") {
      return d3.geoNaturalEarth1().fitExtent([[8, 8], [WIDTH - 8, height() - 8]], {type: "Sphere"});
    }
    // Europe from Iceland and Portugal to the Volga, Crete to the North Cape: the edges of
    // that lon/lat box are sampled, because a conic projection curves its parallels.
    var corners = [], lon, lat;
    for (lon = -22; lon <= 46; lon += 2) { corners.push([lon, 34.5], [lon, 71]); }
    for (lat = 34.5; lat <= 71; lat += 2) { corners.push([-22, lat], [46, lat]); }
    return d3.geoConicConformal().rotate([-12, 0]).parallels([40, 62])
      .fitExtent([[4, 4], [WIDTH - 4, height() - 4]], {type: "MultiPoint", coordinates: corners});
  }

  // The centre of a country's largest polygon: France's label goes on France, not between
  // Paris and French Guiana.
  function anchor(path, feature) {
    var geometry = feature.geometry;
    if (!geometry) { return null; }
    var best = feature, bestArea = -1;
    if (geometry.type === "MultiPolygon") {
      geometry.coordinates.forEach(function (polygon) {
        var part = {type: "Polygon", coordinates: polygon};
        var area = path.area(part);
        if (area > bestArea) { bestArea = area; best = part; }
      });
    } else {
      bestArea = path.area(feature);
    }
    var centre = path.centroid(best);
    if (!isFinite(centre[0]) || !isFinite(centre[1])) { return null; }
    return {x: centre[0], y: centre[1], area: bestArea};
  }

  function inside(point) {
    return point && point.x > 4 && point.x < WIDTH - 4 && point.y > 4 && point.y < height() - 4;
  }

  function svgElement(name, attributes) {
    var element = document.createElementNS(NS, name);
    Object.keys(attributes).forEach(function (key) { element.setAttribute(key, attributes[key]); });
    return element;
  }

  function show(code) {
    var info = document.getElementById("map-info");
    if (info) { info.textContent = code ? describe(code) : ""; }
  }

  function draw() {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    svg.setAttribute("viewBox", "0 0 " + WIDTH + " " + height());
    var path = d3.geoPath(projection());
    if (view === "world") {
      svg.appendChild(svgElement("path", {d: path({type: "Sphere"}), "class": "sphere"}));
    }
    var shapes = svgElement("g", {"class": "countries"});
    var markers = svgElement("g", {"class": "markers"});
    var labels = svgElement("g", {"class": "labels"});
    var shown = {};
    features.forEach(function (feature) {
      var code = codeOf(feature);
      var d = path(feature);
      if (!d) { return; }
      var stance = code && board[code] ? board[code].stance : "none";
      var shape = svgElement("path", {d: d, "class": "country" + (stance !== "none" ? " stated" : ""),
                                      fill: colour(code)});
      if (!code) { shapes.appendChild(shape); return; }
      shape.setAttribute("data-country", code);
      shape.setAttribute("data-stance", stance);
      var title = svgElement("title", {});
      title.textContent = describe(code);
      shape.appendChild(title);
      var link = svgElement("a", {href: "/country/" + code, "aria-label": describe(code)});
      link.appendChild(shape);
      link.addEventListener("mouseenter", function () { show(code); });
      link.addEventListener("focus", function () { show(code); });
      link.addEventListener("mouseleave", function () { show(null); });
      shapes.appendChild(link);
      if (stance === "none") { return; }
      var where = anchor(path, feature);
      if (!inside(where)) { return; }
      shown[code] = true;
      // Countries too small to see (Luxembourg, Malta, Cyprus...) get a dot in their colour.
      var tiny = view === "world" ? 6 : 60;
      if (where.area < tiny) {
        var dot = svgElement("circle", {cx: where.x, cy: where.y, r: view === "world" ? 3.5 : 5.5,
                                        "class": "marker",
                                        fill: colour(code), "data-country": code, "data-stance": stance});
        var dotTitle = svgElement("title", {});
        dotTitle.textContent = describe(code);
        dot.appendChild(dotTitle);
        var dotLink = svgElement("a", {href: "/country/" + code, "aria-label": describe(code)});
        dotLink.appendChild(dot);
        markers.appendChild(dotLink);
      }
      if (view === "europe" || where.area >= 150) {
        var text = svgElement("text", {x: where.x, y: where.y + (where.area < tiny ? -9 : 4),
                                       "text-anchor": "middle", "class": "map-label"});
        text.textContent = code;
        labels.appendChild(text);
      }
    });
    svg.appendChild(shapes);
    svg.appendChild(markers);
    svg.appendChild(labels);
    listOffMap(shown);
  }

  // Organisations (NATO, EU) and countries outside the current view are listed under the map.
  function listOffMap(shown) {
    var list = document.getElementById("map-extra");
    if (!list) { return; }
    while (list.firstChild) { list.removeChild(list.firstChild); }
    Object.keys(board).sort().forEach(function (code) {
      if (shown[code]) { return; }
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.setAttribute("href", "/country/" + code);
      link.textContent = data.names[code] || code;
      var badge = document.createElement("span");
      badge.className = "badge small stance-" + board[code].stance;
      badge.textContent = label(board[code].stance);
      item.setAttribute("data-country", code);
      item.setAttribute("data-stance", board[code].stance);
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(badge);
      list.appendChild(item);
    });
    document.getElementById("map-extra-wrap").hidden = !list.firstChild;
  }

  function setView(name) {
    view = name;
    ["europe", "world"].forEach(function (other) {
      var button = document.getElementById("view-" + other);
      button.classList.toggle("active", other === name);
      button.setAttribute("aria-pressed", other === name ? "true" : "false");
    });
    svg.setAttribute("data-view", name);
    if (features) { draw(); }
  }
  document.getElementById("view-europe").addEventListener("click", function () { setView("europe"); });
  document.getElementById("view-world").addEventListener("click", function () { setView("world"); });

  // ---------------------------------------------------------------- the replay slider

  function updateLegend() {
    var counts = {};
    Object.keys(board).forEach(function (code) {
      counts[board[code].stance] = (counts[board[code].stance] || 0) + 1;
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-count]"), function (cell) {
      var n = counts[cell.getAttribute("data-count")];
      cell.textContent = n ? String(n) : "";
    });
  }

  function updateMatrix(entries) {
    var byCell = {};
    entries.forEach(function (e) { byCell[e.country + " " + e.contribution] = e; });
    Array.prototype.forEach.call(document.querySelectorAll("#matrix td.cell"), function (cell) {
      var country = cell.getAttribute("data-country");
      var contribution = cell.getAttribute("data-contribution");
      var e = byCell[country + " " + contribution];
      var chosen = cell.classList.contains("chosen");
      while (cell.firstChild) { cell.removeChild(cell.firstChild); }
      cell.className = "cell" + (chosen ? " chosen" : "");
      if (!e) {
        cell.classList.add("empty");
        cell.setAttribute("data-stance", "none");
        var none = document.createElement("span");
        none.className = "none";
        none.textContent = "–";
        cell.appendChild(none);
        return;
      }
      cell.classList.add("stance-" + e.stance);
      if (e.disputed) { cell.classList.add("disputed"); }
      cell.setAttribute("data-stance", e.stance);
      var link = document.createElement("a");
      link.setAttribute("href", "/document/" + encodeURIComponent(e.document_id) +
                        (e.stance_id ? "#stance-" + e.stance_id : ""));
      link.setAttribute("title", (data.names[country] || country) + ", " + label(contribution) + ": " +
                        label(e.stance) + (e.date ? " (" + e.date + ")" : "") + ". \u201c" +
                        String(e.evidence).slice(0, 220) + "\u201d");
      link.textContent = label(e.stance) + (e.disputed ? " \u2691" : "");
      cell.appendChild(link);
    });
  }

  var slider = document.getElementById("date-slider");
  var pending = 0;
  if (slider) {
    slider.addEventListener("input", function () {
      var when = data.dates[Number(slider.value)];
      var latest = Number(slider.value) === data.dates.length - 1;
      document.getElementById("date-label").textContent = when + (latest ? " (latest)" : "");
      document.getElementById("date-link").setAttribute(
        "href", "/?contribution=" + encodeURIComponent(data.contribution) + "&as_of=" + encodeURIComponent(when));
      var ticket = ++pending;
      fetch("/api/board?as_of=" + encodeURIComponent(when), {headers: {Accept: "application/json"}})
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (body) {
          if (ticket !== pending) { return; }  // a later move of the slider won
          board = {};
          body.board.forEach(function (e) {
            if (e.contribution === data.contribution) { board[e.country] = e; }
          });
          svg.setAttribute("data-as-of", when);
          updateLegend();
          updateMatrix(body.board);
          if (features) { draw(); }
        })
        .catch(function (error) { status.textContent = "Could not replay the board: " + error.message; });
    });
  }

  // ---------------------------------------------------------------- the geometry

  fetch("/static/vendor/countries-50m.json")
    .then(function (response) {
      if (!response.ok) { throw new Error("the map geometry is missing (run .ci/vendor)"); }
      return response.json();
    })
    .then(function (world) {
      features = topojson.feature(world, world.objects.countries).features;
      draw();
      status.textContent = "";
      status.hidden = true;
      svg.setAttribute("data-ready", "true");
    })
    .catch(function (error) {
      status.textContent = "The map could not be drawn: " + error.message +
        ". The matrix below has the same board.";
    });
}());
