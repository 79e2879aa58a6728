// Behaviour every page shares. Loaded from a file: the Content-Security-Policy allows no inline script.

// <form data-confirm="Question?">: ask before submitting; Cancel keeps the page as it is.
// Listening on the document also covers forms that htmx swaps in later (the agenda).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
