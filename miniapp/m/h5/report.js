// Test report page (/m/reports/:id), linked from the anomaly and spot-check notices: the report's
// essentials and its file (a link), every measurement with the limit it was judged against (failed
// ones in red, in words), and for a regulator the review: each anomaly finding with its evidence and
// its own 「属实」 box (confirmed hits count in the agency's credit), and the QX/T 317 quality result,
// which the regulator chooses (nothing is preset). m.js (window.LG) signs in and hands over.
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

    function num(x) {
      return x === null || x === undefined ? '—' : String(x);
    }

    function measurements(list) {
      var table = el('table', 'data measurements');
      table.appendChild(el('caption', '', '检测数据（共 ' + list.length + ' 项）'));
      var head = el('tr');
      ['项目与位置', '测量值', '限值', '判定'].forEach(function (t, i) {
        var th = el('th', i === 1 || i === 2 ? 'num' : '', t);
        th.scope = 'col';
        head.appendChild(th);
      });
      var thead = el('thead');
      thead.appendChild(head);
      table.appendChild(thead);
      var body = el('tbody');
      list.forEach(function (x) {
        var tr = el('tr', 'measure' + (x.pass ? '' : ' bad'));
        tr.appendChild(el('td', '', x.item + '（' + x.location + '）'));
        tr.appendChild(el('td', 'num', num(x.value) + ' ' + x.unit));
        tr.appendChild(el('td', 'num', x.limit === null ? '未注明' : '≤ ' + x.limit + ' ' + x.unit));
        tr.appendChild(el('td', x.pass ? '' : 'bad', x.pass ? '合格' : '不合格'));
        body.appendChild(tr);
      });
      table.appendChild(body);
      return table;
    }

    // The review: each finding beside its evidence with its own box, then the quality result.
    function review(r) {
      var form = el('form', 'actions review');
      form.noValidate = true;
      form.appendChild(el('h2', 'chart-title', '核查结论'));
      var boxes = [];
      if (r.anomalies.length) {
        var set = el('fieldset', 'item');
        set.appendChild(el('legend', '', '逐项核实异常（勾选属实的）'));
        r.anomalies.forEach(function (a) {
          var row = el('div', 'finding');
          var label = el('label', 'check');
          var box = el('input');
          box.type = 'checkbox';
          box.value = a.code;
          box.checked = a.confirmed === true;
          label.appendChild(box);
          var text = el('span');
          text.appendChild(el('strong', '', a.rule + ' 属实'));
          text.appendChild(el('span', 'muted', '　规则 ' + a.code));
          label.appendChild(text);
          row.appendChild(label);
          row.appendChild(el('div', '', '依据：' + a.message));
          set.appendChild(row);
          boxes.push(box);
        });
        form.appendChild(set);
      }
      var quality = el('fieldset', 'item');
      quality.setAttribute('data-field', 'qualityResult');
      quality.appendChild(el('legend', '', '质量考核结果（必选）'));
      var choices = el('div', 'choices');
      var radios = QUALITY.map(function (q) {
        var label = el('label', 'choice');
        var radio = el('input');
        radio.type = 'radio';
        radio.name = 'qualityResult';
        radio.value = q[0];
        radio.checked = r.status === 'REVIEWED' && r.qualityResult === q[0];
        label.appendChild(radio);
        label.appendChild(document.createTextNode(q[1]));
        choices.appendChild(label);
        return radio;
      });
      quality.appendChild(choices);
      var qErr = el('span', 'field-error');
      quality.appendChild(qErr);
      form.appendChild(quality);
      var err = el('div', 'form-error');
      err.setAttribute('role', 'alert');
      form.appendChild(err);
      var send = el('button', 'btn primary', r.status === 'REVIEWED' ? '更新核查结论' : '提交核查结论');
      send.type = 'submit';
      form.appendChild(send);
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var chosen = radios.filter(function (x) {
          return x.checked;
        })[0];
        if (!chosen) return h.showErrors(form, [{ path: 'qualityResult', message: '请选择质量考核结果' }]);
        var confirmed = boxes
          .filter(function (b) {
            return b.checked;
          })
          .map(function (b) {
            return b.value;
          });
        send.disabled = true;
        h.api('POST', base + '/review', { confirmed: confirmed, qualityResult: chosen.value }).then(
          function () {
            load('核查结论已记录');
          },
          function (e2) {
            send.disabled = false;
            h.formFailed(form, e2);
          },
        );
      });
      return form;
    }

    function render(r, message) {
      document.title = '雷卫 · ' + r.unit.name + ' · 检测报告';
      var head = el('div', 'card');
      head.appendChild(el('h2', 'subject chart-title', r.unit.name));
      var row = el('div', 'row');
      row.appendChild(el('span', 'title', '检测报告 ' + r.reportNo));
      row.appendChild(h.tag(r.statusLabel, r.status));
      head.appendChild(row);
      if (r.spotCheck) head.appendChild(el('div', 'deadline', '本报告按检测机构信用等级被抽中，请开展质量考核'));
      var dl = el('dl');
      h.field(dl, '检测机构', r.agency.name + '（' + r.agency.level + '，信用 ' + r.agency.creditLabel + '）');
      h.field(dl, '检测人员', r.testers.join('、'));
      h.field(dl, '检测日期', r.inspectionDate);
      h.field(dl, '出具日期', r.issueDate);
      h.field(dl, '上传时间', h.fmtTime(r.uploadedAt));
      h.field(dl, '报告结论', r.conclusionLabel);
      if (r.qualityLabel) h.field(dl, '质量考核', r.qualityLabel);
      if (r.file) {
        var link = el('a', 'pill', '查看报告文件：' + r.file.name);
        link.href = r.file.url;
        link.target = '_blank';
        link.rel = 'noopener';
        h.field(dl, '报告文件', link);
      }
      var parts = [head, dl];
      if (r.measurements.length) {
        var box = el('section', 'card');
        box.appendChild(measurements(r.measurements));
        parts.push(box);
      }
      if (!r.canReview) {
        var hits = el('ol', 'steps');
        r.anomalies.forEach(function (a) {
          var li = el('li', 'step');
          var state = a.confirmed === true ? '（已核实属实）' : a.confirmed === false ? '（核实不属实）' : '（待核实）';
          li.appendChild(el('div', 'row', a.rule + state));
          li.appendChild(el('div', '', '依据：' + a.message));
          hits.appendChild(li);
        });
        h.field(dl, '异常核查', r.anomalies.length ? hits : '未发现异常');
      } else parts.push(review(r));
      h.show.apply(null, parts);
      if (message) h.banner(message);
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
