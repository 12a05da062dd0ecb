// The leaders' dashboard: figures for the jurisdiction, drawn with echarts (served locally).
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;
  var COLORS = { RED: '#d83931', YELLOW: '#f5a623', GREEN: '#2ea121' };

  function stat(label, value, id) {
    var box = el('div', 'stat');
    var v = el('div', 'value', value);
    if (id) v.id = id;
    box.appendChild(v);
    box.appendChild(el('div', 'label', label));
    return box;
  }

  function chart(title, id) {
    var box = el('section', 'card chart-card');
    box.appendChild(el('h2', 'chart-title', title));
    var c = el('div', 'chart');
    c.id = id;
    box.appendChild(c);
    return box;
  }

  LG.run(function () {
    return LG.api('GET', '/api/m/dashboard').then(
      function (d) {
        var head = el('div', 'card');
        head.appendChild(el('div', 'title', d.jurisdiction.org + '（' + d.jurisdiction.regionName + '）'));
        var stats = el('div', 'stats');
        stats.appendChild(stat('重点单位', d.units));
        stats.appendChild(stat('隐患总数', d.hazards.total, 'stat-total'));
        stats.appendChild(stat('未整改', d.hazards.open, 'stat-open'));
        stats.appendChild(stat('整改率', d.rectificationRate === null ? '—' : d.rectificationRate + '%', 'stat-rate'));
        head.appendChild(stats);
        var rank = el('section', 'card');
        rank.appendChild(
          el(
            'h2',
            'chart-title',
            d.ranking.period ? '落实主体责任排名（' + d.ranking.period + '）' : '未整改隐患最多的单位',
          ),
        );
        var ol = el('ol', 'ranking');
        (d.ranking.period
          ? d.ranking.items.map(function (r) {
              return r.unit.name + '　' + r.score + ' 分';
            })
          : d.mostOpenHazards.map(function (r) {
              return r.unit.name + '　' + r.open + ' 项';
            })
        ).forEach(function (t) {
          ol.appendChild(el('li', '', t));
        });
        if (!ol.firstChild) ol.appendChild(el('li', 'muted', '暂无数据'));
        rank.appendChild(ol);
        var code = el(
          'div',
          'muted',
          '码上检查：已提交 ' + d.codeInspections.submitted + ' 次，全部符合 ' + d.codeInspections.passed + ' 次',
        );
        LG.show(
          head,
          chart('隐患状态', 'chart-status'),
          chart('风险码分布', 'chart-risk'),
          chart('近 6 个月隐患', 'chart-month'),
          rank,
          code,
        );

        if (!window.echarts) return;
        var status = echarts.init(document.getElementById('chart-status'));
        status.setOption({
          grid: { left: 40, right: 10, top: 10, bottom: 30 },
          xAxis: {
            type: 'category',
            data: d.hazards.byStatus.map(function (s) {
              return s.label;
            }),
          },
          yAxis: { type: 'value', minInterval: 1 },
          series: [
            {
              type: 'bar',
              data: d.hazards.byStatus.map(function (s) {
                return s.count;
              }),
              itemStyle: { color: '#1456f0' },
            },
          ],
        });
        var risk = echarts.init(document.getElementById('chart-risk'));
        risk.setOption({
          legend: { bottom: 0 },
          series: [
            {
              type: 'pie',
              radius: ['40%', '65%'],
              data: d.riskCodes.map(function (r) {
                return { name: r.label, value: r.count, itemStyle: { color: COLORS[r.color] } };
              }),
            },
          ],
        });
        var month = echarts.init(document.getElementById('chart-month'));
        month.setOption({
          legend: { bottom: 0 },
          grid: { left: 40, right: 10, top: 10, bottom: 50 },
          xAxis: {
            type: 'category',
            data: d.hazards.byMonth.map(function (m) {
              return m.month;
            }),
          },
          yAxis: { type: 'value', minInterval: 1 },
          series: [
            {
              name: '新发现',
              type: 'line',
              data: d.hazards.byMonth.map(function (m) {
                return m.filed;
              }),
            },
            {
              name: '已销号',
              type: 'line',
              data: d.hazards.byMonth.map(function (m) {
                return m.closed;
              }),
            },
          ],
        });
        window.addEventListener('resize', function () {
          status.resize();
          risk.resize();
          month.resize();
        });
      },
      function (err) {
        if (err.status === 403) return LG.notice('无权查看看板', err.message);
        throw err;
      },
    );
  });
})();
