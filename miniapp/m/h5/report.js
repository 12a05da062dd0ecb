// Test report page (/m/reports/:id), linked from the anomaly and spot-check notices: the report's
// essentials, the anomaly hits with their evidence, and for a regulator the review: which hits
// hold (confirmed hits count in the agency's credit) and the QX/T 317 quality result.
// m.js (window.LG) signs in and hands over.
(function () {
  'use strict';
  var h = window.LG;
  h.run(function () {
    var el = h.el;
    var m = /^\/m\/reports\/([^/]+)\/?$/.exec(location.pathname);
    var id = m ? decodeURIComponent(m[1]) : '';
    var base = '/api/m/test-reports/' + encodeURIComponent(id);
    var QUALITY = [
      ['PASS', '合格'],
      ['MINOR', '一般不合格'],
      ['SERIOUS', '严重不合格'],
    ];

    function review(r) {
      var form = el('div', 'actions');
      var boxes = r.anomalies.map(function (a) {
        var label = el('label', 'check');
        var box = el('input');
        box.type = 'checkbox';
        box.value = a.code;
        box.checked = a.confirmed === true;
        label.appendChild(box);
        label.appendChild(document.createTextNode(' 【' + a.code + '】属实'));
        form.appendChild(label);
        return box;
      });
      var pick = el('select', 'pick');
      QUALITY.forEach(function (q) {
        var o = el('option', '', '质量考核：' + q[1]);
        o.value = q[0];
        o.selected = r.qualityResult === q[0];
        pick.appendChild(o);
      });
      form.appendChild(pick);
      var send = el('button', 'btn primary', r.status === 'REVIEWED' ? '更新核查结论' : '提交核查结论');
      send.type = 'button';
      send.addEventListener('click', function () {
        var confirmed = boxes
          .filter(function (b) {
            return b.checked;
          })
          .map(function (b) {
            return b.value;
          });
        h.api('POST', base + '/review', { confirmed: confirmed, qualityResult: pick.value }).then(
          function () {
            load('核查结论已记录');
          },
          function (err) {
            load(err.message);
          },
        );
      });
      form.appendChild(send);
      return form;
    }

    function render(r, message) {
      var head = el('div', 'card');
      var row = el('div', 'row');
      row.appendChild(el('span', 'title', '报告 ' + r.reportNo));
      row.appendChild(h.tag(r.statusLabel, r.status));
      head.appendChild(row);
      head.appendChild(el('div', 'unit', r.unit.name));
      if (r.spotCheck) head.appendChild(el('div', 'deadline', '本报告按检测机构信用等级被抽中，请开展质量考核'));
      var dl = el('dl');
      h.field(dl, '检测机构', r.agency.name + '（' + r.agency.level + '，信用 ' + r.agency.creditLabel + '）');
      h.field(dl, '检测人员', r.testers.join('、'));
      h.field(dl, '检测日期', r.inspectionDate);
      h.field(dl, '出具日期', r.issueDate);
      h.field(dl, '上传时间', h.fmtTime(r.uploadedAt));
      h.field(dl, '报告结论', r.conclusionLabel);
      if (r.qualityLabel) h.field(dl, '质量考核', r.qualityLabel);
      if (r.file) h.field(dl, '报告文件', r.file.name);
      var hits = el('ol', 'steps');
      r.anomalies.forEach(function (a) {
        var li = el('li', 'step');
        li.appendChild(
          el(
            'div',
            'row',
            '【' +
              a.code +
              '】' +
              a.rule +
              (a.confirmed === true ? '　已核实' : a.confirmed === false ? '　未核实' : ''),
          ),
        );
        li.appendChild(el('div', 'muted', a.message));
        hits.appendChild(li);
      });
      h.field(dl, '异常核查', r.anomalies.length ? hits : '未发现异常');
      var parts = [head, dl];
      if (r.canReview) parts.push(review(r));
      if (message) parts.unshift(el('div', 'flash', message));
      h.show.apply(null, parts);
    }

    function load(message) {
      return h.api('GET', base).then(
        function (res) {
          render(res.report, message);
        },
        function (err) {
          if (err.status === 404) return h.notice('未找到该检测报告', err.message);
          if (err.status === 403) return h.notice('无权查看', err.message);
          throw err;
        },
      );
    }
    return load();
  });
})();
