// The search page: Pagefind's interface over the index built with the site (offline, in the browser).
// ?q=… runs a search on opening, and each search is kept in the URL.
(function () {
  "use strict";
  var script = document.querySelector('script[src$="static/search.js"]');
  var root = new URL(script.getAttribute("src").replace(/static\/search\.js$/, ""), location.href);
  var ui = new PagefindUI({ element: "#search", bundlePath: root.pathname + "pagefind/", baseUrl: root.pathname,
    showSubResults: true, showImages: false, resetStyles: false });
  var query = new URLSearchParams(location.search).get("q");
  if (query) { ui.triggerSearch(query); }
  var input = document.querySelector("#search input");
  if (input) {
    input.addEventListener("input", function () {
      var params = new URLSearchParams(location.search);
      if (input.value) { params.set("q", input.value); } else { params.delete("q"); }
      history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
    });
  }
})();
