// The task queue from the keyboard: j/k move, c complete, s skip, z snooze, n note, x select, u undo, Esc close.
// The server renders everything; this file only moves the selection, opens the action forms and
// submits them through htmx (so the list updates without a page reload).
(function () {
  "use strict";
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  const queue = () => document.getElementById("queue");
  const rows = () => Array.from(document.querySelectorAll("#queue .task-row"));
  const current = () => document.querySelector("#queue .task-row.selected");

  function select(row, load) {
    if (!row) return;
    rows().forEach((r) => { r.classList.remove("selected"); r.setAttribute("aria-selected", "false"); });
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    row.scrollIntoView({ block: "nearest" });
    if (load !== false && window.htmx) {
      wanted = row;
      loadPanel();
    }
  }

  // One panel request at a time (htmx would drop a second one while the first is in flight); when an
  // answer lands for a row the rep already moved past, the latest selection is fetched next.
  let wanted = null;
  function loadPanel() {
    const panel = document.getElementById("panel");
    if (!wanted || !wanted.isConnected || !panel || panel.classList.contains("htmx-request")) return;
    const inner = panel.querySelector(".panel-inner");
    if (inner && inner.dataset.task === wanted.dataset.id) return;
    // the list carries one panel URL (for task 0, with the queue's state); each row fills in its id
    const url = new URL(wanted.closest(".rows").dataset.panel, window.location.href);
    url.pathname = url.pathname.replace("/tasks/0/", `/tasks/${wanted.dataset.id}/`);
    url.searchParams.set("index", wanted.dataset.index);
    window.htmx.ajax("GET", url.pathname + url.search, { source: panel, target: panel, swap: "innerHTML" });
  }
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.target.id === "panel") loadPanel();
  });

  function move(step) {
    const list = rows();
    if (!list.length) return;
    const at = list.indexOf(current());
    select(list[Math.max(0, Math.min(list.length - 1, at + step))]);
  }

  // htmx wires up swapped-in content only when it settles (20 ms later, longer on a busy browser); a form
  // opened and submitted before that would post natively and reload the page, so wire it up now.
  function ready(form) {
    if (window.htmx) window.htmx.process(form);
    return form;
  }

  function closeForms() {
    document.querySelectorAll("#panel .q-form").forEach((f) => { f.hidden = true; });
  }

  function open(name) {
    const panel = document.querySelector("#panel .panel-inner");
    if (!panel) return;
    if (name === "complete" && panel.dataset.editor) { window.location.href = panel.dataset.editor; return; }
    const form = panel.querySelector(`.q-form[data-form="${name}"]`);
    if (!form) return;
    closeForms();
    ready(form).hidden = false;
    const first = name === "complete" ? form.querySelector("input[name=outcome]:checked")
      : name === "snooze" ? form.querySelector("button") : form.querySelector("input:not([type=hidden]), textarea");
    if (first) first.focus({ preventScroll: true });
    form.scrollIntoView({ block: "nearest" });
  }

  function toggleCheck() {
    const row = current();
    if (!row) return;
    const box = row.querySelector(".row-check");
    box.checked = !box.checked;
    refreshBulk();
  }

  function refreshBulk() {
    const bar = document.getElementById("bulk-bar");
    if (!bar) return;
    const n = document.querySelectorAll("#queue .row-check:checked").length;
    bar.hidden = n === 0;
    document.getElementById("bulk-count").textContent = ngettext("%(num)d selected", "%(num)d selected", n);
  }

  function formKeys(event, form) {
    const name = form.dataset.form;
    if (event.key === "Escape") { closeForms(); event.preventDefault(); return true; }
    const digit = /^[1-9]$/.test(event.key) ? Number(event.key) : 0;
    if (digit && event.target.tagName !== "TEXTAREA" && event.target.type !== "text" && !event.target.list) {
      if (name === "complete") {
        const radios = form.querySelectorAll("input[name=outcome]");
        if (radios[digit - 1]) { radios[digit - 1].checked = true; radios[digit - 1].focus(); }
        event.preventDefault();
        return true;
      }
      if (name === "snooze") {
        const buttons = form.querySelectorAll("button[name=choice]");
        if (buttons[digit - 1]) buttons[digit - 1].click();
        event.preventDefault();
        return true;
      }
    }
    if (event.key === "Enter" && (event.target.tagName !== "TEXTAREA" || event.ctrlKey || event.metaKey)) {
      if (event.target.tagName === "BUTTON") return false;
      event.preventDefault();
      ready(form).requestSubmit();
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey) return;
    const editor = document.getElementById("email-editor");
    if (editor && event.key === "Enter" && (event.ctrlKey || event.metaKey)) { editor.requestSubmit(); return; }
    const form = event.target.closest && event.target.closest(".q-form");
    if (form && formKeys(event, form)) return;
    if (event.ctrlKey || event.metaKey || typing(event.target) || !queue()) return;
    const keys = {
      j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
      c: () => open("complete"), s: () => open("skip"), z: () => open("snooze"), n: () => open("note"),
      x: toggleCheck, Escape: closeForms, u: undoLast,
    };
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
  });

  // The toast after completing or skipping offers Undo for a few seconds (the server keeps the same limit).
  function undoLast() {
    const form = document.querySelector("#queue .undo-form");
    if (form) ready(form).requestSubmit();
  }
  function expireUndo() {
    const form = document.querySelector("#queue .undo-form");
    if (form && !form.dataset.timer) {
      form.dataset.timer = "1";
      setTimeout(() => form.remove(), Number(form.dataset.expires) || 10000);
    }
  }
  document.addEventListener("htmx:afterSettle", expireUndo);

  document.addEventListener("click", (event) => {
    const opener = event.target.closest("[data-open]");
    if (opener) { open(opener.dataset.open); return; }
    const row = event.target.closest(".task-row");
    if (row && !event.target.classList.contains("row-check")) select(row);
  });
  document.addEventListener("change", (event) => {
    if (event.target.classList && event.target.classList.contains("row-check")) refreshBulk();
  });
})();
