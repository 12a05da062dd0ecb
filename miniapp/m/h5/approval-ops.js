// The approval operations of issue #21 on the approval page (approval.js calls them): 退回 to an
// earlier step (pick which, comment required), 加签 before or after oneself (pick a colleague of the
// jurisdiction), 减签 of a pending signer one added, 催办 by the applicant; and the history lines
// that show them (the loop of a 退回, signers, delegations, the system's time-out actions, nudges).
// Each form posts to /api/m/approvals/:id/…, the same engine commands as the cards.
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;

  /** A radio group whose options are whole rows; `name` is the API field its errors come back under. */
  function radios(legend, name, options) {
    var box = el('fieldset', 'item');
    box.setAttribute('data-field', name);
    box.appendChild(el('legend', '', legend));
    var list = el('div', 'choices');
    options.forEach(function (o, i) {
      var label = el('label', 'choice');
      var input = el('input');
      input.type = 'radio';
      input.name = name;
      input.value = String(o.value);
      if (i === 0 && options.length === 1) input.checked = true;
      label.appendChild(input);
      label.appendChild(document.createTextNode(o.text));
      list.appendChild(label);
    });
    box.appendChild(list);
    var err = el('span', 'field-error');
    box.appendChild(err);
    return box;
  }
  /** A select of people loaded from `url` ({items: [{id, name}]}), named as the API field. */
  function peoplePick(name, url, placeholder, none) {
    var pick = el('select', 'pick');
    pick.name = name;
    pick.appendChild(el('option', '', placeholder));
    pick.firstChild.value = '';
    LG.api('GET', url).then(
      function (r) {
        r.items.forEach(function (p) {
          var o = el('option', '', p.name);
          o.value = p.id;
          pick.appendChild(o);
        });
        if (!r.items.length) pick.firstChild.textContent = none;
      },
      function () {
        pick.disabled = true;
      },
    );
    return pick;
  }
  function names(people) {
    return people
      .map(function (p) {
        return p.name;
      })
      .join('、');
  }
  function picked(form, name) {
    var c = form.querySelector('input[name="' + name + '"]:checked');
    return c ? c.value : '';
  }
  function formOf(title) {
    var form = el('form', 'actions');
    form.noValidate = true;
    form.appendChild(el('h2', 'chart-title', title));
    form.addEventListener('submit', function (e) {
      e.preventDefault();
    });
    return form;
  }
  function errorLine(form) {
    var err = el('div', 'form-error');
    err.setAttribute('role', 'alert');
    form.appendChild(err);
  }

  // 退回: the earlier steps of the definition, and why (required).
  function returnForm(a, step, ctx) {
    var form = formOf('退回到之前的环节');
    form.id = 'return';
    form.appendChild(
      radios(
        '退回到',
        'toIndex',
        a.returnTargets.map(function (s) {
          return { value: s.index, text: s.name };
        }),
      ),
    );
    var comment = el('textarea', 'comment');
    comment.name = 'comment';
    comment.maxLength = 300;
    form.appendChild(LG.formField('退回意见', comment, '必填：说明需要补充或重新办理什么'));
    errorLine(form);
    form.appendChild(
      ctx.button('退回', 'danger', function () {
        var problems = [];
        if (!picked(form, 'toIndex')) problems.push({ path: 'toIndex', message: '请选择要退回到的环节' });
        if (!comment.value.trim()) problems.push({ path: 'comment', message: '退回时必须填写意见' });
        if (problems.length) return LG.showErrors(form, problems);
        ctx.act(
          '/return',
          { stepId: step.id, toIndex: Number(picked(form, 'toIndex')), comment: comment.value },
          '已退回',
          form,
        );
      }),
    );
    return form;
  }

  // 加签: a colleague of the jurisdiction with the role the step allows, before or after oneself.
  function signerForm(step, ctx) {
    var form = formOf('加签');
    form.id = 'add-signer';
    var pick = peoplePick(
      'signerId',
      ctx.base + '/signer-candidates?stepId=' + encodeURIComponent(step.id),
      '请选择加签人',
      '没有可加签的人员',
    );
    form.appendChild(LG.formField('加签人', pick, '管辖范围内具有相应职责、尚未参与本环节的人员'));
    form.appendChild(
      radios('审批顺序', 'position', [
        { value: 'BEFORE', text: '在我之前审批（对方同意后再由我审批）' },
        { value: 'AFTER', text: '在我之后审批（我同意后再由对方审批）' },
      ]),
    );
    var comment = el('textarea', 'comment');
    comment.name = 'comment';
    comment.maxLength = 300;
    form.appendChild(LG.formField('说明', comment, '选填'));
    errorLine(form);
    form.appendChild(
      ctx.button('加签', 'normal', function () {
        var problems = [];
        if (!pick.value) problems.push({ path: 'signerId', message: '请选择加签人' });
        if (!picked(form, 'position')) problems.push({ path: 'position', message: '请选择在您之前还是之后审批' });
        if (problems.length) return LG.showErrors(form, problems);
        ctx.act(
          '/signers',
          {
            stepId: step.id,
            signerId: pick.value,
            position: picked(form, 'position'),
            comment: comment.value || undefined,
          },
          '已加签',
          form,
        );
      }),
    );
    return form;
  }

  /** Forms for what the viewer may do besides 同意/驳回/转交 (approval.js shows those). */
  function forms(a, ctx) {
    var out = [];
    var step = a.currentStep;
    if (a.myTurn && step && a.returnTargets.length) out.push(returnForm(a, step, ctx));
    if (a.myTurn && step && a.canAddSigner) out.push(signerForm(step, ctx));
    if (a.removableSigners.length) {
      var form = formOf('减签');
      a.removableSigners.forEach(function (s) {
        var when = s.position === 'BEFORE' ? '（在您之前审批）' : '（在您之后审批）';
        form.appendChild(
          ctx.button('减签：' + s.name + when, 'normal', function () {
            ctx.act('/signers/remove', { signerStepId: s.stepId }, '已减签 ' + s.name, form);
          }),
        );
      });
      errorLine(form);
      out.push(form);
    }
    if (a.canNudge || a.nudgedToday) {
      var nudge = formOf('催办');
      if (a.canNudge)
        nudge.appendChild(
          ctx.button('催办当前环节的审批人', 'primary', function () {
            ctx.act('/nudge', {}, '已催办，审批人会收到提醒', nudge);
          }),
        );
      else nudge.appendChild(el('p', 'muted', '今天已催办过，每个工作日只能催办一次'));
      errorLine(nudge);
      out.push(nudge);
    }
    var target = ctx.params.get('action');
    if (target === 'return' || target === 'add-signer')
      setTimeout(function () {
        var f = document.getElementById(target);
        var first = f && f.querySelector('input, select, textarea');
        if (first) first.focus();
      }, 0);
    return out;
  }

  /** The lines of one step for the history: its approvers, delegations, and every action on it. */
  function stepLines(s) {
    var lines = [];
    if (s.kindLabel) lines.push(el('div', 'muted', s.kindLabel));
    if (s.status === 'ACTIVE') lines.push(el('div', 'muted', '审批人：' + names(s.assignees)));
    s.delegations.forEach(function (d) {
      lines.push(el('div', 'muted', d.line));
    });
    if (s.escalatedTo.length) lines.push(el('div', 'deadline late', '已上报督办：' + names(s.escalatedTo)));
    s.decisions.forEach(function (d) {
      lines.push(el('div', 'decision', d.line));
    });
    return lines;
  }

  /** 催办 so far, one line each. */
  function nudgeLines(a) {
    if (!a.nudges.length) return null;
    var ul = el('ul', 'acks');
    a.nudges.forEach(function (n) {
      ul.appendChild(el('li', '', n.line));
    });
    return ul;
  }

  window.LGApprovalOps = { forms: forms, stepLines: stepLines, nudgeLines: nudgeLines, peoplePick: peoplePick };
})();
