// A formset whose rows can be added and removed before saving (the rubric):
// <form data-formset="prefix"> holds [data-formset-rows], a <template data-formset-template>
// with the empty form (names with __prefix__), a button[data-formset-add], and in each row a
// button[data-formset-remove] and its DELETE box ([data-formset-delete]).
// Without JavaScript the page offers blank rows and the DELETE boxes instead.
document.querySelectorAll("form[data-formset]").forEach(function (form) {
  var prefix = form.dataset.formset;
  var total = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
  var template = form.querySelector("template[data-formset-template]");
  var rows = form.querySelector("[data-formset-rows]");
  var ATTRIBUTES = ["name", "id", "for"];

  function enhance(row) {
    var box = row.querySelector("[data-formset-delete]");
    var remove = row.querySelector("[data-formset-remove]");
    if (box && remove) {
      box.hidden = true;
      remove.hidden = false;
    }
  }

  rows.querySelectorAll("[data-formset-row]").forEach(enhance);
  form.querySelector("[data-formset-add]").hidden = false;

  form.addEventListener("click", function (event) {
    if (event.target.closest("[data-formset-add]")) {
      var index = String(parseInt(total.value, 10));
      var row = template.content.firstElementChild.cloneNode(true);
      row.querySelectorAll("[name], [id], [for]").forEach(function (element) {
        ATTRIBUTES.forEach(function (attribute) {
          if (element.hasAttribute(attribute)) {
            element.setAttribute(attribute, element.getAttribute(attribute).replace("__prefix__", index));
          }
        });
      });
      rows.appendChild(row);
      total.value = parseInt(index, 10) + 1;
      enhance(row);
      row.querySelector("input").focus();
      return;
    }
    var remove = event.target.closest("[data-formset-remove]");
    if (remove) {
      var removed = remove.closest("[data-formset-row]");
      removed.querySelector("input[name$='-DELETE']").checked = true;
      removed.hidden = true;
    }
  });
});
