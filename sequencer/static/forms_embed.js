/* Sequencer website form embed: <div data-sequencer-form="KEY"></div><script src=".../f/embed.js" async></script>
   Draws the form into the div and posts it cross-origin (CORS answers only the form's allowed sites).
   Without JavaScript the div's <noscript> link opens the hosted page instead. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : "";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function utm() {
    var out = {};
    var params = new URLSearchParams(window.location.search);
    ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"].forEach(function (k) {
      if (params.get(k)) out[k] = params.get(k);
    });
    return out;
  }

  function field(def, uid) {
    var wrap = el("div", {"class": "sqf-field", "data-field": def.name});
    var id = uid + "-" + def.name;
    var input;
    if (def.maps_to === "consent") {
      var label = el("label", {"for": id});
      input = el("input", {id: id, name: def.name, type: "checkbox", value: "on"});
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + (def.consent_text || def.label)));
      wrap.appendChild(label);
    } else {
      wrap.appendChild(el("label", {"for": id}, def.label + (def.required ? " *" : "")));
      var type = def.maps_to === "email" ? "email" : def.maps_to === "phone" ? "tel" : "text";
      input = el("input", {id: id, name: def.name, type: type, maxlength: "2000"});
      input.style.display = "block";
      input.style.width = "100%";
      wrap.appendChild(input);
    }
    if (def.required) input.setAttribute("aria-required", "true");
    var error = el("div", {id: id + "-error", "class": "sqf-error", "aria-live": "polite"});
    error.style.color = "#b91c1c";
    wrap.appendChild(error);
    return wrap;
  }

  // the page's words come from definition.json in the visitor's language (this script runs without our catalogue)
  function say(def, key, english) {
    return (def.texts && def.texts[key]) || english;
  }

  function showErrors(form, details) {
    form.querySelectorAll(".sqf-error").forEach(function (e) { e.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); });
    var first = null;
    (details || []).forEach(function (d) {
      var wrap = form.querySelector('[data-field="' + d.field + '"]');
      var box = wrap ? wrap.querySelector(".sqf-error") : form.querySelector(".sqf-status");
      if (box) box.textContent = d.message;
      var input = wrap ? wrap.querySelector("input") : null;
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", box.id);
        first = first || input;
      }
    });
    if (first) first.focus();
  }

  function render(holder, def) {
    var uid = "sqf-" + def.key;
    var form = el("form", {action: def.action, method: "post", novalidate: "novalidate", "class": "sqf-form"});
    form.appendChild(el("input", {type: "hidden", name: "_t", value: def.t}));
    var trap = el("input", {type: "text", name: "website", tabindex: "-1", autocomplete: "off", "aria-hidden": "true"});
    trap.style.position = "absolute";
    trap.style.left = "-10000px";
    form.appendChild(trap);
    def.fields.forEach(function (f) {
      f.consent_text = def.consent_text;
      form.appendChild(field(f, uid));
    });
    var status = el("div", {"class": "sqf-status", role: "status", id: uid + "-status"});
    form.appendChild(status);
    form.appendChild(el("button", {type: "submit"}, say(def, "send", "Send")));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      body.set("page_url", window.location.href);
      var tags = utm();
      Object.keys(tags).forEach(function (k) { body.set(k, tags[k]); });
      status.textContent = say(def, "sending", "Sending…");
      fetch(def.action, {method: "POST", body: body, headers: {"Accept": "application/json"}, mode: "cors"})
        .then(function (r) { return r.json().then(function (data) { return {status: r.status, data: data}; }); })
        .then(function (res) {
          if (res.status === 200) {
            if (def.redirect_url) { window.location.href = def.redirect_url; return; }
            holder.textContent = "";
            holder.appendChild(el("p", {role: "status", "class": "sqf-thanks"},
              def.thank_you || say(def, "thanks", "Thank you! We will be in touch shortly.")));
          } else {
            status.textContent = (res.data.error && res.data.error.message) || say(def, "failed", "Something went wrong.");
            showErrors(form, res.data.error && res.data.error.details);
          }
        })
        .catch(function () { status.textContent = say(def, "offline", "Could not send the form; please try again."); });
    });
    holder.textContent = "";
    holder.appendChild(form);
  }

  document.querySelectorAll("[data-sequencer-form]").forEach(function (holder) {
    var key = holder.getAttribute("data-sequencer-form");
    var lang = holder.getAttribute("data-lang");
    var query = lang ? "?lang=" + encodeURIComponent(lang) : "";
    fetch(base + "/f/" + encodeURIComponent(key) + "/definition.json" + query, {mode: "cors"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (def) { render(holder, def); })
      .catch(function () {
        var lt = /^lt/i.test(lang || navigator.language || "");
        holder.appendChild(el("a", {href: base + "/f/" + encodeURIComponent(key) + query},
          lt ? "Atidaryti formą" : "Open the form"));
      });
  });
})();
