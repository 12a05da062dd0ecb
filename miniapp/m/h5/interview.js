// Interview page (/m/interviews/:id; the summons card links here): time, place, reason, materials,
// who confirmed, the outcome and the follow-up tasks. The unit's legal representative or manager
// marks a task done; the regulator records the outcome (约谈纪要 and commitments with deadlines).
// m.js (window.LG) signs in and hands over.
(function () {
  'use strict';
  var h = window.LG;
  h.run(function () {
    var el = h.el;
    var m = /^\/m\/interviews\/([^/]+)\/?$/.exec(location.pathname);
    var id = m ? decodeURIComponent(m[1]) : '';
    var base = '/api/m/interviews/' + encodeURIComponent(id);

    function button(text, cls, onClick) {
      var b = el('button', 'btn ' + cls, text);
      b.type = 'button';
      b.addEventListener('click', onClick);
      return b;
    }

    function outcomeForm() {
      var box = el('form', 'actions');
      box.noValidate = true;
      box.addEventListener('submit', function (e) {
        e.preventDefault();
      });
      box.appendChild(el('h2', 'chart-title', '登记约谈结果'));
      var record = el('textarea', 'comment');
      record.name = 'record';
      record.maxLength = 2000;
      box.appendChild(h.formField('约谈纪要', record, '约谈情况、单位表态'));
      var rows = el('div', 'list');
      var n = 0;
      function addRow() {
        n++;
        var r = el('div', 'commitment');
        var text = el('input', 'text');
        text.name = 'commitments';
        text.maxLength = 200;
        var due = el('input', 'pick');
        due.type = 'date';
        r.appendChild(h.formField('整改承诺 ' + n, text));
        r.appendChild(h.formField('承诺完成日期 ' + n, due));
        rows.appendChild(r);
      }
      addRow();
      box.appendChild(rows);
      box.appendChild(button('增加一项承诺', 'normal', addRow));
      var err = el('div', 'form-error');
      err.setAttribute('role', 'alert');
      box.appendChild(err);
      box.appendChild(
        button('登记约谈结果', 'primary', function () {
          if (!record.value.trim()) return h.showErrors(box, [{ path: 'record', message: '请填写约谈纪要' }]);
          var commitments = [];
          Array.prototype.forEach.call(rows.childNodes, function (r) {
            var inputs = r.getElementsByTagName('input');
            if (inputs[0].value.trim())
              commitments.push({
                text: inputs[0].value.trim(),
                dueAt: inputs[1].value ? inputs[1].value + 'T18:00:00+08:00' : '',
              });
          });
          h.api('POST', base + '/outcome', { record: record.value, commitments: commitments }).then(
            function () {
              load('约谈结果已登记');
            },
            function (e) {
              h.formFailed(box, e);
            },
          );
        }),
      );
      return box;
    }

    function render(iv, message, kind) {
      document.title = '雷卫 · ' + iv.unit.name + ' · 约谈';
      var head = el('div', 'card');
      var row = el('div', 'row');
      row.appendChild(el('h2', 'title subject chart-title', iv.unit.name));
      row.appendChild(h.tag(iv.statusLabel, iv.status));
      head.appendChild(row);
      head.appendChild(el('div', 'unit', '约谈时间 ' + h.fmtTime(iv.scheduledAt) + '　地点 ' + iv.place));
      var dl = el('dl');
      h.field(dl, '约谈事由', iv.reason);
      h.field(dl, '约谈机关', iv.host);
      h.field(dl, '联系人', iv.contact);
      h.field(dl, '需携带材料', iv.materials.join('；'));
      h.field(dl, '确认参加', iv.confirmedBy.length ? iv.confirmedBy.join('、') : '尚未确认');
      h.field(dl, '改期理由', iv.rescheduleReason);
      h.field(dl, '约谈纪要', iv.record);
      var parts = [head, dl];
      if (iv.tasks.length) {
        var tasks = el('dl');
        iv.tasks.forEach(function (t) {
          var box = el('div');
          box.appendChild(
            el(
              'div',
              'deadline' + (t.late ? ' late' : ''),
              t.doneAt
                ? '已完成 ' + h.fmtTime(t.doneAt) + (t.note ? '：' + t.note : '')
                : '期限 ' + h.fmtTime(t.dueAt) + (t.late ? '（已逾期）' : ''),
            ),
          );
          if (t.canComplete) {
            box.appendChild(
              button('已完成', 'primary', function () {
                h.api('POST', '/api/m/interview-tasks/' + encodeURIComponent(t.id) + '/done', {}).then(
                  function (r) {
                    load(r.closed ? '整改承诺已全部完成，约谈已办结' : '已办结该项');
                  },
                  function (err) {
                    load(err.message, 'error');
                  },
                );
              }),
            );
          }
          h.field(tasks, t.text, box);
        });
        parts.push(el('h2', 'chart-title', '整改承诺'), tasks);
      }
      if (iv.canRecordOutcome) parts.push(outcomeForm());
      h.show.apply(null, parts);
      if (message) h.banner(message, kind);
    }

    function load(message, kind) {
      return h.api('GET', base).then(
        function (r) {
          render(r, message, kind);
        },
        function (err) {
          if (err.status === 404) return h.notice('未找到该约谈', err.message);
          if (err.status === 403) return h.notice('无权查看', err.message);
          throw err;
        },
      );
    }
    return load();
  });
})();
