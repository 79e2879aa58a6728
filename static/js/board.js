// The projector board (templates/selection/results_board.html). Loaded from a file: the
// Content-Security-Policy allows no inline script.
// - One page at a time; every data-seconds the board scrolls on if the page is taller than the
//   screen, or turns to the next page.
// - htmx replaces the board every few seconds with fresh figures: the refresh asks for the
//   page shown (?page=); the page on screen and its scroll position are put back as the new
//   board is swapped in.
// - "Full screen" asks the browser for the whole screen (a click is needed for that).
(function () {
  document.documentElement.classList.add("board-js");
  var current = 0;
  var scrolled = 0;

  function board() { return document.getElementById("board"); }
  function area() { return document.querySelector("#board .board-pages"); }
  function pages() { return document.querySelectorAll("#board .board-page"); }

  function show() {
    var all = pages();
    if (current >= all.length) { current = 0; }
    all.forEach(function (page, i) { page.classList.toggle("is-current", i === current); });
    var main = area();
    if (main) { main.scrollTop = scrolled; }
    var button = document.querySelector("#board [data-fullscreen]");
    if (button) { button.hidden = !document.fullscreenEnabled || !!document.fullscreenElement; }
  }

  function tick() {
    var main = area();
    if (main && main.scrollTop + main.clientHeight < main.scrollHeight - 2) {
      main.scrollTop += Math.round(main.clientHeight * 0.8);
      scrolled = main.scrollTop;
      return;
    }
    scrolled = 0;
    if (pages().length > 1) { current += 1; }
    show();
  }

  // The refresh asks for the page on screen, so the new board comes with it already shown.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.target.id === "board") { event.detail.parameters.page = current + 1; }
  });
  document.addEventListener("htmx:beforeSwap", function () {
    var main = area();
    if (main) { scrolled = main.scrollTop; }
  });
  // Shown again right after the swap, in the same task, so the screen never paints the page the
  // server rendered: a refresh sent just before the page turned asks for the page before, and
  // htmx:load would come only after its settle delay (20 ms later).
  document.addEventListener("htmx:afterSwap", show);
  document.addEventListener("fullscreenchange", show);
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-fullscreen]") && document.fullscreenEnabled) {
      document.documentElement.requestFullscreen();
    }
  });

  function start() {
    var element = board();
    var seconds = element ? parseInt(element.dataset.seconds, 10) || 15 : 15;
    show();
    window.setInterval(tick, seconds * 1000);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
