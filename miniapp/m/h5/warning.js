// Lightning warning pages (issue #20). /m/warnings/:id is the one-tap 「收到」 page every work notice,
// DING and reminder of a warning opens (signed in by 免登): the warning first, the unit's
// precautions, one large 「收到」 button; the page remembers which message it was opened from
// (?from=) so the answer is recorded with it. /m/warnings/:id/record is the 叫应记录 for regulators:
// the figures, the units still silent first, each unit's calls, and the Excel export.
// m.js (window.LG) signs in and hands over.
(function () {
  'use strict';
  var h = window.LG;
  var page = document.body.getAttribute('data-page');
  var m = /^\/m\/warnings\/([^/]+)(\/record)?\/?$/.exec(location.pathname);
  var id = m ? decodeURIComponent(m[1]) : '';
  var base = '/api/m/warnings/' + encodeURIComponent(id);
  var from = new URLSearchParams(location.search).get('from') || 'MINIAPP';
  var el = h.el;

  function failed(err) {
    if (err.status === 404) return h.notice('未找到该预警', err.message);
    if (err.status === 403) return h.notice('无权查看', err.message);
    throw err;
  }

  function warningHead(w) {
    var head = el('div', 'card');
    head.appendChild(el('h2', 'title subject chart-title level-' + w.level.toLowerCase(), w.levelLabel));
    head.appendChild(el('div', 'unit', w.issuer + ' ' + h.fmtTime(w.issuedAt) + ' 发布'));
    var dl = el('dl');
    h.field(dl, '影响区域', w.regionNames.join('、'));
    h.field(dl, '有效期至', h.fmtTime(w.expiresAt));
    h.field(dl, '预警内容', w.text);
    head.appendChild(dl);
    return head;
  }

  function ackPage(message) {
    return h.api('GET', base).then(function (w) {
      document.title = '雷卫 · ' + w.levelLabel;
      var parts = [];
      if (w.unit) parts.push(el('p', 'subject', w.unit.name));
      parts.push(warningHead(w));
      if (w.unit) {
        parts.push(el('h2', 'chart-title', '请立即落实防范措施'));
        var list = el('ol', 'list');
        w.unit.precautions.forEach(function (p) {
          list.appendChild(el('li', '', p));
        });
        parts.push(list);
      }
      var state = w.ended || (w.unit && w.unit.answered);
      if (state) parts.push(el('p', 'notice-line', state));
      else if (w.unit) {
        var b = el('button', 'btn primary wide', '收到');
        b.type = 'button';
        b.addEventListener('click', function () {
          b.disabled = true;
          h.api('POST', base + '/ack', { from: from }).then(
            function (r) {
              return ackPage(r.alreadyAcknowledged ? '您已确认过，无需重复操作' : '已确认收到，请落实防范措施');
            },
            function (err) {
              b.disabled = false;
              h.banner(err.message, 'error');
            },
          );
        });
        parts.push(b);
      }
      h.show.apply(null, parts);
      if (message) h.banner(message);
    }, failed);
  }

  function unitRow(u) {
    var box = el('div', 'card');
    var row = el('div', 'row');
    row.appendChild(el('h3', 'title', u.name));
    row.appendChild(
      h.tag(u.answeredAt ? '已应答' : u.unreachable ? '无法送达' : '未应答', u.answeredAt ? 'CLOSED' : 'OVERDUE'),
    );
    box.appendChild(row);
    var dl = el('dl');
    h.field(dl, '首次通知', u.firstLine);
    h.field(dl, '无法送达原因', u.unreachable);
    h.field(dl, '已叫应至', u.lastCall + (u.calledAt ? '（' + h.fmtTime(u.calledAt) + '）' : ''));
    h.field(dl, '应答', u.answeredAt ? h.fmtTime(u.answeredAt) + ' ' + u.answeredBy + '，' + u.answeredVia : '');
    h.field(dl, '告知监管人员', u.regulatorToldAt ? h.fmtTime(u.regulatorToldAt) : '');
    box.appendChild(dl);
    if (u.calls.length) {
      var calls = el('ul', 'list');
      u.calls.forEach(function (c) {
        calls.appendChild(
          el(
            'li',
            '',
            h.fmtTime(c.at) +
              ' ' +
              c.call +
              '（' +
              c.channel +
              '）→ ' +
              c.to +
              '：' +
              c.status +
              (c.error ? '，' + c.error : ''),
          ),
        );
      });
      box.appendChild(calls);
    }
    return box;
  }

  function recordPage() {
    // Silent units first (urgent first), then the rest.
    return Promise.all([
      h.api('GET', base + '/response-record?silent=true&pageSize=200'),
      h.api('GET', base + '/response-record?pageSize=200'),
    ]).then(function (res) {
      var silent = res[0];
      var all = res[1];
      var s = all.summary;
      document.title = '雷卫 · 叫应记录';
      var head = el('div', 'card');
      head.appendChild(el('h2', 'title subject chart-title', all.warning.level + '（' + all.warning.status + '）'));
      head.appendChild(el('div', 'unit', all.warning.issuer + ' ' + h.fmtTime(all.warning.issuedAt) + ' 发布'));
      var dl = el('dl');
      h.field(dl, '覆盖重点单位', s.units + ' 家');
      h.field(dl, '已送达', s.reached + ' 家');
      h.field(dl, '已应答', s.answered + ' 家');
      h.field(dl, '未应答', s.silent + ' 家');
      h.field(dl, '无法送达', s.unreachable + ' 家');
      h.field(dl, '已告知监管人员', s.regulatorTold + ' 家');
      h.field(dl, '叫应步骤', all.warning.ladder.join('；'));
      head.appendChild(dl);
      // The session cookie goes with a plain link, so the download needs no script.
      var xlsx = el('a', 'btn normal wide', '导出 Excel');
      xlsx.href = base + '/response-record.xlsx';
      xlsx.setAttribute('download', '');
      var parts = [head, xlsx];
      var rest = all.units.filter(function (u) {
        return u.answeredAt;
      });
      if (silent.units.length) parts.push(el('h2', 'chart-title', '未应答单位（' + silent.total + ' 家）'));
      silent.units.forEach(function (u) {
        parts.push(unitRow(u));
      });
      if (rest.length) parts.push(el('h2', 'chart-title', '已应答单位'));
      rest.forEach(function (u) {
        parts.push(unitRow(u));
      });
      h.show.apply(null, parts);
    }, failed);
  }

  h.run(function () {
    return page === 'warning-record' ? recordPage() : ackPage();
  });
})();
