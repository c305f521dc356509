// What-if on a goal page: send the values tried to the server and show the plan it computes (nothing saved).
(function () {
  "use strict";
  var box = document.getElementById("what-if");
  var form = document.getElementById("what-if-form");
  if (!box || !form) return;
  var status = document.getElementById("what-if-status");
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var timer = null;

  function fmt(v) { return v === null || v === undefined ? "\u2014" : Number(v).toLocaleString(document.documentElement.lang || "en"); }

  function body() {
    var out = { rates: {} };
    form.querySelectorAll("input").forEach(function (input) {
      var raw = input.value.trim().replace(",", ".");
      if (!raw) return;
      if (input.name.indexOf("rate_") === 0) out.rates[input.name.slice(5)] = Number(raw) / 100;
      else out[input.name] = Number(raw);
    });
    return out;
  }

  function show(plan) {
    Object.keys(plan.plan).forEach(function (key) {
      var row = document.querySelector('#plan-table tr[data-key="' + key + '"]');
      if (row) ["low", "mid", "high"].forEach(function (col) {
        var cell = row.querySelector('[data-col="' + col + '"]');
        cell.textContent = fmt(plan.plan[key][col]);
      });
      var value = document.querySelector('[data-plan="' + key + '"]');
      if (value) value.textContent = fmt(plan.plan[key].mid);
      var range = document.querySelector('[data-range="' + key + '"]');
      if (range) range.textContent = fmt(plan.plan[key].low) + "\u2013" + fmt(plan.plan[key].high) + " " + gettext("with the 95% intervals");
    });
  }

  function update() {
    fetch(box.getAttribute("data-url"), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body())
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (res) {
      if (res.ok) { show(res.data); status.textContent = gettext("Plan updated with the values above."); }
      else status.textContent = (res.data.error && res.data.error.message) || gettext("Those values were refused.");
    }).catch(function () { status.textContent = gettext("Could not reach the server."); });
  }

  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 250); });
  form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
})();
