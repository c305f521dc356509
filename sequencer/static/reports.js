/* Charts of the report pages, drawn with the vendored Chart.js from the JSON in #report-data / #rep-data. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  var ACCENT = "#5b5bd6", GREEN = "#1f7a4d", GREY = "#c9c9d3", TEXT = "#6b6b76";
  var PALETTE = ["#5b5bd6", "#1f9d74", "#d08a1d", "#c2415b", "#3f83d6", "#8b5cf6"];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = TEXT;
  Chart.defaults.animation = false;

  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var pctAxis = {beginAtZero: true, ticks: {callback: function (v) { return v + (document.documentElement.lang === "lt" ? " %" : "%"); }}, grid: {color: "#f0f0f2"}};

  var data = read("report-data");
  if (data) {
    (data.experiments || []).forEach(function (exp) {
      var canvas = document.querySelector('canvas.ab-chart[data-step="' + exp.position + '"]');
      if (!canvas) return;
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: exp.arms.map(function (a) { return gettext("Variant %(label)s", {label: a.label}); }),
          datasets: [
            {type: "line", label: exp.metric, data: exp.arms.map(function (a) { return a.rate; }),
             showLine: false, pointRadius: 6, pointHoverRadius: 7, backgroundColor: ACCENT, borderColor: "#fff",
             borderWidth: 2},
            {label: gettext("95% interval"), data: exp.arms.map(function (a) { return [a.low, a.high]; }),
             backgroundColor: "rgba(91, 91, 214, 0.16)", borderColor: "rgba(91, 91, 214, 0.35)", borderWidth: 1,
             borderSkipped: false, borderRadius: 4, barPercentage: 0.5}
          ]
        },
        options: {
          indexAxis: "y", maintainAspectRatio: false,
          scales: {x: pctAxis, y: {grid: {display: false}}},
          plugins: {legend: {position: "bottom", labels: {boxWidth: 12}},
                    tooltip: {callbacks: {label: function (c) {
                      var v = c.raw;
                      return Array.isArray(v) ? gettext("95% interval") + " " + v[0] + "–" + v[1] + "%" : exp.metric + " " + v + "%";
                    }}}}
        }
      });
    });
    var weekly = document.getElementById("weekly-chart");
    if (weekly && data.weeks.length) {
      new Chart(weekly, {
        type: "bar",
        data: {
          labels: data.weeks.map(function (w) { return w.week; }),
          datasets: [
            {type: "line", label: gettext("Reply rate"), data: data.weeks.map(function (w) { return w.reply; }),
             borderColor: ACCENT, backgroundColor: ACCENT, cubicInterpolationMode: "monotone", yAxisID: "rate", spanGaps: true},
            {type: "line", label: gettext("Meeting rate"), data: data.weeks.map(function (w) { return w.meeting; }),
             borderColor: GREEN, backgroundColor: GREEN, cubicInterpolationMode: "monotone", yAxisID: "rate", spanGaps: true},
            {label: gettext("Emails sent"), data: data.weeks.map(function (w) { return w.sent; }), backgroundColor: "#ececf1",
             borderRadius: 3, yAxisID: "sent"}
          ]
        },
        options: {
          maintainAspectRatio: false, interaction: {mode: "index", intersect: false},
          scales: {rate: Object.assign({position: "left"}, pctAxis),
                   sent: {position: "right", beginAtZero: true, grid: {display: false}},
                   x: {grid: {display: false}}},
          plugins: {legend: {position: "bottom", labels: {boxWidth: 12}}}
        }
      });
    }
  }

  var reps = read("rep-data");
  var repCanvas = document.getElementById("rep-chart");
  if (reps && repCanvas) {
    new Chart(repCanvas, {
      type: "bar",
      data: {labels: reps.weeks, datasets: reps.reps.map(function (r, i) {
        return {label: r.name, data: r.emails, backgroundColor: PALETTE[i % PALETTE.length], borderRadius: 3};
      })},
      options: {maintainAspectRatio: false, scales: {x: {stacked: true, grid: {display: false}},
                                                     y: {stacked: true, beginAtZero: true, grid: {color: "#f0f0f2"}}},
                plugins: {legend: {position: "bottom", labels: {boxWidth: 12}}}}
    });
  }
})();
