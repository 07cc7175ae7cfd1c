/* newsalign report: show only some outlets, a language or a span of dates, in the page itself
   (no server, no request). Every sentence row carries data-outlet, data-lang and data-date;
   a claim with no row left is hidden, and so is its row of the coverage matrix. The filter is
   read from the address (report.html?outlet=TASS&lang=ru&from=2024-05-27&to=) and written
   back to it, so a filtered view can be bookmarked. Text is only compared, never inserted. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var names = ["outlet", "lang", "from", "to"];

  function keep(row, want) {
    var date = (row.getAttribute("data-date") || "").slice(0, 10);
    if (want.outlet && row.getAttribute("data-outlet") !== want.outlet) { return false; }
    if (want.lang && row.getAttribute("data-lang") !== want.lang) { return false; }
    if ((want.from || want.to) && !date) { return false; }
    /* A month-only date (2024-05) is compared at its own precision. */
    if (want.from && date < want.from.slice(0, date.length)) { return false; }
    if (want.to && date > want.to.slice(0, date.length)) { return false; }
    return true;
  }

  function apply() {
    var want = {};
    names.forEach(function (name) { want[name] = form.elements[name].value; });
    Array.prototype.forEach.call(document.querySelectorAll("tr[data-outlet]"), function (row) {
      row.hidden = !keep(row, want);
    });
    var shown = 0, total = 0;
    Array.prototype.forEach.call(document.querySelectorAll("div.claim"), function (claim) {
      var left = claim.querySelector("tr[data-outlet]:not([hidden])") !== null;
      claim.hidden = !left;
      total += 1;
      shown += left ? 1 : 0;
      var row = document.querySelector('tr[data-claim="' + claim.id + '"]');
      if (row) { row.hidden = !left; }
    });
    var filtered = names.some(function (name) { return want[name]; });
    document.getElementById("filtered").textContent =
      filtered ? "showing " + shown + " of " + total + " claims" : "";
    return want;
  }

  var given = new URLSearchParams(window.location.search);
  names.forEach(function (name) {
    if (given.get(name)) { form.elements[name].value = given.get(name); }
  });
  apply();
  form.addEventListener("change", function () {
    var want = apply(), query = new URLSearchParams();
    names.forEach(function (name) { if (want[name]) { query.set(name, want[name]); } });
    try {
      window.history.replaceState(null, "", "?" + query.toString() + window.location.hash);
    } catch (e) { /* some browsers refuse it for files on disk: the filter still applies */ }
  });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { form.dispatchEvent(new Event("change")); }, 0);
  });
})();
