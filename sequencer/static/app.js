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
