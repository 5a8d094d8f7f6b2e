// Render every chart on the page from its embedded Vega-Lite spec with the vendored Vega JS.
// Each chart element gets data-rendered="true" once drawn (or data-error with the message).
(function () {
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.id + "-spec").textContent);
    vegaEmbed(el, spec, { renderer: "svg", actions: false, formatLocale: window.USMCA_LOCALE })
      .then(function () { el.setAttribute("data-rendered", "true"); })
      .catch(function (err) { el.setAttribute("data-error", String(err)); el.textContent = String(err); });
  });
})();
