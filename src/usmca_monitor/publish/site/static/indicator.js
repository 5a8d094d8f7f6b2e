// Indicator pages and embeds: the chart chosen from the data's shape (lines over time, a choropleth
// of states, or ranked partners), drawn in the browser from data/view/<id>.<freq>.json with the
// vendored Vega; every choice (frequency, geography, partner, product, period range, period shown,
// map scale) is kept in the URL so that a copied link reopens the same view. Each chart element gets
// data-rendered="true" once drawn and data-view with the state it shows.
(function () {
  "use strict";
  var C = JSON.parse(document.getElementById("indicator-config").textContent);
  var T = C.text;
  var EMBED = document.body.classList.contains("embed");
  var KEYS = ["freq", "geo", "partner", "product", "from", "to", "at", "scale"];
  var script = document.querySelector('script[src$="static/indicator.js"]');
  var ROOT = script.getAttribute("src").replace(/static\/indicator\.js$/, "");
  var number = new Intl.NumberFormat(C.locale, { minimumFractionDigits: C.digits, maximumFractionDigits: C.digits });
  var docs = {};

  function el(id) { return document.getElementById(id); }
  function esc(text) {
    return String(text).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function name(code) { return code === null ? "" : (C.names[code] || code); }
  function shown(value) { return value === null ? T.no_data : number.format(value / C.factor); }

  var url = new URLSearchParams(location.search);
  var state = {};
  KEYS.forEach(function (k) { state[k] = url.get(k); });
  if (C.freqs.indexOf(state.freq) < 0) { state.freq = C.headline.freq; }

  function load(freq) {
    if (!docs[freq]) {
      docs[freq] = fetch(ROOT + "data/view/" + C.id + "." + freq + ".json").then(function (r) {
        if (!r.ok) { throw new Error("data/view/" + C.id + "." + freq + ".json: " + r.status); }
        return r.json();
      });
    }
    return docs[freq];
  }

  function distinct(doc, index, where) {
    var seen = {};
    doc.rows.forEach(function (r) {
      if (where && !where(r)) { return; }
      if (r[index] !== null) { seen[r[index]] = true; }
    });
    return Object.keys(seen);
  }

  // Keep the state within what the data holds: the headline's choices first, then the first available.
  function settle(doc) {
    var pick = function (key, index, where) {
      var options = distinct(doc, index, where);
      if (!options.length) { state[key] = null; return options; }
      if (options.indexOf(state[key]) < 0) {
        state[key] = options.indexOf(C.headline[key]) >= 0 ? C.headline[key] : options.sort()[0];
      }
      return options;
    };
    var out = {};
    out.geo = pick("geo", 0);
    out.partner = pick("partner", 1, function (r) { return r[0] === state.geo; });
    out.product = pick("product", 2, function (r) { return r[0] === state.geo && r[1] === state.partner; });
    var periods = doc.periods;
    if (periods.indexOf(state.from) < 0) { state.from = periods[0]; }
    if (periods.indexOf(state.to) < 0) { state.to = periods[periods.length - 1]; }
    if (state.from > state.to) { var t = state.from; state.from = state.to; state.to = t; }
    if (periods.indexOf(state.at) < 0) { state.at = periods[periods.length - 1]; }
    if (state.scale !== "fixed") { state.scale = "quantile"; }
    return out;
  }

  function defaults(doc) {
    return { freq: C.headline.freq, geo: C.headline.geo, partner: C.headline.partner, product: C.headline.product,
      from: doc.periods[0], to: doc.periods[doc.periods.length - 1], at: doc.periods[doc.periods.length - 1],
      scale: "quantile" };
  }

  function writeUrl(doc) {
    var base = defaults(doc), params = new URLSearchParams();
    KEYS.forEach(function (k) {
      if (state[k] !== null && state[k] !== undefined && state[k] !== base[k]) { params.set(k, state[k]); }
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    var share = el("ind-share");
    if (share) { share.href = location.href; }
    var code = el("embed-code");
    if (code) {
      var src = new URL(code.getAttribute("data-src"), location.href).href.split("?")[0] + (query ? "?" + query : "");
      code.value = '<iframe src="' + src + '" width="100%" height="480" style="border:0" title="' +
        esc(C.title) + '" loading="lazy"></iframe>';
    }
  }

  function select(key, label, options, labels) {
    var html = "<label>" + esc(label) + " <select data-key=\"" + key + "\" id=\"ind-" + key + "\">";
    options.forEach(function (o) {
      html += "<option value=\"" + esc(o) + "\"" + (o === state[key] ? " selected" : "") + ">" + esc(labels ? labels(o) : o) + "</option>";
    });
    return html + "</select></label>";
  }

  function byName(a, b) { return name(a).localeCompare(name(b), C.locale); }

  function controls(doc, options) {
    var form = el("ind-controls");
    if (!form) { return; }
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var html = "";
    if (C.freqs.length > 1) { html += select("freq", T.freq, C.freqs, function (f) { return C.freq_names[f]; }); }
    if (options.geo.length > 1) { html += select("geo", T.geo, options.geo.sort(byName), name); }
    if (options.partner.length > 1) { html += select("partner", T.partner, options.partner.sort(byName), name); }
    if (options.product.length > 1) { html += select("product", T.product, options.product.sort(byName), name); }
    if (doc.periods.length > 1) {
      html += select("from", T.from, doc.periods) + select("to", T.to, doc.periods);
      if (C.kind !== "lines") { html += select("at", T.at, doc.periods.slice().reverse()); }
    }
    if (C.kind === "map") {
      html += select("scale", T.scale, ["quantile", "fixed"], function (s) { return T[s]; });
    }
    form.innerHTML = html;
    form.querySelectorAll("select").forEach(function (s) {
      s.addEventListener("change", function () { state[s.getAttribute("data-key")] = s.value; draw(); });
    });
  }

  function seriesRows(doc, geo) {
    return doc.rows.filter(function (r) {
      var period = doc.periods[r[3]];
      return r[0] === geo && r[1] === state.partner && r[2] === state.product && period >= state.from && period <= state.to;
    }).map(function (r) {
      var period = doc.periods[r[3]];
      return { period: period, date: periodDate(period), period_label: USMCA_CHARTS.periodWords(period),
        value: r[4] === null ? null : r[4] / C.factor, raw: r[4], name: seriesName(r[0]), geo: r[0] };
    });
  }

  // A line's name: the reporting area, and the partner when the indicator has one ("United States ·
  // Mexico": the U.S. ratio with Mexico, not a figure of the United States alone).
  function seriesName(geo) { return state.partner ? name(geo) + " · " + name(state.partner) : name(geo); }

  function markRows() {
    return C.marks.filter(function (m) {
      return m.freq === state.freq && m.geo === state.geo && m.partner === state.partner && m.product === state.product &&
        m.period >= state.from && m.period <= state.to;
    }).map(function (m) {
      return { period: m.period, date: periodDate(m.period), value: m.value / C.factor, label: T.report + ": " + (m.qualifier === "=" || m.qualifier === "~" ? "" : m.qualifier + " ") + shown(m.value),
        verdict: T[m.status] || "" };
    });
  }

  function axisFormat() { return ",." + C.digits + "f"; }

  // The first day of a period ("2024", "2024-H2", "2024-Q3", "2024-07", "2024-YTD06") as an ISO date, so
  // that time axes place periods in time and show gaps.
  function periodDate(period) {
    var m = /^(\d{4})(?:-(H[12]|Q[1-4]|YTD\d\d|\d\d))?$/.exec(String(period));
    if (!m) { return null; }
    var part = m[2] || "", month = 1;
    if (part === "H2") { month = 7; } else if (part[0] === "Q") { month = 3 * Number(part[1]) - 2; }
    else if (/^\d\d$/.test(part)) { month = Number(part); }
    return m[1] + "-" + (month < 10 ? "0" : "") + month + "-01";
  }
  function timeAxis(rows) {
    var yearly = rows.every(function (r) { return /^\d{4}$/.test(String(r.period)); });
    var dated = rows.every(function (r) { return r.date !== null; });
    if (!dated) {
      return { field: "period", type: "ordinal", title: T.period, axis: { labelAngle: 0, labelOverlap: true } };
    }
    return { field: "date", type: "temporal", title: T.period, scale: { type: "utc" },
      axis: { labelAngle: 0, labelOverlap: true, format: yearly ? "%Y" : "%b %Y", formatType: "utc",
        tickCount: yearly ? { interval: "year", step: 1 } : undefined } };
  }

  function linesSpec(doc) {
    var geos = [state.geo];
    if (C.kind === "lines" && C.countries.indexOf(state.geo) >= 0) {
      var present = distinct(doc, 0);
      C.countries.forEach(function (g) { if (g !== state.geo && present.indexOf(g) >= 0) { geos.push(g); } });
    }
    var rows = [];
    geos.forEach(function (g) { rows = rows.concat(seriesRows(doc, g)); });
    var x = timeAxis(rows);
    var layers = [{
      data: { values: rows },
      mark: { type: "line", point: true, strokeWidth: 2.5 },
      encoding: {
        x: x,
        y: { field: "value", type: "quantitative", title: C.unit, scale: { zero: false }, axis: { format: axisFormat() } },
        color: { field: "name", type: "nominal", title: null, sort: geos.map(seriesName),
          scale: { domain: geos.map(seriesName), range: USMCA_CHARTS.areaColors(geos) }, legend: geos.length > 1 ? { orient: "bottom" } : null },
        tooltip: [{ field: "name", title: T.geo }, { field: "period_label", title: T.period },
          { field: "value", type: "quantitative", title: C.unit, format: axisFormat() }]
      }
    }];
    var marks = markRows();
    if (marks.length) {
      layers.push({ data: { values: marks }, mark: { type: "point", shape: "diamond", size: 160, filled: true, color: USMCA_CHARTS.palette.report },
        encoding: { x: { field: x.field, type: x.type }, y: { field: "value", type: "quantitative" },
          tooltip: [{ field: "label", title: T.report }, { field: "verdict", title: " " }] } });
    }
    return { $schema: "https://vega.github.io/schema/vega-lite/v6.json", width: "container", height: 300,
      autosize: { type: "fit", contains: "padding" }, layer: layers, config: { view: { stroke: null }, font: "DejaVu Sans, Liberation Sans, Arial, sans-serif" } };
  }

  function barsSpec(doc) {
    var at = doc.periods.indexOf(state.at);
    var weighted = Object.keys(C.weights || {}).length > 0;
    var rows = doc.rows.filter(function (r) {
      return r[3] === at && r[0] === state.geo && r[2] === state.product && r[4] !== null &&
        (C.partner_kinds[r[1]] === "country" || r[1] === state.partner);
    });
    var weight = function (r) { return weighted ? (C.weights[r[1]] || 0) : r[4]; };
    rows.sort(function (a, b) { return weight(b) - weight(a); });
    var top = rows.slice(0, 15);
    if (!top.some(function (r) { return r[1] === state.partner; })) {
      top = top.concat(rows.filter(function (r) { return r[1] === state.partner; }));
    }
    var values = top.map(function (r, i) {
      return { name: name(r[1]), value: r[4] / C.factor, order: i, chosen: r[1] === state.partner };
    });
    return { $schema: "https://vega.github.io/schema/vega-lite/v6.json", width: "container", height: { step: 22 },
      autosize: { type: "fit-x", contains: "padding" }, title: { text: (weighted ? T.top_by : T.top) + " — " + state.at, anchor: "start", fontSize: 13 },
      data: { values: values }, mark: "bar",
      encoding: {
        y: { field: "name", type: "nominal", title: null, sort: { field: "order" } },
        x: { field: "value", type: "quantitative", title: C.unit, axis: { format: axisFormat() } },
        color: { field: "chosen", type: "nominal", legend: null,
          scale: { domain: [true, false], range: [USMCA_CHARTS.areaColors([state.partner])[0], USMCA_CHARTS.palette.single] } },
        tooltip: [{ field: "name", title: T.partner }, { field: "value", type: "quantitative", title: C.unit, format: axisFormat() }]
      }, config: { view: { stroke: null }, font: "DejaVu Sans, Liberation Sans, Arial, sans-serif" } };
  }

  function mapSpec(doc) {
    var at = doc.periods.indexOf(state.at);
    var values = doc.rows.filter(function (r) {
      return r[3] === at && r[1] === state.partner && r[2] === state.product && r[0].indexOf("-") > 0;
    }).map(function (r) { return { geo: r[0], name: name(r[0]), value: r[4] === null ? null : r[4] / C.factor, label: shown(r[4]) }; });
    var scale = state.scale === "fixed"
      ? { type: "linear", domain: C.index_scale ? [0, 100] : null, scheme: "blues" }
      : { type: "quantile", scheme: { name: USMCA_CHARTS.palette.map_scheme, count: 5 } };
    if (!scale.domain) { delete scale.domain; }
    var base = function (test) {
      return { data: { url: ROOT + "data/geo/north_america_admin1.topo.json", format: { type: "topojson", feature: "admin1" } },
        transform: [{ lookup: "id", from: { data: { values: values }, key: "geo", fields: ["name", "value", "label"] } },
          { filter: test }] };
    };
    return { $schema: "https://vega.github.io/schema/vega-lite/v6.json", width: "container", height: EMBED ? 380 : 520,
      autosize: { type: "fit", contains: "padding" },
      projection: { type: "conicConformal", parallels: [20, 60], rotate: [100, 0] },
      layer: [
        Object.assign(base("datum.value == null"), { mark: { type: "geoshape", fill: "#eeeeee", stroke: "#9a9a9a", strokeWidth: 0.4 } }),
        Object.assign(base("datum.value != null"), { mark: { type: "geoshape", stroke: "#ffffff", strokeWidth: 0.5 },
          encoding: { color: { field: "value", type: "quantitative", title: C.unit, scale: scale,
            legend: { orient: "bottom-left", format: axisFormat(), direction: "vertical" } },
            tooltip: [{ field: "name", title: T.geo }, { field: "label", title: T.value }] } })
      ], config: { view: { stroke: null }, font: "DejaVu Sans, Liberation Sans, Arial, sans-serif" } };
  }

  function render(target, spec) {
    if (!target) { return Promise.resolve(); }
    target.removeAttribute("data-rendered");
    target.setAttribute("data-view", JSON.stringify(state));
    return USMCA_CHARTS.embed(target, spec, { formatLocale: C.d3 })
      .catch(function (err) { target.setAttribute("data-error", String(err)); target.textContent = String(err); });
  }

  // The page's "revised" markers (rows of the headline view revised since the previous vintage), by
  // period: kept in the table while it shows the headline view.
  var revised = null;
  function revisedMarks(body) {
    if (revised === null) {
      revised = {};
      Array.prototype.forEach.call(body.querySelectorAll("small.revised"), function (m) {
        revised[m.closest("tr").querySelector("th").getAttribute("data-period")] = m.outerHTML;
      });
    }
    var headline = ["geo", "partner", "product", "freq"].every(function (k) {
      return (state[k] || null) === (C.headline[k] || null);
    });
    return headline ? revised : {};
  }

  function table(doc) {
    var body = el("ind-table") ? el("ind-table").tBodies[0] : null;
    if (!body) { return; }
    var marks = revisedMarks(body);
    var rows = seriesRows(doc, state.geo).slice().reverse();
    body.innerHTML = rows.map(function (r) {
      var raw = r.raw === null ? "" : String(r.raw);
      return "<tr><th scope=\"row\" data-period=\"" + r.period + "\">" + esc(r.period) + "</th><td class=\"num\" data-value=\"" +
        raw + "\">" + (r.value === null ? esc(T.no_data) : number.format(r.value)) +
        (marks[r.period] ? " <br>" + marks[r.period] : "") + "</td></tr>";
    }).join("");
    var note = el("ind-table-view");
    if (note) {
      note.textContent = [name(state.geo) + (state.partner ? " → " + name(state.partner) : ""), state.product ? name(state.product) : "",
        C.freq_names[state.freq], C.unit].filter(function (x) { return x; }).join(" · ");
    }
  }

  var drawing = 0;
  function draw() {
    var mine = ++drawing;
    return load(state.freq).then(function (doc) {
      if (mine !== drawing) { return null; }
      var options = settle(doc);
      controls(doc, options);
      writeUrl(doc);
      var main = el("ind-main"), series = el("ind-series");
      var jobs = [];
      if (C.kind === "lines") {
        jobs.push(render(main, linesSpec(doc)));
        if (series) { series.hidden = true; }
      } else {
        jobs.push(render(main, C.kind === "map" ? mapSpec(doc) : barsSpec(doc)));
        if (series) { jobs.push(render(series, linesSpec(doc))); }
      }
      table(doc);
      return Promise.all(jobs);
    }).catch(function (err) {
      var main = el("ind-main");
      if (main) { main.setAttribute("data-error", String(err)); main.textContent = String(err); }
    });
  }

  var copy = el("embed-copy");
  if (copy) {
    copy.addEventListener("click", function () {
      var code = el("embed-code");
      code.select();
      var done = function () { el("embed-copied").textContent = T.copied; };
      if (navigator.clipboard) { navigator.clipboard.writeText(code.value).then(done, function () { document.execCommand("copy"); done(); }); }
      else { document.execCommand("copy"); done(); }
    });
  }
  var back = el("embed-back");
  if (back && location.search) { back.href = back.href.split("?")[0] + location.search; }
  draw();
})();
