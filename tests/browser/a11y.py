"""axe-core on every document a browser test reaches (issue 14, accessibility).

An init script puts axe-core into every document of the page and checks the document when it
has loaded and again after each htmx swap; the serious and critical violations are reported to
Python through an exposed function. The `page` fixture (conftest.py) checks the last document
once more at the end of the test, in the state the test left it, and fails the test listing
them.

The check runs inside the page, in one task: axe.run spreads its rules over zero-delay timers,
which would let the test click, type or navigate half-way through (a half-checked document,
or a document left before it was checked); the timers are run at once while axe runs. The test
therefore waits for the check like it waits for any other script of the page.

Only HTML documents are checked: PDFs and other downloads are skipped.

axe.min.js comes bundled in the axe-playwright-python package (axe-core 4.12, Deque Systems,
MPL-2.0, licence in its header); nothing is fetched at run time.
"""

from pathlib import Path

import axe_playwright_python

AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()

FAILING_IMPACTS = ("serious", "critical")

# For the summary at the end of the run (conftest.pytest_terminal_summary): what the checks cost.
totals = {}  # why (load, htmx, end) -> [checks, milliseconds]

REPORT = "__kboAxeReport"

# Runs before the page's own scripts in every document (Playwright init scripts are not subject
# to the Content-Security-Policy). window.__kboAxeCheck(why) returns the findings as well.
CHECKER = """
if (window === window.top && document.contentType === "text/html") {
  // Whether the document has changed since its last whole check: the check at the end of a test
  // is skipped when nothing has happened since the page loaded.
  var changed = true;
  window.__kboAxeCheck = function (why, swapped) {
    if (!document.body) return Promise.resolve({url: location.href, found: [], ms: 0});
    if (why === "end" && !changed) return Promise.resolve(null);
    if (!swapped) changed = false;
    var impacts = %(impacts)s, timer = window.setTimeout, finished = false, start = performance.now();
    window.setTimeout = function (fn, delay) {
      if (delay) return timer.apply(window, arguments);
      fn.apply(window, Array.prototype.slice.call(arguments, 2));
      return 0;
    };
    var context = swapped ? {include: swapped} : document;
    var run = axe.run(context, {resultTypes: ["violations"], preload: false}).then(function (results) {
      var found = [];
      results.violations.forEach(function (v) {
        if (impacts.indexOf(v.impact) < 0) return;
        v.nodes.forEach(function (node) {
          found.push({id: v.id, impact: v.impact, help: v.help, target: node.target.join(" "),
                      html: node.html.slice(0, 200)});
        });
      });
      var report = {url: location.href, why: why, found: found, ms: performance.now() - start};
      // The last check is returned to the fixture instead.
      if (why !== "end" && window.%(report)s) window.%(report)s(report);
      return report;
    }).finally(function () { finished = true; window.setTimeout = timer; });
    // Microtasks run before any other task: if axe has not finished by then, it waits on a real
    // timer (a newer axe-core?) and the test could act half-way through: fail rather than
    // check half a page.
    timer(function () {
      if (finished) return;
      window.setTimeout = timer;
      window.%(report)s({url: location.href, ms: 0, found: [{id: "axe-in-one-task", impact: "critical", target: "html",
        help: "tests/browser/a11y.py: axe-core did not finish in one task", html: ""}]});
    }, 0);
    return run;
  };
  window.addEventListener("load", function () {
    new MutationObserver(function () { changed = true; }).observe(document.documentElement,
      {childList: true, subtree: true, characterData: true, attributes: true});
    window.__kboAxeCheck("load");
  });
  // After an htmx swap only what was swapped in is checked (the whole page was on load and is
  // again at the end): an autosave on every field would otherwise check the whole page each time.
  var swapped = [];
  document.addEventListener("htmx:afterSettle", function (event) {
    // Right after htmx has settled all of them (a microtask, not a timer: a test's fake clock,
    // page.clock, would hold a timer back until it is moved on).
    if (!swapped.length) {
      queueMicrotask(function () {
        var elements = swapped.filter(function (element) { return element.isConnected; });
        swapped = [];
        if (elements.length) window.__kboAxeCheck("htmx", elements);
      });
    }
    swapped.push(event.target);
  });
}
""" % {"impacts": list(FAILING_IMPACTS), "report": REPORT}


class AxeChecker:
    """Collects the serious and critical axe-core violations of every document `page` shows."""

    def __init__(self, page):
        self.page = page
        self.violations = {}  # (rule, impact, target) -> the first finding and the pages it is on
        page.expose_function(REPORT, self._collect)
        page.add_init_script(script=f"if (window === window.top && document.contentType === 'text/html') {{\n"
                                    f"{AXE_SCRIPT}\n}}\n{CHECKER}")

    def _collect(self, report):
        spent = totals.setdefault(report.get("why", "end"), [0, 0.0])
        spent[0] += 1
        spent[1] += report.get("ms", 0)
        path = "/" + report["url"].split("://", 1)[-1].partition("/")[2].partition("#")[0]
        for finding in report["found"]:
            pages = self.violations.setdefault((finding["id"], finding["impact"], finding["target"]),
                                               {"finding": finding, "pages": []})["pages"]
            if path not in pages:
                pages.append(path)

    def check_now(self):
        """Checks the document shown now, in its present state."""
        page = self.page
        if page.url.startswith("http") and page.evaluate("typeof window.__kboAxeCheck === 'function'"):
            report = page.evaluate("window.__kboAxeCheck('end')")
            if report is not None:
                self._collect(report)

    def report(self):
        """One line per rule and element, with the pages it is on and the element's HTML."""
        return "\n".join(
            f"  {rule} ({impact}): {seen['finding']['help']}\n"
            f"      at {target} on {', '.join(seen['pages'])}\n"
            f"      {seen['finding']['html']}"
            for (rule, impact, target), seen in sorted(self.violations.items()))
