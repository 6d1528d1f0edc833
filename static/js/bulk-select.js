// "Select all on this page" for the seller inbox's bulk bar (includes/bulk_actions.html).
// Without this script each row's checkbox still works and the form posts the same.
(function () {
  "use strict";
  var form = document.getElementById("bulk-actions");
  if (!form) return;
  var toggle = document.getElementById("bulk-select-all");
  var holder = form.querySelector("[data-bulk-select-all]");
  var count = form.querySelector("[data-bulk-count]");
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace("%(count)s", values.count);
  };

  function rows() {
    return Array.prototype.slice.call(
      document.querySelectorAll('input[type="checkbox"][form="bulk-actions"][name="conversation"]')
    );
  }

  function refresh() {
    var boxes = rows();
    var chosen = boxes.filter(function (box) { return box.checked; }).length;
    toggle.checked = boxes.length > 0 && chosen === boxes.length;
    toggle.indeterminate = chosen > 0 && chosen < boxes.length;
    count.textContent = chosen
      ? interpolate(gettext("%(count)s selected"), { count: chosen }, true)
      : "";
  }

  toggle.addEventListener("change", function () {
    rows().forEach(function (box) { box.checked = toggle.checked; });
    refresh();
  });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.getAttribute && target.getAttribute("form") === "bulk-actions") refresh();
  });
  holder.hidden = false;
  refresh();
})();
