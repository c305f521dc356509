/* Sequence builder: insert variables at the cursor, keep focus across htmx re-renders,
   refresh the preview while typing, Ctrl/Cmd+S to save. No inline scripts; htmx does the rest. */
(function () {
  "use strict";
  var lastField = null;
  var refreshTimer = null;

  function form() { return document.getElementById("builder-form"); }

  document.addEventListener("focusin", function (e) {
    if (e.target.classList && e.target.classList.contains("tpl")) { lastField = e.target; }
  });

  document.addEventListener("click", function (e) {
    var btn = e.target.closest ? e.target.closest("button[data-insert]") : null;
    if (!btn) { return; }
    var field = lastField && document.body.contains(lastField) ? lastField : document.querySelector(".tpl:not([disabled])");
    if (!field) { return; }
    var text = btn.getAttribute("data-insert");
    var start = field.selectionStart == null ? field.value.length : field.selectionStart;
    var end = field.selectionEnd == null ? start : field.selectionEnd;
    field.value = field.value.slice(0, start) + text + field.value.slice(end);
    field.focus();
    field.setSelectionRange(start + text.length, start + text.length);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    var target = e.detail && e.detail.target;
    if (!target) { return; }
    var holder = target.id === "steps" ? target : document.getElementById("steps");
    if (target.id === "steps" || (holder && holder.contains(target))) {
      var id = holder && holder.getAttribute("data-focus");
      var el = id ? document.getElementById(id) : null;
      if (el && !el.disabled) { el.focus(); if (el.select && el.type === "number") { el.select(); } }
      scheduleRefresh();
    }
  });

  // A preview that cannot render answers 422 with the reason: show it instead of keeping the old preview.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var d = e.detail;
    if (d && d.xhr && d.xhr.status === 422 && d.target && d.target.id === "preview") {
      d.shouldSwap = true;
      d.isError = false;
    }
  });

  function scheduleRefresh() {
    var btn = document.querySelector("#preview .pv-refresh");
    if (!btn) { return; }
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () { if (document.body.contains(btn)) { btn.click(); } }, 700);
  }

  document.addEventListener("input", function (e) {
    var f = form();
    if (!f || !f.contains(e.target) || (e.target.name || "").indexOf("preview_") === 0) { return; }
    scheduleRefresh();
  });

  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "S")) {
      var f = form();
      if (f) { e.preventDefault(); f.requestSubmit(); }
    }
  });
})();
