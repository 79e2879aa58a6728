// A second click on a submit button while the first request is on its way does nothing
// (the server is double-submit safe too).
document.querySelectorAll("form[data-save-once]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (event.defaultPrevented) { return; }
    setTimeout(function () { form.querySelectorAll("[type=submit]").forEach(function (b) { b.disabled = true; }); }, 0);
  });
});
