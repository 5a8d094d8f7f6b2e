// What every chart of the site shares (charts.js, indicator.js, spi.js draw through USMCA_CHARTS.embed):
// - the chart fills its box and is drawn again when the box changes width (any screen);
// - titles, axis titles, axis labels and legend labels wrap instead of being cut with "…", and legends
//   go below the chart on narrow screens;
// - one palette for countries and groups (#usmca-palette in the page's JSON kit, from publish/palette.py);
// - a text summary under the chart, written from the data the chart draws ("Mexico: rose from 0.24 in
//   2013 to 0.51 in 2024."), in the page's language.
// The chart element gets data-rendered="true" and data-width (the width it was drawn for) once drawn.
(function () {
  "use strict";
  var node = document.getElementById("usmca-chart-kit");
  var KIT = node ? JSON.parse(node.textContent) : { text: {}, palette: { areas: {}, others: [], series: [] } };
  var LOCALE = KIT.locale || document.documentElement.lang || "en";
  var NARROW = 600;
  var CHAR_PX = 7.2;   // average width of a character of 12px DejaVu Sans
  var TITLE_PX = 8.4;  // … of a 13px bold title
  var MARKS = { rect: 1, line: 1, area: 1, symbol: 1, shape: 1, path: 1, arc: 1, trail: 1 };

  function clone(x) { return JSON.parse(JSON.stringify(x)); }

  // Break ``text`` into lines of at most ``max`` characters (at spaces); a string when it fits.
  function wrap(text, max) {
    if (Array.isArray(text) || typeof text !== "string") { return text; }
    max = Math.max(8, Math.floor(max));
    if (text.length <= max) { return text; }
    var lines = [], line = "";
    text.split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > max) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function units(spec) {
    var found = [];
    (function walk(n) {
      if (!n || typeof n !== "object") { return; }
      if (n.mark) { found.push(n); }
      ["layer", "hconcat", "vconcat", "concat"].forEach(function (k) { (n[k] || []).forEach(walk); });
      if (n.spec) { walk(n.spec); }
    })(spec);
    return found;
  }

  function inlineValues(unit, spec) {
    var data = unit.data || spec.data;
    return data && Array.isArray(data.values) ? data.values : [];
  }

  // A label expression that shows each long value of ``field`` on several lines.
  function labelLines(values, field, max) {
    var table = {}, any = false, most = 1;
    values.forEach(function (row) {
      var v = row[field];
      if (typeof v !== "string") { return; }
      var w = wrap(v, max);
      if (Array.isArray(w)) { table[v] = w; any = true; most = Math.max(most, w.length); }
    });
    if (!any) { return null; }
    // A chain of conditions (no object literal), so that Vega's CSP-safe expression interpreter reads it too.
    var expr = Object.keys(table).map(function (v) {
      return "datum.label === " + JSON.stringify(v) + " ? " + JSON.stringify(table[v]) + " : ";
    }).join("") + "datum.label";
    return { expr: expr, lines: most };
  }

  function adaptAxis(enc, channel, unit, spec, width, height) {
    var def = enc[channel];
    if (!def || def.axis === null) { return; }
    var axis = def.axis = Object.assign({}, def.axis || {});
    axis.labelLimit = 0;
    axis.titleLimit = 0;
    var along = channel === "x" ? width : height;
    var title = axis.title !== undefined ? axis.title : def.title;
    if (typeof title === "string") { axis.title = wrap(title, (channel === "x" ? along * 0.55 : along * 0.9) / CHAR_PX); }
    if (channel === "x" && def.type !== "quantitative") { axis.labelOverlap = true; }
    if (channel === "x") {
      if (def.type === "temporal" || def.type === "quantitative") { axis.labelFlush = true; } else { axis.labelBound = true; }
    }
    if (channel === "y" && def.type === "nominal" && def.field) {
      var room = width < NARROW ? width * 0.42 : Math.min(width * 0.35, 300);
      var lines = labelLines(inlineValues(unit, spec), def.field, room / CHAR_PX);
      if (lines) {
        axis.labelExpr = lines.expr;
        var h = unit.height || spec.height;
        if (h && typeof h === "object" && h.step) {
          var step = Math.max(h.step, lines.lines * 15 + 6);
          if (unit.height) { unit.height = { step: step }; } else { spec.height = { step: step }; }
        }
      }
    }
  }

  function adaptLegend(enc, unit, spec, width) {
    var def = enc.color;
    if (!def || def.legend === null || def.type === "quantitative") {
      if (def && def.legend !== null && def.type === "quantitative") {
        var q = def.legend = Object.assign({}, def.legend || {}, { labelLimit: 0, titleLimit: 0 });
        if (width < NARROW) { q.orient = "bottom"; q.direction = "horizontal"; q.columns = 3; }
        var qt = q.title !== undefined ? q.title : def.title;
        if (typeof qt === "string") { q.title = wrap(qt, (width - 40) / CHAR_PX); }
      }
      return;
    }
    var legend = def.legend = Object.assign({}, def.legend || {}, { labelLimit: 0, titleLimit: 0 });
    var narrow = width < NARROW;
    if (narrow) { legend.orient = "bottom"; legend.direction = "vertical"; legend.columns = 1; }
    var room = narrow || legend.orient === "bottom" || legend.orient === "top" ? width - 40 : 200;
    var lines = def.field ? labelLines(inlineValues(unit, spec), def.field, room / CHAR_PX) : null;
    if (lines) { legend.labelExpr = lines.expr; }
    var title = legend.title !== undefined ? legend.title : def.title;
    if (typeof title === "string") { legend.title = wrap(title, room / CHAR_PX); }
  }

  function isMap(spec) {
    return !!spec.projection || units(spec).some(function (u) { return !!u.projection; });
  }

  // The spec drawn at ``width`` pixels: wrapped texts, legends placed, sized to the box.
  function adapt(original, width) {
    var spec = clone(original);
    var map = isMap(spec);
    if (!spec.hconcat && !spec.vconcat && !spec.concat) { spec.width = "container"; }
    spec.autosize = { type: map ? "fit" : "fit-x", contains: "padding", resize: true };
    if (map) {
      var h = typeof spec.height === "number" ? spec.height : 520;
      spec.height = Math.max(260, Math.min(h, Math.round(width * 0.85)));
      if (width < NARROW && Array.isArray(spec.layer)) {
        // Too little room for text on a narrow map: its labels are said under the map instead.
        var notes = [];
        spec.layer = spec.layer.filter(function (layer) {
          var type = typeof layer.mark === "string" ? layer.mark : (layer.mark || {}).type;
          var field = type === "text" && layer.encoding && layer.encoding.text && layer.encoding.text.field;
          if (!field) { return true; }
          inlineValues(layer, spec).forEach(function (row) { if (row[field]) { notes.push(String(row[field])); } });
          return false;
        });
        spec.usermeta = Object.assign({}, spec.usermeta || {}, { notes: notes });
      }
    }
    var height = typeof spec.height === "number" ? spec.height : 300;
    var title = spec.title;
    if (typeof title === "string" || Array.isArray(title)) { title = { text: title }; }
    if (title && typeof title.text === "string") {
      spec.title = Object.assign({}, title, { text: wrap(title.text, (width - 16) / TITLE_PX), limit: 0, anchor: title.anchor || "start" });
    }
    spec.config = Object.assign({}, spec.config || {});
    spec.config.axis = Object.assign({}, spec.config.axis || {}, { labelLimit: 0, titleLimit: 0 });
    spec.config.legend = Object.assign({}, spec.config.legend || {}, { labelLimit: 0, titleLimit: 0 });
    units(spec).forEach(function (unit) {
      var h = typeof unit.height === "number" ? unit.height : height;
      if (unit.title && typeof unit.title === "string") { unit.title = { text: unit.title }; }
      if (unit.title && typeof unit.title.text === "string") {
        unit.title = Object.assign({}, unit.title, { text: wrap(unit.title.text, (width - 16) / TITLE_PX), limit: 0, anchor: unit.title.anchor || "start" });
      }
      if (!unit.encoding || !Object.keys(unit.encoding).length) {
        // A layer that only draws a background (areas without data) says nothing to screen readers.
        unit.mark = Object.assign(typeof unit.mark === "string" ? { type: unit.mark } : unit.mark, { aria: false });
        return;
      }
      var markType = typeof unit.mark === "string" ? unit.mark : unit.mark.type;
      var textField = unit.encoding.text && unit.encoding.text.field;
      if (markType === "text" && textField) {
        inlineValues(unit, spec).forEach(function (row) { row[textField] = wrap(row[textField], width * 0.55 / CHAR_PX); });
      }
      adaptAxis(unit.encoding, "x", unit, spec, width, h);
      adaptAxis(unit.encoding, "y", unit, spec, width, h);
      adaptLegend(unit.encoding, unit, spec, width);
    });
    return spec;
  }

  // ---- The text summary, from the data the chart draws ------------------------------------------

  function drawnData(view) {
    var seen = new Set(), out = [];
    (function walk(item) {
      (item.items || []).forEach(function (child) {
        if (child.marktype) {
          if (child.role === "mark" && MARKS[child.marktype]) {
            child.items.forEach(function (i) { if (i.datum && !seen.has(i.datum)) { seen.add(i.datum); out.push(i.datum); } });
          }
          if (child.marktype === "group") { child.items.forEach(walk); }
        } else { walk(child); }
      });
    })(view.scenegraph().root);
    return out;
  }

  function digitsOf(unit, field) {
    var formats = [];
    ["x", "y", "color"].forEach(function (c) {
      var d = unit.encoding[c];
      if (d && d.field === field) { formats.push(d.format, (d.axis || {}).format, (d.legend || {}).format); }
    });
    [].concat(unit.encoding.tooltip || []).forEach(function (t) { if (t && t.field === field) { formats.unshift(t.format); } });
    for (var i = 0; i < formats.length; i++) {
      var m = /\.(\d+)f/.exec(formats[i] || "");
      if (m) { return Number(m[1]); }
    }
    return null;
  }

  function numberFormat(digits) {
    return digits === null ? new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 })
      : new Intl.NumberFormat(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  var monthNames = null;
  function month(i) {
    if (!monthNames) {
      var f = new Intl.DateTimeFormat(LOCALE, { month: "long", timeZone: "UTC" });
      monthNames = [];
      for (var m = 0; m < 12; m++) { monthNames.push(f.format(new Date(Date.UTC(2000, m, 1)))); }
    }
    return monthNames[i];
  }

  // A period code in words, as publish/i18n.period_label writes it ("2024-H1" → "January–June 2024").
  function periodWords(period) {
    if (typeof period === "number" && Math.abs(period) > 1e10) { period = new Date(period); }  // a parsed time (ms)
    if (period instanceof Date) {
      return period.getUTCMonth() === 0 && period.getUTCDate() === 1 ? String(period.getUTCFullYear())
        : month(period.getUTCMonth()) + " " + period.getUTCFullYear();
    }
    var p = String(period), m = /^(\d{4})-(H[12]|Q[1-4]|YTD\d\d|\d\d)$/.exec(p);
    if (!m) { return p; }
    var part = m[2], first, last;
    if (part[0] === "H") { first = part === "H1" ? 0 : 6; last = first + 5; }
    else if (part[0] === "Q") { last = 3 * Number(part[1]) - 1; first = last - 2; }
    else if (part.indexOf("YTD") === 0) { first = 0; last = Number(part.slice(3)) - 1; }
    else { first = last = Number(part) - 1; }
    if (first < 0 || last > 11) { return p; }
    return (first === last ? month(first) : month(first) + "–" + month(last)) + " " + m[1];
  }

  function fill(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_, k) { return values[k] === undefined ? "" : values[k]; });
  }

  function pickUnit(spec) {
    var all = units(spec).filter(function (u) {
      var type = typeof u.mark === "string" ? u.mark : u.mark.type;
      return u.encoding && ["bar", "line", "area", "point", "geoshape", "rect", "circle"].indexOf(type) >= 0;
    });
    return all.filter(function (u) { return u.encoding.color || (u.encoding.x && u.encoding.y); })[0] || all[0];
  }

  function roles(unit) {
    var e = unit.encoding, r = {};
    ["y", "x", "color"].forEach(function (c) { if (!r.value && e[c] && e[c].type === "quantitative" && e[c].field) { r.value = e[c].field; } });
    var x = e.x || {};
    if (x.field && (x.type === "temporal" || (x.type === "ordinal" && /year|period|date/i.test(x.field)))) { r.time = x.field; }
    ["y", "x"].forEach(function (c) { if (!r.category && e[c] && e[c].type === "nominal" && e[c].field) { r.category = e[c].field; } });
    if (!r.category && !r.time) {
      [].concat(e.tooltip || []).forEach(function (t) { if (!r.category && t && t.field && t.type !== "quantitative" && t.field !== r.value) { r.category = t.field; } });
    }
    if (e.color && e.color.type === "nominal" && e.color.field && e.color.field !== r.category) { r.series = e.color.field; }
    return r;
  }

  function groupBy(rows, field) {
    var groups = {}, order = [];
    rows.forEach(function (d) {
      var k = field ? d[field] : "";
      if (typeof k === "boolean") { k = ""; }
      if (!(k in groups)) { groups[k] = []; order.push(k); }
      groups[k].push(d);
    });
    return order.map(function (k) { return { key: k, rows: groups[k] }; });
  }

  function timeKey(d, r) { return d.period !== undefined && typeof d.period === "string" ? d.period : d[r.time]; }

  function trendSentence(group, r, fmt, fallback) {
    var rows = group.rows.slice().sort(function (a, b) { return timeKey(a, r) < timeKey(b, r) ? -1 : timeKey(a, r) > timeKey(b, r) ? 1 : 0; });
    var a = rows[0], b = rows[rows.length - 1];
    var values = { series: group.key === "" ? fallback : group.key, first: fmt.format(a[r.value]), start: periodWords(timeKey(a, r)),
      last: fmt.format(b[r.value]), end: periodWords(timeKey(b, r)) };
    if (rows.length === 1) { return fill(KIT.text.one, values); }
    var key = values.first === values.last ? "flat" : (b[r.value] > a[r.value] ? "rose" : "fell");
    return fill(KIT.text[key], values);
  }

  function rangeSentence(group, r, fmt) {
    var rows = group.rows.slice().sort(function (a, b) { return b[r.value] - a[r.value]; });
    var hi = rows[0], lo = rows[rows.length - 1];
    var values = { series: group.key, high: hi[r.category], high_value: fmt.format(hi[r.value]),
      low: lo[r.category], low_value: fmt.format(lo[r.value]) };
    return fill(group.key === "" ? KIT.text.range_plain : KIT.text.range, values);
  }

  // The sentences that say what the drawn chart shows ("" when it cannot tell).
  function summarize(spec, view, fallback) {
    var unit = pickUnit(spec);
    if (!unit) { return ""; }
    var r = roles(unit);
    if (!r.value || !(r.time || r.category)) { return ""; }
    var rows = drawnData(view).filter(function (d) {
      return typeof d[r.value] === "number" && isFinite(d[r.value]) && (r.time ? d[r.time] !== undefined && d[r.time] !== null : d[r.category] !== undefined);
    });
    if (!rows.length) { return ""; }
    var fmt = numberFormat(digitsOf(unit, r.value));
    var groups = groupBy(rows, r.series).slice(0, 8);
    if (!r.time && groups.every(function (g) { return g.rows.length < 2; })) { groups = groupBy(rows, null); }
    var notes = ((spec.usermeta || {}).notes || []).map(function (n) { return /[.!?]$/.test(n) ? n : n + "."; });
    return groups.map(function (g) { return r.time ? trendSentence(g, r, fmt, fallback) : rangeSentence(g, r, fmt); })
      .concat(notes).join(" ");
  }

  function boundParams(spec) {
    var names = [];
    (function walk(n) {
      if (!n || typeof n !== "object") { return; }
      (n.params || []).forEach(function (p) { if (p.bind && p.name) { names.push(p.name); } });
      ["layer", "hconcat", "vconcat", "concat"].forEach(function (k) { (n[k] || []).forEach(walk); });
    })(spec);
    return names;
  }

  function writeSummary(el, text) {
    if (!el.id) { el.id = "chart-" + Math.random().toString(36).slice(2); }
    var id = el.id + "-summary", p = document.getElementById(id);
    if (!text) { if (p) { p.textContent = ""; } return; }
    if (!p) {
      p = document.createElement("p");
      p.id = id;
      p.className = "chart-summary";
      el.insertAdjacentElement("afterend", p);
      var described = (el.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(id) < 0) { described.push(id); el.setAttribute("aria-describedby", described.join(" ")); }
    }
    p.textContent = text;
  }

  // ---- Drawing ---------------------------------------------------------------------------------

  // Draw ``spec`` into ``el`` with vega-embed (``options`` added to the site's), call ``after(result)``
  // after each drawing (a promise or nothing), and draw again when the element changes width.
  // Returns a promise of the first drawing's result.
  function embed(el, spec, options, after) {
    var state = el.__usmcaChart || (el.__usmcaChart = {});
    state.spec = spec;
    state.options = options || {};
    state.after = after;
    state.seq = (state.seq || 0) + 1;
    var seq = state.seq;
    var width = Math.floor(el.getBoundingClientRect().width) || (el.parentNode ? el.parentNode.clientWidth : 600) || 600;
    state.width = width;
    el.removeAttribute("data-rendered");
    if (state.result) { state.result.finalize(); state.result = null; }
    var drawn = adapt(spec, width);
    // Vega's CSP-safe expression interpreter (no eval) and no injected <style> (usmca_monitor/csp.py).
    var opts = Object.assign({ renderer: "svg", actions: false, ast: true, expr: vegaInterpreter.expressionInterpreter,
                               defaultStyle: false, tooltip: { disableDefaultStyle: true } }, state.options);
    var run = vegaEmbed(el, drawn, opts).then(function (result) {
      if (seq !== state.seq) { result.finalize(); return null; }
      state.result = result;
      return Promise.resolve(after ? after(result) : null).then(function () { return result.view.runAsync(); }).then(function () {
        if (seq !== state.seq) { return null; }
        var summary = function () { writeSummary(el, summarize(drawn, result.view, el.getAttribute("aria-label") || KIT.text.series)); };
        summary();
        boundParams(drawn).forEach(function (name) {
          result.view.addSignalListener(name, function () { result.view.runAsync().then(summary); });
        });
        el.setAttribute("data-width", String(width));
        el.setAttribute("data-rendered", "true");
        return result;
      });
    });
    if (!state.observer && window.ResizeObserver) {
      state.observer = new ResizeObserver(function () {
        var now = Math.floor(el.getBoundingClientRect().width);
        if (!now || Math.abs(now - state.width) < 8) { return; }
        clearTimeout(state.timer);
        state.timer = setTimeout(function () {
          embed(el, state.spec, state.options, state.after).catch(function (err) { el.setAttribute("data-error", String(err)); });
        }, 150);
      });
      state.observer.observe(el);
    }
    return run;
  }

  // Colours: of area codes (in order; other areas take the remaining colours) and of other series.
  function areaColors(codes) {
    var P = KIT.palette, others = 0;
    return codes.map(function (c) { return P.areas[c] || P.others[others++ % P.others.length]; });
  }
  function seriesColors(n) {
    var out = [];
    for (var i = 0; i < n; i++) { out.push(KIT.palette.series[i % KIT.palette.series.length]); }
    return out;
  }

  // Tables that scroll sideways inside their box can be reached and scrolled with the keyboard.
  function scrollableTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".table-wrap") || table.parentElement.closest("table")) { return; }
      var box = document.createElement("div");
      box.className = "table-wrap";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    document.querySelectorAll(".table-wrap").forEach(function (wrapBox) {
      if (wrapBox.hasAttribute("tabindex")) { return; }
      var caption = wrapBox.querySelector("caption");
      var heading = wrapBox.previousElementSibling;
      var label = caption ? caption.textContent : (heading && /^H[2-4]$/.test(heading.tagName) ? heading.textContent : document.title);
      wrapBox.setAttribute("tabindex", "0");
      wrapBox.setAttribute("role", "region");
      wrapBox.setAttribute("aria-label", label.trim());
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", scrollableTables); } else { scrollableTables(); }

  window.USMCA_CHARTS = { embed: embed, adapt: adapt, wrap: wrap, periodWords: periodWords, palette: KIT.palette,
    areaColors: areaColors, seriesColors: seriesColors, d3: KIT.d3, text: KIT.text };
})();
