/* Sequencer website snippet: <script src="https://SEQUENCER/t/s.js" data-site="www.example.com" async></script>
   Reports page views of visitors who arrived from a Sequencer email link. No third-party cookie: the signed
   visitor token comes in the link (?sqv=...) and is kept as a first-party cookie on this site.
   Does nothing when the browser sends Do-Not-Track or Global Privacy Control. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var nav = window.navigator || {};
  if (nav.globalPrivacyControl === true || nav.doNotTrack === "1" || nav.doNotTrack === "yes" ||
      window.doNotTrack === "1" || nav.msDoNotTrack === "1") { return; }
  var site = script.getAttribute("data-site") || location.hostname;
  var endpoint = new URL(script.src).origin + "/t/pv";
  var name = "_sqv";
  var params = new URLSearchParams(location.search);
  var fresh = params.get("sqv");
  if (fresh && /^[A-Za-z0-9_.-]{1,200}$/.test(fresh)) {
    document.cookie = name + "=" + fresh + "; Max-Age=31536000; Path=/; SameSite=Lax" +
      (location.protocol === "https:" ? "; Secure" : "");
    params.delete("sqv");
    var rest = params.toString();
    history.replaceState(history.state, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
  }
  var match = document.cookie.match(/(?:^|;\s*)_sqv=([^;]+)/);
  if (!match) { return; }
  var body = JSON.stringify({token: match[1], url: location.href, title: document.title, site: site});
  if (nav.sendBeacon) {
    nav.sendBeacon(endpoint, new Blob([body], {type: "text/plain"}));
  } else {
    fetch(endpoint, {method: "POST", body: body, mode: "no-cors", keepalive: true});
  }
})();
