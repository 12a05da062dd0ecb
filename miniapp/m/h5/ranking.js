// Duty ranking pages (issue #6; the links of the ranking notices): /m/ranking/:period lists the
// published ranking of the signed-in regulator's or leader's jurisdiction (?region= narrows it);
// /m/ranking/:period/units/:id shows one unit: score, rank, each indicator, what to do, its
// earlier periods and its 提醒/约谈 steps. m.js (window.LG) signs in and hands over.
(function () {
  'use strict';
  var h = window.LG;
  h.run(function () {
    var el = h.el;
    var m = /^\/m\/ranking\/([^/]+)(?:\/units\/([^/]+))?\/?$/.exec(location.pathname);
    var period = m ? decodeURIComponent(m[1]) : '';
    var unitId = m && m[2] ? decodeURIComponent(m[2]) : '';
    var base = '/api/m/rankings/' + encodeURIComponent(period);
    function fail(err) {
      if (err.status === 404) return h.notice('暂无排名', err.message);
      if (err.status === 403) return h.notice('无权查看', err.message);
      if (err.status === 400) return h.notice('链接有误', err.message);
      throw err;
    }
    function num(x) {
      return (Math.round(x * 100) / 100).toString();
    }

    function renderUnit(r) {
      var head = el('div', 'card');
      var row = el('div', 'row');
      row.appendChild(el('span', 'title', r.unit.name));
      if (r.bottom) row.appendChild(h.tag('排名靠后', 'OVERDUE'));
      head.appendChild(row);
      head.appendChild(el('div', 'unit', r.periodLabel + ' · ' + r.group.regionName + ' · ' + r.group.categoryLabel));
      head.appendChild(el('div', 'score', '第 ' + r.rank + ' / ' + r.total + ' 名　' + num(r.score) + ' 分'));
      if (r.consecutiveBottom > 1)
        head.appendChild(el('div', 'deadline late', '已连续 ' + r.consecutiveBottom + ' 期排名靠后'));
      var dl = el('dl');
      r.indicators.forEach(function (i) {
        var box = el('div');
        box.appendChild(el('div', '', num(i.points) + ' / ' + num(i.max) + ' 分'));
        if (i.advice) box.appendChild(el('div', 'deadline late', '建议：' + i.advice));
        h.field(dl, i.name, box);
      });
      var parts = [head, dl];
      if (r.history.length > 1) {
        var hist = el('dl');
        r.history.forEach(function (x) {
          h.field(
            hist,
            x.periodLabel,
            '第 ' + x.rank + ' / ' + x.total + ' 名，' + num(x.score) + ' 分' + (x.bottom ? '（靠后）' : ''),
          );
        });
        parts.push(el('h2', 'chart-title', '历次排名'), hist);
      }
      if (r.actions.length) {
        var acts = el('dl');
        r.actions.forEach(function (a) {
          var text = a.reason + '（' + a.statusLabel + (a.declineReason ? '：' + a.declineReason : '') + '）';
          var value = el('div', '', text);
          if (a.interviewId) {
            var link = el('a', '', '查看约谈');
            link.href = '/m/interviews/' + encodeURIComponent(a.interviewId);
            value.appendChild(el('br'));
            value.appendChild(link);
          }
          h.field(acts, a.period + ' ' + a.kindLabel, value);
        });
        parts.push(el('h2', 'chart-title', '提醒与约谈'), acts);
      }
      h.show.apply(null, parts);
    }

    function renderList(r) {
      if (r.items.length === 0) return h.notice('暂无排名', '本期排名尚未发布，或辖区内没有参与排名的单位。');
      var list = el('div', 'list');
      list.appendChild(
        el('div', 'muted', '共 ' + r.total + ' 家单位（按县区、单位类别和名次排列，显示前 ' + r.items.length + ' 家）'),
      );
      r.items.forEach(function (x) {
        var a = el('a', 'card');
        a.href = base.replace('/api/m/rankings/', '/m/ranking/') + '/units/' + encodeURIComponent(x.unitId);
        var row = el('div', 'row');
        row.appendChild(el('span', 'title', x.unitName));
        if (x.bottom) row.appendChild(h.tag('靠后', 'OVERDUE'));
        a.appendChild(row);
        a.appendChild(
          el('div', 'unit', x.regionName + ' · 第 ' + x.rank + ' / ' + x.total + ' 名　' + num(x.score) + ' 分'),
        );
        list.appendChild(a);
      });
      h.show(list);
    }

    if (unitId) return h.api('GET', base + '/units/' + encodeURIComponent(unitId)).then(renderUnit, fail);
    var region = new URLSearchParams(location.search).get('region');
    return h
      .api('GET', base + '?limit=200' + (region ? '&region=' + encodeURIComponent(region) : ''))
      .then(renderList, fail);
  });
})();
