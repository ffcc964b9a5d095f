// Draws every chart of a page from its embedded JSON specs with the local Plotly bundle,
// then marks the body so that a browser test (or a screenshot) knows the page is complete.
(function () {
  "use strict";
  var specs = JSON.parse(document.getElementById("chart-data").textContent);
  var config = { displayModeBar: false, responsive: false };
  var drawn = specs.map(function (spec) {
    return Plotly.newPlot(spec.id, spec.data, spec.layout, config);
  });
  Promise.all(drawn).then(function () {
    document.body.setAttribute("data-charts-ready", String(drawn.length));
  });
})();
