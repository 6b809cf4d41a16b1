/* The policy simulator page: filter the action list, tick every action with "All actions",
 * and bring the detail panel into view after htmx loads it. Everything works without it. */
(function () {
  "use strict";
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-action-filter]") || input.closest("[data-policy-editor]")) return;
    var needle = input.value.trim().toLowerCase();
    document.querySelectorAll("#sim-actions .sim-action").forEach(function (label) {
      label.hidden = needle !== "" && label.dataset.name.indexOf(needle) === -1;
    });
  });
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name !== "all_actions") return;
    document.querySelectorAll("#sim-actions input[name=action]").forEach(function (c) { c.checked = box.checked; });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "detail" || (event.detail && event.detail.target && event.detail.target.id === "detail")) {
      var panel = document.getElementById("detail");
      if (panel) panel.scrollIntoView({ behavior: "smooth", block: "start" });
    }
  });
})();
