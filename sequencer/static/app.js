// Behaviour every page shares; no inline handlers (the Content-Security-Policy forbids them).
// A form with data-confirm="question" asks before it submits (e.g. deleting a webhook).
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);
