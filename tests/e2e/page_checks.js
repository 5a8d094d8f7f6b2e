// Two functions evaluated in the page by tests/e2e/visual.py (split at the "problems" line).
// Whether every visible chart is drawn (or failed) for the current width:
() => Array.from(document.querySelectorAll("__CHARTS__"))
  .filter((el) => !el.hidden && el.offsetParent !== null)
  .every((el) => el.hasAttribute("data-error") ||
    (el.getAttribute("data-rendered") === "true" &&
     Math.abs(Number(el.getAttribute("data-width")) - Math.floor(el.getBoundingClientRect().width)) < 8))
// ---- problems ----
() => {
  // What a reader would see wrong, as a list of sentences.
  const W = window.innerWidth, out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > W) { out.push(`document is ${doc.scrollWidth}px wide for a ${W}px screen`); }
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "");
  // Inside a box that scrolls sideways (a wide table in its .table-wrap) is fine; hidden overflow is not.
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === "auto" || o === "scroll") { return true; }
    }
    return false;
  };
  const outside = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || (r.right <= W + 1 && r.left >= -1)) { continue; }
    const s = getComputedStyle(el);
    if (s.visibility === "hidden" || s.clip === "rect(0px, 0px, 0px, 0px)") { continue; }
    if (!scrolls(el)) {
      outside.push(`${name(el)} spans ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
  }
  if (outside.length) { out.push("outside the screen: " + outside.slice(0, 5).join("; ")); }
  const charts = Array.from(document.querySelectorAll("__CHARTS__")).filter((el) => !el.hidden && el.offsetParent !== null);
  for (const el of charts) {
    const id = el.id || name(el);
    if (el.hasAttribute("data-error")) { out.push(`${id}: ${el.getAttribute("data-error")}`); continue; }
    const marks = el.querySelectorAll("svg .mark-rect path, svg .mark-line path, svg .mark-area path, " +
      "svg .mark-symbol path, svg .mark-shape path, svg .mark-trail path");
    const drawn = Array.from(marks).filter((m) => { const b = m.getBBox(); return b.width > 0 || b.height > 0; });
    if (!drawn.length) { out.push(`${id}: no marks drawn`); }
    const svg = el.querySelector("svg");
    if (!svg) { continue; }
    const box = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll("text")) {
      const text = t.textContent || "";
      if (/(…|\.\.\.)$/.test(text.trim())) { out.push(`${id}: text cut "${text}"`); }
      const b = t.getBoundingClientRect();
      if (b.width && (b.left < box.left - 1 || b.right > box.right + 1)) { out.push(`${id}: text outside its chart "${text}"`); }
    }
  }
  // A chart's text summary speaks of periods in words, never of raw timestamps ("in 1356998400000").
  for (const p of document.querySelectorAll(".chart-summary")) {
    if (/\d{10,}/.test(p.textContent || "")) { out.push(`${p.id}: raw number in "${p.textContent.slice(0, 80)}"`); }
  }
  return out;
}
