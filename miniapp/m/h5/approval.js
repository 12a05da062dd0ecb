// Approval detail page (/m/approvals/:id): the application's essentials, its steps and decisions,
// and what the signed-in person may do now (同意 / 驳回 with a comment / 转交 / 撤回 / 重新提交; 退回,
// 加签, 减签 and 催办 from approval-ops.js).
// A rejected application shows the rejection reason at the top and can be edited (its essentials
// and attachments) before it is submitted again. m.js (window.LG) signs in and hands over.
(function () {
  'use strict';
  var h = window.LG;
  var ops = window.LGApprovalOps;
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
    function act(path, body, done, form) {
      return h.api('POST', base + path, body).then(
        function (r) {
          render(r.approval, done);
        },
        function (err) {
          if (form) return h.formFailed(form, err);
          render(null, err.message, 'error');
        },
      );
    }

    function actions(a) {
      var box = el('form', 'actions');
      box.noValidate = true;
      box.addEventListener('submit', function (e) {
        e.preventDefault();
      });
      var step = a.currentStep;
      if (a.myTurn && step) {
        var comment = el('textarea', 'comment');
        comment.name = 'comment';
        comment.maxLength = 300;
        box.appendChild(h.formField('审批意见', comment, '驳回时必填'));
        box.appendChild(
          button('同意', 'primary', function () {
            act(
              '/decision',
              { stepId: step.id, decision: 'APPROVE', comment: comment.value || undefined },
              '已同意',
              box,
            );
          }),
        );
        box.appendChild(
          button('驳回', 'danger', function () {
            if (!comment.value.trim())
              return h.showErrors(box, [
                { path: 'comment', message: '驳回时必须填写审批意见，说明需要补充或修改什么' },
              ]);
            act('/decision', { stepId: step.id, decision: 'REJECT', comment: comment.value }, '已驳回', box);
          }),
        );
        var pick = ops.peoplePick(
          'toPersonId',
          base + '/transfer-candidates?stepId=' + encodeURIComponent(step.id),
          '请选择同事',
          '没有可转交的同事',
        );
        box.appendChild(h.formField('转交给', pick, '同一辖区、同一角色的同事'));
        box.appendChild(
          button('转交', 'normal', function () {
            if (!pick.value) return h.showErrors(box, [{ path: 'toPersonId', message: '请选择要转交的同事' }]);
            act(
              '/transfer',
              { stepId: step.id, toPersonId: pick.value, comment: comment.value || undefined },
              '已转交',
              box,
            );
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
            act('/withdraw', {}, '申请已撤回', box);
          }),
        );
      if (a.canResubmit) return resubmitForm(a);
      var err = el('div', 'form-error');
      err.setAttribute('role', 'alert');
      box.appendChild(err);
      return box.querySelector('button') ? box : null;
    }

    // 重新提交: the essentials and attachments as submitted, editable, then a new round of steps.
    function resubmitForm(a) {
      var form = el('form', 'actions resubmit');
      form.noValidate = true;
      form.appendChild(el('h2', 'chart-title', '修改后重新提交'));
      var rows = el('div', 'list');
      var inputs = a.fields.map(function (f, i) {
        var input = el('textarea', 'note');
        input.name = 'fields.' + i;
        input.value = f.value;
        input.maxLength = 200;
        var box = h.formField(f.label, input);
        box.setAttribute('data-field', 'fields');
        rows.appendChild(box);
        return { label: f.label, input: input };
      });
      form.appendChild(rows);
      var kept = a.attachments.slice();
      var files = el('fieldset', 'item');
      files.appendChild(el('legend', '', '附件（可删除原附件或补充新附件）'));
      a.attachments.forEach(function (x, i) {
        var label = el('label', 'check');
        var box = el('input');
        box.type = 'checkbox';
        box.checked = true;
        box.addEventListener('change', function () {
          kept[i] = box.checked ? x : null;
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode('保留：' + x.name));
        files.appendChild(label);
      });
      form.appendChild(files);
      var extraName = el('input', 'text');
      extraName.name = 'attachmentName';
      extraName.maxLength = 60;
      form.appendChild(h.formField('新附件名称', extraName, '例如：接地装置平面图'));
      var photos = h.photoPicker('新附件（拍照或选择图片，可多张）', 'attachments');
      form.appendChild(photos.box);
      var err = el('div', 'form-error');
      err.setAttribute('role', 'alert');
      form.appendChild(err);
      var send = el('button', 'btn primary', '重新提交');
      send.type = 'submit';
      form.appendChild(send);
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var problems = [];
        inputs.forEach(function (f) {
          if (!f.input.value.trim()) problems.push({ path: 'fields', message: '请填写「' + f.label + '」' });
        });
        if (photos.pending > 0) problems.push({ path: 'attachments', message: '附件仍在上传，请稍候再提交' });
        if (photos.photos.length && !extraName.value.trim())
          problems.push({ path: 'attachmentName', message: '请填写新附件的名称' });
        if (problems.length) return h.showErrors(form, problems);
        var attachments = kept.filter(Boolean);
        photos.photos.forEach(function (p, i) {
          var name = extraName.value.trim() + (photos.photos.length > 1 ? '（' + (i + 1) + '）' : '');
          attachments.push({ name: name, url: p.url });
        });
        send.disabled = true;
        h.api('POST', base + '/resubmit', {
          data: {
            fields: inputs.map(function (f) {
              return { label: f.label, value: f.input.value.trim() };
            }),
            attachments: attachments,
          },
        }).then(
          function (r) {
            render(r.approval, '已重新提交，等待审批');
          },
          function (e2) {
            send.disabled = false;
            h.formFailed(form, e2);
          },
        );
      });
      return form;
    }

    /** The latest rejection's reason (who and when), for the top of a rejected application. */
    function rejection(a) {
      var last = null;
      a.steps.forEach(function (s) {
        s.decisions.forEach(function (d) {
          if (d.decision === 'REJECT' || /驳回/.test(d.label)) last = d;
        });
      });
      if (!last) return null;
      var box = el('div', 'reason');
      box.setAttribute('role', 'note');
      box.appendChild(el('strong', '', '驳回理由：' + (last.comment || '（未填写）')));
      box.appendChild(el('span', '', last.person.name + ' ' + h.fmtTime(last.at)));
      return box;
    }

    function render(a, message, kind) {
      if (!a) return load(message, kind);
      document.title = '雷卫 · ' + a.title;
      var head = el('div', 'card');
      head.appendChild(el('h2', 'subject chart-title', a.title));
      var row = el('div', 'row');
      row.appendChild(el('span', 'title', a.definitionName));
      row.appendChild(h.tag(a.statusLabel, a.status));
      head.appendChild(row);
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
        ops.stepLines(s).forEach(function (line) {
          li.appendChild(line);
        });
        steps.appendChild(li);
      });
      h.field(dl, '办理过程', steps);
      h.field(dl, '催办记录', ops.nudgeLines(a));
      var parts = [head, dl];
      var why = a.canResubmit ? rejection(a) : null;
      if (why) parts.unshift(why);
      var box = actions(a);
      if (box) parts.push(box);
      if (!a.canResubmit)
        parts.push.apply(parts, ops.forms(a, { base: base, act: act, button: button, params: params }));
      h.show.apply(null, parts);
      if (message) h.banner(message, kind);
    }

    function load(message, kind) {
      return h.api('GET', base).then(
        function (r) {
          render(r.approval, message, kind);
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
