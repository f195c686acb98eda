/**
 * The page's only script, inline (the report opens from disk with no network). Plain ES2017 text rather
 * than compiled TypeScript: it must not depend on what a bundler or `tsx` adds to compiled functions.
 * `FILTER_SOURCE` is the filter's logic alone; unit tests evaluate exactly this text.
 *
 * The filter lives in the URL hash (`#?s=failed,flaky&q=web`), as in Playwright's report, so a
 * filtered view can be linked and the back button returns to it from a test's page (`#t3`).
 */
export const FILTER_SOURCE = String.raw`
function kpParseFilter(hash) {
  var filter = { statuses: [], words: [] };
  if (typeof hash !== "string" || hash.indexOf("#?") !== 0) return filter;
  var params = new URLSearchParams(hash.slice(2));
  var s = params.get("s");
  if (s) filter.statuses = s.split(",").filter(function (x) { return x !== ""; });
  var q = params.get("q");
  if (q) filter.words = q.toLowerCase().split(/\s+/).filter(function (x) { return x !== ""; });
  return filter;
}
function kpFormatFilter(filter) {
  var params = new URLSearchParams();
  if (filter.statuses.length > 0) params.set("s", filter.statuses.join(","));
  if (filter.words.length > 0) params.set("q", filter.words.join(" "));
  var text = params.toString();
  return text === "" ? "#" : "#?" + text;
}
function kpMatches(test, filter) {
  if (filter.statuses.length > 0 && filter.statuses.indexOf(test.status) < 0) return false;
  for (var i = 0; i < filter.words.length; i++) {
    if (test.text.indexOf(filter.words[i]) < 0) return false;
  }
  return true;
}
`;

export const CLIENT_SCRIPT = `${FILTER_SOURCE}
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("#tests tr[data-status]"));
  var input = document.getElementById("q");
  var shown = document.getElementById("shown");
  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-filter-status]"));
  function apply() {
    var filter = kpParseFilter(location.hash);
    var n = 0;
    rows.forEach(function (row) {
      var ok = kpMatches({ status: row.getAttribute("data-status"), text: row.getAttribute("data-text") }, filter);
      row.hidden = !ok;
      if (ok) n++;
    });
    if (shown) shown.textContent = String(n);
    if (input && document.activeElement !== input) input.value = filter.words.join(" ");
    buttons.forEach(function (b) {
      var s = b.getAttribute("data-filter-status");
      b.setAttribute("aria-pressed", String(s === "" ? filter.statuses.length === 0 : filter.statuses.indexOf(s) >= 0));
    });
  }
  if (input) {
    input.addEventListener("input", function () {
      var filter = kpParseFilter(location.hash);
      filter.words = input.value.toLowerCase().split(/\\s+/).filter(function (x) { return x !== ""; });
      history.replaceState(null, "", kpFormatFilter(filter));
      apply();
    });
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function (event) {
      // Keep the text filter when the status changes.
      var filter = kpParseFilter(location.hash);
      var s = b.getAttribute("data-filter-status");
      filter.statuses = s ? [s] : [];
      event.preventDefault();
      location.hash = kpFormatFilter(filter);
    });
  });
  window.addEventListener("hashchange", apply);
  apply();
})();
`;
