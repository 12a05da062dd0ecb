// Interview page (/m/interviews/:id; the summons card links here): time, place, reason, materials,
// who confirmed, the outcome and the follow-up tasks. The unit's legal representative or manager
// confirms attendance or asks to reschedule (as on the summons card) and marks a task done; the
// regulator answers a request to reschedule with a new time and place, and records the outcome
// (约谈纪要 and commitments with deadlines). The to-dos of these tasks open this page.
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

    // A form of buttons (never submitted by the browser), its errors shown by h.showErrors.
    function actionForm() {
      var f = el('form', 'actions');
      f.noValidate = true;
      f.addEventListener('submit', function (e) {
        e.preventDefault();
      });
      return f;
    }

    function textarea(name, max) {
      var t = el('textarea', 'comment');
      t.name = name;
      t.maxLength = max;
      return t;
    }

    function outcomeForm() {
      var box = actionForm();
      box.appendChild(el('h2', 'chart-title', '登记约谈结果'));
      var record = textarea('record', 2000);
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

    function respondBox(iv) {
      var box = actionForm();
      var err = el('div', 'form-error');
      err.setAttribute('role', 'alert');
      function post(path, payload, done) {
        h.api('POST', base + path, payload).then(
          function () {
            load(done);
          },
          function (e) {
            h.formFailed(box, e);
          },
        );
      }
      if (iv.canConfirm) {
        box.appendChild(
          button('确认参加', 'primary', function () {
            post('/confirm', {}, '已确认参加');
          }),
        );
      }
      if (iv.canRequestReschedule) {
        var reason = textarea('reason', 200);
        box.appendChild(h.formField('改期理由', reason, '如无法按时参加，请说明理由'));
        box.appendChild(
          button('申请改期', 'normal', function () {
            post('/reschedule-request', { reason: reason.value }, '已申请改期，等待执法人员重新安排');
          }),
        );
      }
      if (iv.canReschedule) {
        box.appendChild(el('h2', 'chart-title', '重新安排约谈'));
        var time = el('input', 'pick');
        time.type = 'datetime-local';
        time.name = 'time';
        var place = el('input', 'text');
        place.name = 'place';
        place.maxLength = 60;
        place.value = iv.place;
        box.appendChild(h.formField('约谈时间', time));
        box.appendChild(h.formField('约谈地点', place));
        box.appendChild(
          button('重新安排并通知单位', 'primary', function () {
            if (!time.value) return h.showErrors(box, [{ path: 'time', message: '请填写约谈时间' }]);
            post('/reschedule', { time: time.value + ':00+08:00', place: place.value }, '已重新安排约谈并通知单位');
          }),
        );
      }
      box.appendChild(err);
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
      if (iv.canConfirm || iv.canRequestReschedule || iv.canReschedule) parts.push(respondBox(iv));
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
