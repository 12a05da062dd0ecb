// 「我的审批」 (/m/approvals, issue #21): the approvals waiting for me, grouped by kind, where several
// of one kind (e.g. 整改延期) can be approved or rejected at once — each is then decided on its own
// and the page says what happened to each; below, what I applied for. Regulators and leaders also
// reach 「委托审批」 from here.
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;

  function dueText(a) {
    var s = a.currentStep;
    if (!s || !s.dueDate) return '';
    var left = s.workingDaysLeft;
    return (
      '办理时限 ' +
      s.dueDate +
      (left < 0 ? '（已超期 ' + -left + ' 个工作日）' : left === 0 ? '（今天到期）' : '（剩余 ' + left + ' 个工作日）')
    );
  }

  /** One kind's pending approvals with check boxes and the batch buttons. */
  function group(items, reload) {
    var form = el('form', 'actions');
    form.noValidate = true;
    form.addEventListener('submit', function (e) {
      e.preventDefault();
    });
    var set = el('fieldset', 'item');
    set.setAttribute('data-field', 'approvalIds');
    set.appendChild(el('legend', '', items[0].definitionName + '：' + items.length + ' 项待审批'));
    items.forEach(function (a) {
      var label = el('label', 'check');
      var box = el('input');
      box.type = 'checkbox';
      box.name = 'approvalIds';
      box.value = a.id;
      label.appendChild(box);
      var text = el('span', '');
      text.appendChild(el('span', 'subject', a.title));
      text.appendChild(document.createTextNode('　' + (a.currentStep ? a.currentStep.name : '') + '　' + dueText(a)));
      label.appendChild(text);
      set.appendChild(label);
      var open = el('a', 'pill', '查看「' + a.title + '」详情');
      open.href = '/m/approvals/' + encodeURIComponent(a.id);
      set.appendChild(open);
    });
    set.appendChild(el('span', 'field-error'));
    form.appendChild(set);
    var comment = el('textarea', 'comment');
    comment.name = 'comment';
    comment.maxLength = 300;
    form.appendChild(LG.formField('审批意见', comment, '驳回时必填；同一意见用于所选各项'));
    var err = el('div', 'form-error');
    err.setAttribute('role', 'alert');
    form.appendChild(err);
    function send(decision) {
      var ids = Array.prototype.map.call(form.querySelectorAll('input[name="approvalIds"]:checked'), function (c) {
        return c.value;
      });
      var problems = [];
      if (!ids.length) problems.push({ path: 'approvalIds', message: '请至少选择一项审批' });
      if (decision === 'REJECT' && !comment.value.trim())
        problems.push({ path: 'comment', message: '驳回时必须填写审批意见' });
      if (problems.length) return LG.showErrors(form, problems);
      var body = { approvalIds: ids, decision: decision, comment: comment.value || undefined };
      LG.api('POST', '/api/m/approvals/batch', body).then(
        function (r) {
          var ok = r.items.filter(function (x) {
            return x.ok;
          }).length;
          var titles = {};
          items.forEach(function (a) {
            titles[a.id] = a.title;
          });
          var failed = r.items
            .filter(function (x) {
              return !x.ok;
            })
            .map(function (x) {
              return '「' + (titles[x.approvalId] || '') + '」未办理：' + x.message;
            });
          var verb = decision === 'APPROVE' ? '同意' : '驳回';
          reload(
            '已' + verb + ' ' + ok + ' 项' + (failed.length ? '；' + failed.join('；') : ''),
            failed.length ? 'error' : 'ok',
          );
        },
        function (e2) {
          LG.formFailed(form, e2);
        },
      );
    }
    var approve = el('button', 'btn primary', '同意所选');
    approve.type = 'button';
    approve.addEventListener('click', function () {
      send('APPROVE');
    });
    var reject = el('button', 'btn danger', '驳回所选');
    reject.type = 'button';
    reject.addEventListener('click', function () {
      send('REJECT');
    });
    form.appendChild(approve);
    form.appendChild(reject);
    return form;
  }

  function render(message, kind) {
    return Promise.all([
      LG.api('GET', '/api/m/approvals?role=approver&limit=100'),
      LG.api('GET', '/api/m/approvals?role=applicant&limit=20'),
      LG.api('GET', '/api/m/me'),
    ]).then(function (r) {
      var parts = [];
      var roles = r[2].person.roles || [];
      if (roles.indexOf('REGULATOR') >= 0 || roles.indexOf('LEADER') >= 0) {
        var nav = el('nav', 'nav');
        nav.setAttribute('aria-label', '审批');
        var d = el('a', 'pill', '委托审批');
        d.href = '/m/delegations';
        nav.appendChild(d);
        parts.push(nav);
      }
      var mine = r[0].items.filter(function (a) {
        return a.myTurn;
      });
      parts.push(el('h2', 'chart-title', '待我审批（' + mine.length + ' 项）'));
      if (!mine.length) parts.push(el('p', 'muted', '目前没有等待您审批的事项。'));
      var byKind = {};
      mine.forEach(function (a) {
        (byKind[a.definitionKey] = byKind[a.definitionKey] || []).push(a);
      });
      Object.keys(byKind).forEach(function (k) {
        parts.push(group(byKind[k], render));
      });
      var applied = r[1].items;
      if (applied.length) {
        parts.push(el('h2', 'chart-title', '我的申请'));
        var list = el('div', 'list');
        applied.forEach(function (a) {
          var card = el('a', 'card task approval');
          card.href = '/m/approvals/' + encodeURIComponent(a.id);
          var row = el('div', 'row');
          row.appendChild(el('span', 'title subject', a.title));
          row.appendChild(LG.tag(a.statusLabel, a.status));
          card.appendChild(row);
          card.appendChild(
            el('div', '', a.definitionName + (a.currentStep ? '　当前环节：' + a.currentStep.name : '')),
          );
          list.appendChild(card);
        });
        parts.push(list);
      }
      LG.show.apply(null, parts);
      if (message) LG.banner(message, kind);
    });
  }

  LG.run(function () {
    return render();
  });
})();
