// Render every chart on the page from its embedded Vega-Lite spec with the vendored Vega JS.
// Each chart element gets data-rendered="true" once drawn (or data-error with the message). A chart's
// bound choices (e.g. full years / halves / year to date, an HS chapter) are kept in the URL under
// their parameter's name, so that a copied link reopens the same view.
(function () {
  function bound(spec) {
    var found = [];
    (function walk(node) {
      if (Array.isArray(node)) { node.forEach(walk); return; }
      if (!node || typeof node !== "object") { return; }
      (node.params || []).forEach(function (p) { if (p.bind && p.name) { found.push(p.name); } });
      ["layer", "hconcat", "vconcat", "concat"].forEach(function (k) { if (node[k]) { walk(node[k]); } });
    })(spec);
    return found;
  }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.id + "-spec").textContent);
    var names = bound(spec);
    vegaEmbed(el, spec, { renderer: "svg", actions: false, formatLocale: window.USMCA_LOCALE })
      .then(function (result) {
        var params = new URLSearchParams(location.search);
        names.forEach(function (name) {
          if (params.has(name)) {
            var value = params.get(name);
            var current = result.view.signal(name);
            result.view.signal(name, typeof current === "number" ? Number(value) : value);
          }
          result.view.addSignalListener(name, function (_, value) {
            var now = new URLSearchParams(location.search);
            now.set(name, value);
            history.replaceState(null, "", location.pathname + "?" + now.toString() + location.hash);
          });
        });
        return result.view.runAsync();
      })
      .then(function () { el.setAttribute("data-rendered", "true"); })
      .catch(function (err) { el.setAttribute("data-error", String(err)); el.textContent = String(err); });
  });
})();
