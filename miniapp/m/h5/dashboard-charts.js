// The leaders' dashboard's charts, loaded on that page only, after vendor/echarts.js (served
// locally) and before dashboard.js: bars and a pie of figures the page also shows as tables. Their
// text follows the phone's text size (sizes from the root font size); they are drawn again when it
// changes (长辈模式) or the window is resized.
/* global echarts */
(function () {
  'use strict';
  var COLORS = { RED: '#b3261e', YELLOW: '#c98a00', GREEN: '#1d6b06' };

  // Draws into #chart-status, #chart-risk and #chart-month the figures of GET /api/m/dashboard.
  function drawDashboardCharts(d) {
    var hz = d.hazards;
    var months = hz.byMonth;
    if (!window.echarts) return;
    var charts = [];
    function draw() {
      var base = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
      var font = Math.round(base * 0.875);
      var text = { fontSize: font, color: '#1f2329' };
      charts.forEach(function (c) {
        c.dispose();
      });
      charts = [];
      var status = echarts.init(document.getElementById('chart-status'));
      status.setOption({
        textStyle: text,
        animation: false,
        grid: { left: font * 2.5, right: 8, top: font * 2, bottom: font * 3.5 },
        xAxis: {
          type: 'category',
          axisLabel: { interval: 0, rotate: 30, fontSize: font, color: '#1f2329' },
          data: hz.byStatus.map(function (s) {
            return s.label;
          }),
        },
        yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: font, color: '#1f2329' } },
        series: [
          {
            type: 'bar',
            label: { show: true, position: 'top', fontSize: font, color: '#1f2329' },
            data: hz.byStatus.map(function (s) {
              return s.count;
            }),
            itemStyle: { color: '#1456f0' },
          },
        ],
      });
      var risk = echarts.init(document.getElementById('chart-risk'));
      risk.setOption({
        textStyle: text,
        animation: false,
        series: [
          {
            type: 'pie',
            radius: ['30%', '55%'],
            label: { formatter: '{b}\n{c} 家', fontSize: font, color: '#1f2329' },
            labelLayout: { hideOverlap: false },
            data: d.riskCodes.map(function (r) {
              return { name: r.label, value: r.count, itemStyle: { color: COLORS[r.color] } };
            }),
          },
        ],
      });
      var month = echarts.init(document.getElementById('chart-month'));
      month.setOption({
        textStyle: text,
        animation: false,
        legend: { bottom: 0, textStyle: text },
        grid: { left: font * 2.5, right: 8, top: font * 2, bottom: font * 5 },
        xAxis: {
          type: 'category',
          axisLabel: { interval: 0, rotate: 45, fontSize: font, color: '#1f2329' },
          data: months.map(function (m) {
            return m.month;
          }),
        },
        yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: font, color: '#1f2329' } },
        series: [
          {
            name: '新发现',
            type: 'bar',
            label: { show: true, position: 'top', fontSize: font },
            itemStyle: { color: '#1456f0' },
            data: months.map(function (m) {
              return m.filed;
            }),
          },
          {
            name: '已销号',
            type: 'bar',
            label: { show: true, position: 'top', fontSize: font },
            itemStyle: { color: '#1d6b06' },
            data: months.map(function (m) {
              return m.closed;
            }),
          },
        ],
      });
      charts.push(status, risk, month);
    }
    draw();
    window.addEventListener('resize', draw);
    // 长辈模式 changes the root size: redraw with the new text size.
    new MutationObserver(draw).observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
  }

  window.LG.drawDashboardCharts = drawDashboardCharts;
})();
