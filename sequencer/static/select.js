// Prospect list selection: row checkboxes, "all on this page", then "all N matching the filter".
// With "all matching" on, the form sends mode=filter plus the filter (never the ids): the server
// resolves the prospects itself.
(function () {
  const form = document.getElementById("select-form");
  if (!form) return;
  const total = Number(form.dataset.total || 0);
  const rows = Array.from(form.querySelectorAll(".row-check"));
  const page = document.getElementById("check-page");
  const all = document.getElementById("mode-filter");
  const allLabel = document.getElementById("select-all-matching");
  const count = document.getElementById("select-count");
  const submit = document.getElementById("enrol-selected");

  function refresh() {
    const checked = rows.filter((r) => r.checked).length;
    const whole = checked === rows.length && rows.length > 0;
    page.checked = whole;
    page.indeterminate = checked > 0 && !whole;
    allLabel.hidden = !(whole && total > rows.length);
    if (allLabel.hidden) all.checked = false;
    rows.forEach((r) => { r.disabled = all.checked; });
    const n = all.checked ? total : checked;
    count.textContent = n ? ngettext("%(num)d selected", "%(num)d selected", n) : gettext("Select prospects to enrol them");
    submit.disabled = n === 0;
    form.classList.toggle("has-selection", n > 0);
  }
  page.addEventListener("change", () => { rows.forEach((r) => { r.checked = page.checked; }); refresh(); });
  rows.forEach((r) => r.addEventListener("change", refresh));
  all.addEventListener("change", () => {
    if (all.checked) rows.forEach((r) => { r.checked = true; });
    refresh();
  });
  refresh();
})();
