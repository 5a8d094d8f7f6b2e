// The Shared Prosperity Map pages: the choropleth and its selectors, the comparison of states, and
// sortable tables. Data come from the page (#spi-data, #spi-geo); charts are drawn with the vendored
// Vega, Vega-Lite and vega-embed (no network). The map element gets data-rendered="true",
// data-measure/-year/-edition/-scale and a data-draws counter each time it is drawn.
(function () {
  "use strict";
  var LOCALES = { en: "en-US", es: "es-MX", fr: "fr-CA" };

  function el(id) { return document.getElementById(id); }
  function readJson(id) { var node = el(id); return node ? JSON.parse(node.textContent) : null; }
  function esc(text) {
    return String(text).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  // Sortable tables: click a heading with data-sort to sort by it (again to reverse).
  function sortable(table) {
    table.querySelectorAll("th[data-sort]").forEach(function (th, index) {
      th.tabIndex = 0;
      th.style.cursor = "pointer";
      var sort = function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var numeric = th.getAttribute("data-sort") === "num";
        var dir = th.getAttribute("aria-sort") === "descending" ? 1 : -1;
        if (!numeric && !th.hasAttribute("aria-sort")) { dir = 1; }
        rows.sort(function (a, b) {
          var x = a.cells[index], y = b.cells[index];
          if (numeric) {
            var p = parseFloat(x.getAttribute("data-value")), q = parseFloat(y.getAttribute("data-value"));
            p = isNaN(p) ? -Infinity : p; q = isNaN(q) ? -Infinity : q;
            return dir * (p - q);
          }
          return dir * x.textContent.localeCompare(y.textContent);
        });
        table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        rows.forEach(function (r) { body.appendChild(r); });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
    });
  }
  document.querySelectorAll("table.sortable").forEach(sortable);

  var D = readJson("spi-data");
  if (!D) { return; }
  var T = D.text;
  var number = new Intl.NumberFormat(LOCALES[D.lang], { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var measureName = {};
  D.measures.forEach(function (m) { measureName[m.slug] = m.name; });
  var countryName = { USA: T.usa, MEX: T.mex, CAN: "Canada" };

  function latestYear(values) {
    var years = Object.keys((values || {}).spi || {}).sort();
    return years.length ? years[years.length - 1] : null;
  }

  // The value of one area for a selection: {value, rank, n, year, source, edition} or null.
  function cellFor(geo, country, sel) {
    var values, edition, source;
    if (country === "MEX") {
      values = D.values.mx[sel.edition]; edition = sel.edition; source = T.mx_source;
    } else if (country === "USA" && D.us) {
      values = D.values.us; edition = D.us.label; source = T.us_source;
    } else {
      return null;
    }
    var year = sel.year === "latest" ? latestYear(values) : sel.year;
    var cell = (((values || {})[sel.measure] || {})[year] || {})[geo];
    if (!cell || cell[0] === null) { return null; }
    return { value: cell[0], rank: cell[1], n: cell[2], year: year, source: source, edition: edition };
  }

  function rowsFor(sel) {
    return Object.keys(D.areas).map(function (geo) {
      var area = D.areas[geo];
      var c = cellFor(geo, area.country, sel);
      return {
        geo: geo, name: area.name, country: countryName[area.country] || area.country,
        value: c ? c.value : null, label: c ? number.format(c.value) : T.no_data,
        rank_label: c && c.rank ? c.rank + " " + T.of + " " + c.n : "—",
        year: c ? c.year : "—", source: c ? c.source : "—", edition: c ? c.edition : "—", rank: c ? c.rank : null
      };
    });
  }

  function mapSpec(rows, sel, geo) {
    var base = function (test) {
      return {
        data: { values: geo, format: { type: "topojson", feature: "admin1" } },
        transform: [
          { lookup: "id", from: { data: { values: rows }, key: "geo",
            fields: ["name", "country", "value", "label", "rank_label", "year", "source", "edition"] } },
          { filter: test }
        ]
      };
    };
    var tooltip = [
      { field: "name", title: T.state }, { field: "label", title: T.value },
      { field: "rank_label", title: T.rank }, { field: "year", title: T.year },
      { field: "source", title: T.source }, { field: "edition", title: T.edition }
    ];
    var scale = sel.scale === "fixed"
      ? { type: "linear", domain: [0, 100], scheme: "blues" }
      : { type: "quantile", scheme: { name: "blues", count: 5 } };
    var labels = [];
    var usShown = rows.some(function (r) { return r.geo.indexOf("US-") === 0 && r.value !== null; });
    if (!usShown) { labels.push({ lon: -99, lat: 39.5, text: T.us_no_data }); }
    if (D.canada && D.canada.spi !== null) {
      labels.push({ lon: -100, lat: 59, text: T.ca_context.replace("%(score)s", number.format(D.canada.spi))
        .replace("%(year)s", D.canada.spi_period).replace("%(rank)s", String(Math.round(D.canada.spi_rank))) });
    }
    var layers = [
      Object.assign(base("datum.value == null"), {
        mark: { type: "geoshape", fill: "url(#spi-hatch)", stroke: "#8a8a8a", strokeWidth: 0.4 },
        encoding: { tooltip: [{ field: "name", title: T.state }, { field: "label", title: T.value }] }
      }),
      Object.assign(base("datum.value != null"), {
        mark: { type: "geoshape", stroke: "#ffffff", strokeWidth: 0.5 },
        encoding: {
          color: { field: "value", type: "quantitative", title: measureName[sel.measure], scale: scale,
            legend: { orient: "bottom-left", format: ".1f", direction: "vertical" } },
          tooltip: tooltip
        }
      })
    ];
    if (labels.length) {
      layers.push({ data: { values: labels }, mark: { type: "text", fontSize: 13, fontWeight: "bold", fill: "#333" },
        encoding: { longitude: { field: "lon", type: "quantitative" }, latitude: { field: "lat", type: "quantitative" },
          text: { field: "text" } } });
    }
    return {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      width: "container", height: 620, autosize: { type: "fit", contains: "padding" },
      projection: { type: "conicConformal", parallels: [20, 60], rotate: [100, 0] },
      layer: layers, config: { view: { stroke: null } }
    };
  }

  function tableFor(rows) {
    var body = el("spi-map-table").tBodies[0];
    var shown = rows.filter(function (r) { return r.value !== null; })
      .sort(function (a, b) { return b.value - a.value || a.geo.localeCompare(b.geo); });
    var html = shown.map(function (r) {
      return "<tr><th scope=\"row\"><a href=\"spi/" + r.geo + ".html\">" + esc(r.name) + "</a></th><td>" +
        esc(r.country) + "</td><td>" + r.year + "</td><td class=\"num\">" + r.label + "</td><td class=\"num\">" +
        esc(r.rank_label) + "</td></tr>";
    });
    if (!rows.some(function (r) { return r.geo.indexOf("US-") === 0 && r.value !== null; })) {
      html.push("<tr class=\"nodata\"><th scope=\"row\">" + esc(T.usa) + "</th><td colspan=\"4\">" + esc(T.no_data) + "</td></tr>");
    }
    body.innerHTML = html.join("");
  }

  function selection() {
    return { measure: el("spi-measure").value, year: el("spi-year").value, edition: el("spi-edition").value,
      scale: el("spi-scale").value };
  }

  function fillYears() {
    var select = el("spi-year"), keep = select.value, years = {};
    var edition = el("spi-edition").value;
    Object.keys((D.values.mx[edition] || {}).spi || {}).forEach(function (y) { years[y] = true; });
    Object.keys((D.values.us || {}).spi || {}).forEach(function (y) { years[y] = true; });
    var options = ["<option value=\"latest\">" + esc(T.latest) + "</option>"];
    Object.keys(years).sort().reverse().forEach(function (y) { options.push("<option value=\"" + y + "\">" + y + "</option>"); });
    select.innerHTML = options.join("");
    select.value = years[keep] || keep === "latest" ? keep : "latest";
  }

  var draws = 0;
  function drawMap() {
    var target = el("spi-map"), sel = selection(), rows = rowsFor(sel);
    target.removeAttribute("data-rendered");
    var geo = readJson("spi-geo");
    return vegaEmbed(target, mapSpec(rows, sel, geo), { renderer: "svg", actions: false, formatLocale: window.USMCA_LOCALE })
      .then(function () {
        draws += 1;
        ["measure", "year", "edition", "scale"].forEach(function (k) { target.setAttribute("data-" + k, sel[k]); });
        target.setAttribute("data-draws", String(draws));
        target.setAttribute("data-rendered", "true");
        el("spi-map-status").textContent = measureName[sel.measure] + " · " +
          (sel.year === "latest" ? T.latest : sel.year) + " · " + T.edition + " " + sel.edition;
        el("spi-map-prov").textContent = T.mx_source + " (" + (D.editions.filter(function (e) { return e.label === sel.edition; })[0] || {}).vintage +
          ")" + (D.us ? "; " + T.us_source + " (" + D.us.vintage + ")" : "");
        tableFor(rows);
      })
      .catch(function (err) { target.setAttribute("data-error", String(err)); target.textContent = String(err); });
  }

  // Every choice of the map is kept in the URL (?measure=…&year=…&edition=…&scale=…): a copied link
  // reopens the same view.
  var URL_KEYS = { measure: "spi-measure", year: "spi-year", edition: "spi-edition", scale: "spi-scale" };
  function fromUrl(keys) {
    var params = new URLSearchParams(location.search);
    keys.forEach(function (key) {
      var select = el(URL_KEYS[key]), wanted = params.get(key);
      if (select && wanted !== null && Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) {
        select.value = wanted;
      }
    });
  }
  function toUrl() {
    var params = new URLSearchParams(location.search);
    Object.keys(URL_KEYS).forEach(function (key) {
      var select = el(URL_KEYS[key]);
      if (!select) { return; }
      if (select.selectedIndex > 0) { params.set(key, select.value); } else { params.delete(key); }
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  if (el("spi-map")) {
    fromUrl(["measure", "edition", "scale"]);
    fillYears();
    fromUrl(["year"]);
    ["spi-measure", "spi-year", "spi-scale"].forEach(function (id) {
      el(id).addEventListener("change", function () { toUrl(); drawMap(); });
    });
    el("spi-edition").addEventListener("change", function () { fillYears(); toUrl(); drawMap(); });
    drawMap();
  }

  // The comparison page.
  function compare() {
    var chosen = Array.prototype.filter.call(el("spi-compare-states").options, function (o) { return o.selected; })
      .map(function (o) { return o.value; });
    var edition = el("spi-edition").value;
    var table = el("spi-compare-table");
    if (chosen.length < 2) { table.innerHTML = "<caption>" + esc(T.select_two) + "</caption>"; return; }
    var closest = (D.closest || {})[edition] || {};
    var head = "<thead><tr><th scope=\"col\">" + esc(T.measure) + "</th>" + chosen.map(function (g) {
      return "<th scope=\"col\">" + esc(D.areas[g].name) + "</th>";
    }).join("") + "</tr></thead>";
    var chart = [];
    var body = D.measures.map(function (m) {
      return "<tr class=\"lvl-" + m.level + "\"><th scope=\"row\">" + esc(m.name) + "</th>" + chosen.map(function (g) {
        var c = cellFor(g, D.areas[g].country, { measure: m.slug, year: "latest", edition: edition });
        if (!c) { return "<td class=\"nodata\">" + esc(T.no_data) + "</td>"; }
        chart.push({ state: D.areas[g].name, measure: m.name, order: chart.length, value: c.value });
        var near = ((closest[g] || {})[m.slug] || []).map(function (x) { return esc(D.areas[x[0]].name) + " " + number.format(x[1]); });
        return "<td><strong>" + number.format(c.value) + "</strong> <span class=\"note\">(" + c.rank + " " + T.of + " " + c.n +
          ", " + c.year + ")</span>" + (near.length ? "<br><span class=\"note\">" + esc(T.closest) + ": " + near.join("; ") + "</span>" : "") + "</td>";
      }).join("") + "</tr>";
    }).join("");
    table.innerHTML = head + "<tbody>" + body + "</tbody>";
    var spec = {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json", width: "container",
      data: { values: chart }, mark: "bar", height: { step: 12 },
      encoding: {
        y: { field: "measure", type: "nominal", title: null, sort: D.measures.map(function (m) { return m.name; }) },
        yOffset: { field: "state" }, x: { field: "value", type: "quantitative", title: T.value, scale: { domain: [0, 100] } },
        color: { field: "state", type: "nominal", title: T.state, legend: { orient: "top" } },
        tooltip: [{ field: "state", title: T.state }, { field: "measure", title: T.measure },
          { field: "value", type: "quantitative", format: ".1f", title: T.value }]
      }
    };
    var target = el("spi-compare-chart");
    vegaEmbed(target, spec, { renderer: "svg", actions: false, formatLocale: window.USMCA_LOCALE })
      .then(function () { target.setAttribute("data-rendered", "true"); })
      .catch(function (err) { target.setAttribute("data-error", String(err)); });
  }
  if (el("spi-compare-table")) {
    var chosenStates = new URLSearchParams(location.search).get("states");
    if (chosenStates) {
      var wantedStates = chosenStates.split(",");
      Array.prototype.forEach.call(el("spi-compare-states").options, function (o) { o.selected = wantedStates.indexOf(o.value) >= 0; });
    }
    fromUrl(["edition"]);
    var compareToUrl = function () {
      var params = new URLSearchParams(location.search);
      params.set("states", Array.prototype.filter.call(el("spi-compare-states").options, function (o) { return o.selected; })
        .map(function (o) { return o.value; }).join(","));
      if (el("spi-edition").selectedIndex > 0) { params.set("edition", el("spi-edition").value); } else { params.delete("edition"); }
      history.replaceState(null, "", location.pathname + "?" + params.toString());
    };
    el("spi-compare-states").addEventListener("change", function () { compareToUrl(); compare(); });
    el("spi-edition").addEventListener("change", function () { compareToUrl(); compare(); });
    compare();
  }
})();
