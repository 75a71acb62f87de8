// Draws the dashboard's charts with ECharts from the page's JSON block
// (#stats-charts); the same numbers are in the table under each chart.
(function () {
  'use strict';
  function draw() {
    var data = document.getElementById('stats-charts');
    if (!data || !window.echarts) { return; }
    var charts = JSON.parse(data.textContent || '[]') || [];
    var drawn = [];
    charts.forEach(function (c) {
      var el = document.getElementById('chart-' + c.id);
      if (!el || !c.labels || c.labels.length === 0) {
        if (el) { el.hidden = true; }
        return;
      }
      var chart = echarts.init(el, null, { renderer: 'svg' });
      var option;
      if (c.kind === 'pie') {
        option = {
          tooltip: { trigger: 'item', valueFormatter: function (v) { return v + ' ' + c.unit; } },
          legend: { type: 'scroll', bottom: 0 },
          series: [{ type: 'pie', radius: ['35%', '65%'], top: 0, bottom: 30,
            data: c.labels.map(function (l, i) { return { name: l, value: c.values[i] }; }) }]
        };
      } else {
        option = {
          tooltip: { trigger: 'axis', valueFormatter: function (v) { return v + ' ' + c.unit; } },
          grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
          xAxis: { type: 'category', data: c.labels, axisLabel: { hideOverlap: true } },
          yAxis: { type: 'value', name: c.unit },
          series: [{ type: 'bar', data: c.values, itemStyle: { color: '#c0392b' } }]
        };
      }
      chart.setOption(option);
      drawn.push(chart);
    });
    window.addEventListener('resize', function () { drawn.forEach(function (ch) { ch.resize(); }); });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
