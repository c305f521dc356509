// Pipeline board: move a deal by dragging its card to a column, or with ← / → while the card has focus.
// Moving to "closed lost" first asks for the reason. The server records the move (history, event) and
// answers with the new column counts and totals; a refused move leaves the card where it was.
(function () {
  const board = document.getElementById("board");
  if (!board) return;
  const columns = Array.from(board.querySelectorAll(".board-col"));
  const stages = columns.map((c) => c.dataset.stage);
  const status = document.getElementById("board-status");
  const dialog = document.getElementById("lost-dialog");
  const lostForm = document.getElementById("lost-form");
  const lostInput = document.getElementById("lost-reason");
  const lostError = document.getElementById("lost-error");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const filters = new FormData(document.getElementById("board-filters"));
  let pending = null; // {card, stage} waiting for a lost reason

  const column = (stage) => columns.find((c) => c.dataset.stage === stage);
  const label = (stage) => column(stage).querySelector("h2").textContent.trim();
  function say(text) { status.textContent = text; }

  function refresh(figures) {
    for (const [stage, f] of Object.entries(figures || {})) {
      const col = column(stage);
      if (!col) continue;
      col.querySelector('[data-role="count"]').textContent = f.count;
      col.querySelector('[data-role="total"]').textContent = f.total;
    }
  }

  async function move(card, stage, reason) {
    const from = card.dataset.stage;
    if (stage === from) return true;
    const body = new FormData();
    body.append("stage", stage);
    if (reason) body.append("lost_reason", reason);
    for (const [k, v] of filters.entries()) if (v) body.append(k, v);
    card.classList.add("is-moving");
    let res, data;
    try {
      res = await fetch(card.dataset.moveUrl, {
        method: "POST", body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      });
      data = await res.json();
    } catch (err) {
      data = { ok: false, error: gettext("Network error: the deal was not moved.") };
    } finally {
      card.classList.remove("is-moving");
    }
    if (!data.ok) { say(data.error || gettext("The deal was not moved.")); return false; }
    card.dataset.stage = stage;
    card.classList.remove("is-stale");
    const stale = card.querySelector(".deal-stale");
    if (stale) stale.remove();
    column(stage).querySelector('[data-role="cards"]').prepend(card);
    card.setAttribute("aria-label", `${card.querySelector(".deal-name").textContent}, ${label(stage)}`);
    refresh(data.columns);
    card.focus();
    say(gettext("Moved to %(stage)s.", {stage: label(stage)}));
    return true;
  }

  function request(card, stage) {
    if (stage === board.dataset.lost && card.dataset.stage !== stage) {
      pending = { card, stage };
      lostInput.value = "";
      lostError.hidden = true;
      dialog.showModal();
      lostInput.focus();
      return;
    }
    move(card, stage);
  }

  // keyboard: ← / → to the neighbouring stage
  board.addEventListener("keydown", (e) => {
    const card = e.target.closest(".deal-card");
    if (!card || (e.key !== "ArrowRight" && e.key !== "ArrowLeft")) return;
    e.preventDefault();
    const i = stages.indexOf(card.dataset.stage) + (e.key === "ArrowRight" ? 1 : -1);
    if (i >= 0 && i < stages.length) request(card, stages[i]);
  });
  board.addEventListener("keydown", (e) => {
    const card = e.target.closest(".deal-card");
    if (card && e.key === "Enter") card.querySelector(".deal-name").click();
  });

  // drag and drop between columns
  let dragged = null;
  board.addEventListener("dragstart", (e) => {
    dragged = e.target.closest(".deal-card");
    if (!dragged) return;
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", dragged.dataset.id);
    dragged.classList.add("is-dragging");
  });
  board.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("is-dragging");
    columns.forEach((c) => c.classList.remove("is-over"));
    dragged = null;
  });
  columns.forEach((col) => {
    col.addEventListener("dragover", (e) => { if (dragged) { e.preventDefault(); col.classList.add("is-over"); } });
    col.addEventListener("dragleave", (e) => { if (!col.contains(e.relatedTarget)) col.classList.remove("is-over"); });
    col.addEventListener("drop", (e) => {
      e.preventDefault();
      col.classList.remove("is-over");
      if (dragged) request(dragged, col.dataset.stage);
    });
  });

  // the lost-reason dialog
  dialog.querySelectorAll(".pick-reason").forEach((b) => b.addEventListener("click", () => {
    lostInput.value = b.textContent.trim();
    lostInput.focus();
  }));
  document.getElementById("lost-cancel").addEventListener("click", () => dialog.close("cancel"));
  dialog.addEventListener("close", () => {
    if (dialog.returnValue !== "confirmed" && pending) {
      pending.card.focus();
      say(gettext("Not moved."));
    }
    pending = null;
    dialog.returnValue = "";
  });
  lostForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const reason = lostInput.value.trim();
    if (!reason) { lostError.textContent = gettext("A reason is required."); lostError.hidden = false; return; }
    const { card, stage } = pending;
    if (await move(card, stage, reason)) {
      dialog.close("confirmed");
      card.focus();
    } else {
      lostError.textContent = status.textContent;
      lostError.hidden = false;
    }
  });
})();
