/* "Add another" for Django formsets, as a progressive enhancement: without JavaScript each list still
   has one blank row, and saving adds a new one.

   Markup: <button data-formset-add="PREFIX" hidden> next to <div id="PREFIX-rows"> and
   <template id="PREFIX-empty-form"> (the formset's empty_form). The button copies the template,
   numbers it after the last row and counts it in the management form. */
(function () {
  "use strict";

  function addRow(button) {
    var prefix = button.dataset.formsetAdd;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = document.getElementById(prefix + "-empty-form");
    var rows = document.getElementById(prefix + "-rows");
    var index = Number(total.value);
    if (index >= Number(max.value)) {
      return;
    }
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
    total.value = String(index + 1);
    var first = rows.lastElementChild.querySelector("input:not([type=checkbox]), select, textarea");
    if (first) {
      first.focus();
    }
    button.disabled = index + 1 >= Number(max.value);
  }

  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      addRow(button);
    });
  });
})();
