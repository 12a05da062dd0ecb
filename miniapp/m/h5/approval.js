// Approval detail page (/m/approvals/:id): the application's essentials, its steps and decisions,
// and what the signed-in person may do now (同意 / 驳回 with a comment / 转交 / 撤回 / 重新提交).
// m.js (window.LG) signs in and hands over.
(function () {
  'use strict';
  var h = window.LG;
  h.run(function () {
    var el = h.el;
    var m = /^\/m\/approvals\/([^/]+)\/?$/.exec(location.pathname);
    var id = m ? decodeURIComponent(m[1]) : '';
    var base = '/api/m/approvals/' + encodeURIComponent(id);
    var params = new URLSearchParams(location.search);

    function button(text, cls, onClick) {
      var b = el('button', 'btn ' + cls, text);
      b.type = 'button';
      b.addEventListener('click', onClick);
      return b;
    }
    function act(path, body) {
      return h.api('POST', base + path, body).then(
        function (r) {
          render(r.approval, '已提交');
        },
        function (err) {
          render(null, err.message);
        },
      );
    }

    function actions(a) {
      var box = el('div', 'actions');
      var step = a.currentStep;
      if (a.myTurn && step) {
        var comment = el('textarea', 'comment');
        comment.placeholder = '审批意见（驳回时必填）';
        comment.maxLength = 300;
        box.appendChild(comment);
        box.appendChild(
          button('同意', 'primary', function () {
            act('/decision', { stepId: step.id, decision: 'APPROVE', comment: comment.value || undefined });
          }),
        );
        box.appendChild(
          button('驳回', 'danger', function () {
            if (!comment.value.trim()) {
              comment.focus();
              comment.placeholder = '驳回时必须填写审批意见';
              return;
            }
            act('/decision', { stepId: step.id, decision: 'REJECT', comment: comment.value });
          }),
        );
        var pick = el('select', 'pick');
        pick.appendChild(el('option', '', '转交给…'));
        h.api('GET', base + '/transfer-candidates?stepId=' + encodeURIComponent(step.id)).then(
          function (r) {
            r.items.forEach(function (p) {
              var o = el('option', '', p.name);
              o.value = p.id;
              pick.appendChild(o);
            });
          },
          function () {
            pick.disabled = true;
          },
        );
        box.appendChild(pick);
        box.appendChild(
          button('转交', 'normal', function () {
            if (!pick.value || pick.selectedIndex === 0) {
              pick.focus();
              return;
            }
            act('/transfer', { stepId: step.id, toPersonId: pick.value, comment: comment.value || undefined });
          }),
        );
        if (params.get('action') === 'transfer')
          setTimeout(function () {
            pick.focus();
          }, 0);
      }
      if (a.canWithdraw)
        box.appendChild(
          button('撤回申请', 'danger', function () {
            act('/withdraw', {});
          }),
        );
      if (a.canResubmit)
        box.appendChild(
          button('重新提交', 'primary', function () {
            act('/resubmit', {});
          }),
        );
      return box.childNodes.length ? box : null;
    }

    function render(a, message) {
      if (!a) return load(message);
      var head = el('div', 'card');
      var row = el('div', 'row');
      row.appendChild(el('span', 'title', a.definitionName));
      row.appendChild(h.tag(a.statusLabel, a.status));
      head.appendChild(row);
      head.appendChild(el('div', 'unit', a.title));
      if (a.currentStep) {
        var left = a.currentStep.workingDaysLeft;
        var text =
          '当前环节：' +
          a.currentStep.name +
          (a.currentStep.dueDate
            ? '，办理时限 ' +
              a.currentStep.dueDate +
              (left < 0
                ? '（已超期 ' + -left + ' 个工作日）'
                : left === 0
                  ? '（今天到期）'
                  : '（剩余 ' + left + ' 个工作日）')
            : '');
        head.appendChild(el('div', 'deadline' + (left !== null && left < 0 ? ' late' : ''), text));
      }
      var dl = el('dl');
      h.field(dl, '申请人', a.applicant && a.applicant.name);
      h.field(dl, '提交时间', h.fmtTime(a.createdAt));
      a.fields.forEach(function (f) {
        h.field(dl, f.label, f.value);
      });
      if (a.attachments.length) {
        var ul = el('ul', 'acks');
        a.attachments.forEach(function (x) {
          var li = el('li');
          var link = el('a', '', x.name);
          link.href = x.url;
          li.appendChild(link);
          ul.appendChild(li);
        });
        h.field(dl, '附件', ul);
      }
      var steps = el('ol', 'steps');
      a.steps.forEach(function (s) {
        var li = el('li', 'step ' + s.status);
        li.appendChild(
          el('div', 'row', (s.round > 1 ? '第' + s.round + '次提交 · ' : '') + s.name + '　' + s.statusLabel),
        );
        if (s.status === 'ACTIVE')
          li.appendChild(
            el(
              'div',
              'muted',
              '审批人：' +
                s.assignees
                  .map(function (p) {
                    return p.name;
                  })
                  .join('、'),
            ),
          );
        s.decisions.forEach(function (d) {
          var who = d.person.name + ' ' + d.label + (d.transferTo ? ' 给 ' + d.transferTo.name : '');
          li.appendChild(el('div', 'decision', who + '　' + h.fmtTime(d.at) + (d.comment ? '：' + d.comment : '')));
        });
        steps.appendChild(li);
      });
      h.field(dl, '办理过程', steps);
      var parts = [head, dl];
      var box = actions(a);
      if (box) parts.push(box);
      if (message) parts.unshift(el('div', 'flash', message));
      h.show.apply(null, parts);
    }

    function load(message) {
      return h.api('GET', base).then(
        function (r) {
          render(r.approval, message);
        },
        function (err) {
          if (err.status === 404) return h.notice('未找到该审批', err.message);
          if (err.status === 403) return h.notice('无权查看', err.message);
          throw err;
        },
      );
    }
    return load();
  });
})();
