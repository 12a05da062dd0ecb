// The leaders' dashboard: what a leader asks about the jurisdiction, each figure a link to its list.
// Charts (drawn by dashboard-charts.js) carry their numbers and have a table form for screen
// readers.
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;

  function stat(label, value, href, id, bad) {
    var box = el(href ? 'a' : 'div', 'stat' + (bad ? ' bad' : ''));
    if (href) box.href = href;
    var v = el('div', 'value', value);
    if (id) v.id = id;
    box.appendChild(v);
    box.appendChild(el('div', 'label', label));
    return box;
  }

  // A table form of a chart: rows of [label, value, href?] under column heads.
  function table(caption, heads, rows) {
    var details = el('details', 'table-form');
    details.appendChild(el('summary', '', '以表格查看：' + caption));
    var t = el('table', 'data');
    t.appendChild(el('caption', 'sr-only', caption));
    var tr = el('tr');
    heads.forEach(function (h, i) {
      var th = el('th', i ? 'num' : '', h);
      th.scope = 'col';
      tr.appendChild(th);
    });
    var thead = el('thead');
    thead.appendChild(tr);
    t.appendChild(thead);
    var body = el('tbody');
    rows.forEach(function (r) {
      var row = el('tr');
      r.cells.forEach(function (c, i) {
        var td = el(i ? 'td' : 'th', i ? 'num' : '');
        if (!i) td.scope = 'row';
        if (i && r.href) {
          var a = el('a', '', c);
          a.href = r.href;
          td.appendChild(a);
        } else td.textContent = c;
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    t.appendChild(body);
    details.appendChild(t);
    return details;
  }

  function chart(title, id, summary, tableForm) {
    var box = el('section', 'card chart-card');
    box.appendChild(el('h2', 'chart-title', title));
    var c = el('div', 'chart');
    c.id = id;
    c.setAttribute('role', 'img');
    c.setAttribute('aria-label', title + '：' + summary);
    box.appendChild(c);
    box.appendChild(tableForm);
    return box;
  }

  LG.run(function () {
    return LG.api('GET', '/api/m/dashboard').then(
      function (d) {
        var hz = d.hazards;
        var head = el('div', 'card');
        head.appendChild(el('h2', 'subject chart-title', d.jurisdiction.org + '（' + d.jurisdiction.regionName + '）'));
        var stats = el('div', 'stats');
        stats.appendChild(stat('重点单位（家）', d.units, d.ranking.href));
        stats.appendChild(stat('未整改隐患', hz.open, hz.links.open, 'stat-open', hz.open > 0));
        stats.appendChild(stat('已逾期', hz.overdue, hz.links.overdue, 'stat-overdue', hz.overdue > 0));
        stats.appendChild(stat('已升级', hz.escalated, hz.links.escalated, 'stat-escalated', hz.escalated > 0));
        stats.appendChild(stat('隐患总数', hz.total, hz.links.total, 'stat-total'));
        stats.appendChild(
          stat('整改率', d.rectificationRate === null ? '—' : d.rectificationRate + '%', hz.links.closed, 'stat-rate'),
        );
        head.appendChild(stats);

        // Where: open and overdue hazards by county, the worst first.
        var where = el('section', 'card');
        where.appendChild(el('h2', 'chart-title', '各地未整改隐患'));
        if (hz.byRegion.length === 0) where.appendChild(el('p', '', '辖区内暂无隐患'));
        else {
          var t = table(
            '各地未整改和已逾期隐患',
            ['地区', '未整改', '已逾期'],
            hz.byRegion.map(function (r) {
              return { cells: [r.regionName, String(r.open), String(r.overdue)], href: r.href };
            }),
          );
          t.open = true;
          where.appendChild(t);
        }

        // Who is worst: the bottom of the latest ranking, worst first; without one, most open hazards.
        var rank = el('section', 'card');
        rank.appendChild(
          el(
            'h2',
            'chart-title',
            d.ranking.period ? '落实主体责任排名靠后的单位（' + d.ranking.period + '）' : '未整改隐患最多的单位',
          ),
        );
        var ol = el('ol', 'ranking');
        (d.ranking.period
          ? d.ranking.items.map(function (r) {
              return [r.unit.name + '　' + r.score + ' 分（第 ' + r.rank + ' / ' + r.total + ' 名）', r.href];
            })
          : d.mostOpenHazards.map(function (r) {
              return [r.unit.name + '　' + r.open + ' 项', r.href];
            })
        ).forEach(function (x) {
          var li = el('li');
          var a = el('a', '', x[0]);
          a.href = x[1];
          li.appendChild(a);
          ol.appendChild(li);
        });
        if (!ol.firstChild) ol.appendChild(el('li', '', '暂无数据'));
        rank.appendChild(ol);
        if (d.ranking.href) {
          var all = el('a', 'pill', '查看全部排名');
          all.href = d.ranking.href;
          rank.appendChild(all);
        }

        var months = hz.byMonth;
        var thisMonth = months[months.length - 1] || { filed: 0, closed: 0 };
        var before = months.slice(0, -1);
        var avg = before.length
          ? Math.round(
              (before.reduce(function (s, m) {
                return s + m.filed;
              }, 0) /
                before.length) *
                10,
            ) / 10
          : 0;
        var trend = el(
          'p',
          '',
          '本月新发现 ' +
            thisMonth.filed +
            ' 项、已销号 ' +
            thisMonth.closed +
            ' 项；前 6 个月平均每月新发现 ' +
            avg +
            ' 项。',
        );
        var code = el(
          'p',
          '',
          '码上检查：已提交 ' + d.codeInspections.submitted + ' 次，全部符合 ' + d.codeInspections.passed + ' 次',
        );
        var statusChart = chart(
          '隐患状态（项）',
          'chart-status',
          hz.byStatus
            .map(function (s) {
              return s.label + ' ' + s.count + ' 项';
            })
            .join('，'),
          table(
            '隐患状态',
            ['状态', '数量（项）'],
            hz.byStatus.map(function (s) {
              return { cells: [s.label, String(s.count)], href: s.href };
            }),
          ),
        );
        var riskChart = chart(
          '风险码分布（家）',
          'chart-risk',
          d.riskCodes
            .map(function (r) {
              return r.label + ' ' + r.count + ' 家';
            })
            .join('，'),
          table(
            '风险码分布',
            ['风险码', '单位（家）'],
            d.riskCodes.map(function (r) {
              return { cells: [r.label, String(r.count)] };
            }),
          ),
        );
        var monthChart = chart(
          '近 7 个月隐患（项）',
          'chart-month',
          months
            .map(function (m) {
              return m.month + ' 新发现 ' + m.filed + ' 项、已销号 ' + m.closed + ' 项';
            })
            .join('；'),
          table(
            '近 7 个月隐患',
            ['月份', '新发现', '已销号'],
            months.map(function (m) {
              return { cells: [m.month, String(m.filed), String(m.closed)] };
            }),
          ),
        );
        monthChart.appendChild(trend);
        LG.show(head, where, rank, statusChart, riskChart, monthChart, code);

        LG.drawDashboardCharts(d);
      },
      function (err) {
        if (err.status === 403) return LG.notice('无权查看看板', err.message);
        throw err;
      },
    );
  });
})();
