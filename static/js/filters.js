// Leave empty filters out of the address, so that a shared link stays short.
document.querySelectorAll("#filters").forEach(function (form) {
  form.addEventListener("htmx:configRequest", function (event) {
    for (const [name, value] of Array.from(event.detail.parameters.entries())) {
      if (value === "") { delete event.detail.parameters[name]; }
    }
  });
});
