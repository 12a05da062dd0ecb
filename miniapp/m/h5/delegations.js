// 「委托审批」 (/m/delegations, issue #21): while away, a regulator or leader names a colleague of
// their bureau with the same approver role for whole days; new approvals and verifications go to
// them meanwhile (tasks already received stay). Lists what was given and received, with 取消.
// Overlapping dates and loops (A → B → A) are refused by the service with the reason.
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;

  function today() {
    return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  }

  function form(candidates, reload) {
    var f = el('form', 'actions');
    f.noValidate = true;
    f.appendChild(el('h2', 'chart-title', '新增委托'));
    var pick = el('select', 'pick');
    pick.name = 'toPersonId';
    pick.appendChild(el('option', '', candidates.length ? '请选择受托人' : '本机构没有可委托的同事'));
    pick.firstChild.value = '';
    candidates.forEach(function (p) {
      var o = el('option', '', p.name);
      o.value = p.id;
      pick.appendChild(o);
    });
    f.appendChild(LG.formField('受托人', pick, '本机构内具有相同审批职责的同事'));
    var starts = el('input', 'text');
    starts.type = 'date';
    starts.name = 'startsOn';
    starts.value = today();
    f.appendChild(LG.formField('开始日期', starts));
    var ends = el('input', 'text');
    ends.type = 'date';
    ends.name = 'endsOn';
    f.appendChild(LG.formField('结束日期', ends, '含当天，最长 90 天'));
    var reason = el('input', 'text');
    reason.name = 'reason';
    reason.maxLength = 100;
    f.appendChild(LG.formField('事由', reason, '选填，如：外出培训'));
    var err = el('div', 'form-error');
    err.setAttribute('role', 'alert');
    f.appendChild(err);
    var send = el('button', 'btn primary', '委托');
    send.type = 'submit';
    f.appendChild(send);
    f.addEventListener('submit', function (e) {
      e.preventDefault();
      var problems = [];
      if (!pick.value) problems.push({ path: 'toPersonId', message: '请选择受托人' });
      if (!starts.value) problems.push({ path: 'startsOn', message: '请选择开始日期' });
      if (!ends.value) problems.push({ path: 'endsOn', message: '请选择结束日期' });
      if (problems.length) return LG.showErrors(f, problems);
      send.disabled = true;
      LG.api('POST', '/api/m/delegations', {
        toPersonId: pick.value,
        startsOn: starts.value,
        endsOn: ends.value,
        reason: reason.value || undefined,
      }).then(
        function (r) {
          reload('已委托 ' + r.delegation.to.name + '（' + r.delegation.startsOn + ' 至 ' + r.delegation.endsOn + '）');
        },
        function (e2) {
          send.disabled = false;
          LG.formFailed(f, e2);
        },
      );
    });
    return f;
  }

  function list(title, items, mine, reload) {
    var box = el('section', '');
    box.appendChild(el('h2', 'chart-title', title));
    if (!items.length) {
      box.appendChild(el('p', 'muted', '暂无'));
      return box;
    }
    var ul = el('div', 'list');
    items.forEach(function (d) {
      var card = el('div', 'card');
      var row = el('div', 'row');
      row.appendChild(el('span', 'title', mine ? '委托给 ' + d.to.name : d.from.name + ' 委托给我'));
      row.appendChild(LG.tag(d.stateLabel, d.cancellable ? 'ACTIVE' : 'CLOSED'));
      card.appendChild(row);
      card.appendChild(el('div', '', d.startsOn + ' 至 ' + d.endsOn + (d.reason ? '　' + d.reason : '')));
      if (mine && d.cancellable) {
        var b = el('button', 'btn danger', '取消委托给 ' + d.to.name + ' 的审批');
        b.type = 'button';
        b.addEventListener('click', function () {
          b.disabled = true;
          LG.api('POST', '/api/m/delegations/cancel', { delegationId: d.id }).then(
            function () {
              reload('已取消委托');
            },
            function (e) {
              b.disabled = false;
              LG.banner(e.message, 'error');
            },
          );
        });
        card.appendChild(b);
      }
      ul.appendChild(card);
    });
    box.appendChild(ul);
    return box;
  }

  function render(message, kind) {
    return Promise.all([LG.api('GET', '/api/m/delegations'), LG.api('GET', '/api/m/delegations/candidates')]).then(
      function (r) {
        LG.show(
          el('p', 'muted', '委托期间，新的审批和整改复核任务交给受托人；已收到的任务仍由本人办理。'),
          form(r[1].items, render),
          list('我委托的', r[0].given, true, render),
          list('委托给我的', r[0].received, false, render),
        );
        if (message) LG.banner(message, kind);
      },
      function (err) {
        if (err.status === 403) return LG.notice('无法委托', '只有执法人员和分管领导可以委托他人审批。');
        throw err;
      },
    );
  }

  LG.run(function () {
    return render();
  });
})();
