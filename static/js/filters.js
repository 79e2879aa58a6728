// Leave empty filters out of the address, so that a shared link stays short.
document.querySelectorAll("#filters").forEach(function (form) {
  form.addEventListener("htmx:configRequest", function (event) {
    for (const [name, value] of Array.from(event.detail.parameters.entries())) {
      if (value === "") { delete event.detail.parameters[name]; }
    }
  });
});

// A national user's province filter: the district choices belong to the province, so a new
// province reloads the whole page (district cleared) instead of swapping only the table.
document.querySelectorAll("#filters select[data-reload-filters]").forEach(function (select) {
  select.addEventListener("change", function (event) {
    event.stopPropagation();  // not htmx's table swap
    var params = new URLSearchParams();
    for (const [name, value] of new FormData(select.form).entries()) {
      if (value !== "" && name !== "district" && name !== "page") { params.append(name, value); }
    }
    window.location.search = params.toString();
  });
});
