// Province choices of a national user (registry pages). Loaded from a file: the
// Content-Security-Policy allows no inline script. Without JavaScript the forms' own
// buttons do the same.

// <select data-reload-param="province">: reload the page with ?province=CODE, so that the
// form offers that province's districts (the new-producer form).
document.querySelectorAll("select[data-reload-param]").forEach(function (select) {
  select.addEventListener("change", function () {
    var params = new URLSearchParams(window.location.search);
    params.set(select.dataset.reloadParam, select.value);
    window.location.search = params.toString();
  });
});

// <select data-autosubmit>: submit its GET form on change (the dashboard's province).
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
