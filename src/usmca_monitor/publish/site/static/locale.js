// The page's d3 number/date locale for Vega, read from its JSON block (no inline script: the CSP forbids them).
(function () {
  var block = document.getElementById("usmca-locale");
  window.USMCA_LOCALE = block ? JSON.parse(block.textContent) : undefined;
})();
