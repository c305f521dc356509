// Behaviour every page shares; no inline handlers (the Content-Security-Policy forbids them).
// A form (or the button that submits it) with data-confirm="question" asks before it submits
// (e.g. deleting a webhook, declaring an A/B winner).
document.addEventListener("submit", function (event) {
  var by = event.submitter;
  var question = (by && by.getAttribute("data-confirm")) ||
    (event.target.getAttribute && event.target.getAttribute("data-confirm"));
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

// Narrow screens: the menu button opens the navigation over the page; the backdrop or Escape closes it.
(function () {
  var shell = document.getElementById("shell");
  if (!shell) return;
  var button = document.querySelector("[data-nav-toggle]");
  var backdrop = document.querySelector("[data-nav-close]");
  function setOpen(open) {
    shell.classList.toggle("nav-open", open);
    if (button) button.setAttribute("aria-expanded", open ? "true" : "false");
    if (backdrop) backdrop.hidden = !open;
  }
  if (button) button.addEventListener("click", function () { setOpen(!shell.classList.contains("nav-open")); });
  if (backdrop) backdrop.addEventListener("click", function () { setOpen(false); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && shell.classList.contains("nav-open")) setOpen(false);
  });
})();

// Global search from the top bar: "/" (or Ctrl/Cmd+K) focuses it from anywhere but a text field.
document.addEventListener("keydown", function (event) {
  var box = document.getElementById("global-search");
  if (!box) return;
  var target = event.target;
  var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  var slash = event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey;
  var combo = (event.ctrlKey || event.metaKey) && (event.key === "k" || event.key === "K");
  if (slash || combo) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});
