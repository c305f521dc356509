// The scripts' strings in the reader's language: gettext("…") and ngettext("…", "…", n) read the catalogue
// the page carries as JSON (id="i18n-catalog"); English is the fallback for anything missing.
(function () {
  "use strict";
  var node = document.getElementById("i18n-catalog");
  var catalog = { locale: "en", messages: {} };
  try { if (node) { catalog = JSON.parse(node.textContent); } } catch (e) { /* English it is */ }

  function fill(text, params) {
    if (!params) { return text; }
    return text.replace(/%\((\w+)\)[sd]|\{(\w+)\}/g, function (whole, a, b) {
      var key = a || b;
      return Object.prototype.hasOwnProperty.call(params, key) ? String(params[key]) : whole;
    });
  }

  // Lithuanian: 1, 21, 31 … / 2–9, 22–29 … / 0, 10–20, 30 …; English: 1 / everything else
  function pluralIndex(n) {
    if (catalog.locale === "lt") {
      if (n % 10 === 1 && (n % 100 < 11 || n % 100 > 19)) { return 0; }
      if (n % 10 >= 2 && n % 10 <= 9 && (n % 100 < 11 || n % 100 > 19)) { return 1; }
      return 2;
    }
    return n === 1 ? 0 : 1;
  }

  window.gettext = function (msgid, params) {
    var found = catalog.messages[msgid];
    return fill(typeof found === "string" && found ? found : msgid, params);
  };

  window.ngettext = function (singular, plural, n, params) {
    var forms = catalog.messages[singular];
    var all = Object.assign({ num: n }, params || {});
    if (Array.isArray(forms) && forms[pluralIndex(n)]) { return fill(forms[pluralIndex(n)], all); }
    return fill(n === 1 ? singular : plural, all);
  };

  window.SeqI18n = { locale: catalog.locale, pluralIndex: pluralIndex };
})();
