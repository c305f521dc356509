// Pipeline report charts (Chart.js 4.6.1, vendored): data comes from the page's JSON block, not inline script.
(function () {
  const source = document.getElementById("chart-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const accent = "#5b5bd6", green = "#1f7a4d", red = "#c2410c", grey = "#a1a1aa";
    const short = (s) => (s.length > 30 ? s.slice(0, 29) + "…" : s);
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#6b6b76";
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;
  const grid = { color: "#eeeef1" };

  const conv = document.getElementById("chart-conversion");
  if (conv) new Chart(conv, {
    type: "bar",
    data: { labels: data.conversion.names,
            datasets: [{ label: gettext("Deals that reached the stage"), data: data.conversion.values,
                         backgroundColor: data.conversion.labels.map((l) => l === "closed_won" ? green : accent),
                         borderRadius: 4 }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 }, grid }, x: { grid: { display: false } } } },
  });
  const lost = document.getElementById("chart-lost");
  if (lost) new Chart(lost, {
    type: "bar",
    data: { labels: data.lost.labels.map(short), datasets: [{ label: gettext("Lost deals"), data: data.lost.values, backgroundColor: red, borderRadius: 4 }] },
    options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 }, grid }, y: { grid: { display: false } } } },
  });
  const quarters = document.getElementById("chart-quarters");
  if (quarters) new Chart(quarters, {
    type: "bar",
    data: { labels: data.quarters.labels, datasets: [
      { label: gettext("Created"), data: data.quarters.created, backgroundColor: grey, borderRadius: 4 },
      { label: gettext("Won"), data: data.quarters.won, backgroundColor: green, borderRadius: 4 },
      { label: gettext("Lost"), data: data.quarters.lost, backgroundColor: red, borderRadius: 4 }] },
    options: { plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
               scales: { y: { beginAtZero: true, grid }, x: { grid: { display: false } } } },
  });
})();
