// Testing plans (检测计划, issue #22) for a testing agency's staff: /m/test-plans files a plan (unit,
// date, testers, installations; each refusal shown next to its field) and lists the agency's plans;
// /m/test-plans/:id shows one plan with its field record and report, and starts the on-site scan.
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;

  // A group of whole-row check boxes under one legend, with its error slot (data-field = name).
  function checks(legend, name, options) {
    var box = el('fieldset', 'group');
    box.setAttribute('data-field', name);
    box.appendChild(el('legend', '', legend));
    var inputs = options.map(function (o) {
      var row = el('label', 'check');
      var input = el('input');
      input.type = 'checkbox';
      input.name = name;
      input.value = o.value;
      row.appendChild(input);
      row.appendChild(el('span', '', o.text));
      if (o.sub) row.appendChild(el('span', o.bad ? 'bad' : 'sub', o.sub));
      box.appendChild(row);
      return input;
    });
    box.appendChild(el('span', 'field-error'));
    return {
      box: box,
      values: function () {
        return inputs
          .filter(function (i) {
            return i.checked;
          })
          .map(function (i) {
            return i.value;
          });
      },
    };
  }

  function facts(pairs) {
    var dl = el('dl');
    pairs.forEach(function (p) {
      LG.field(dl, p[0], p[1]);
      if (p[2] && dl.lastChild) dl.lastChild.className = p[2];
    });
    return dl;
  }

  function planItem(p) {
    var li = el('li');
    var a = el('a', '', p.unit.name);
    a.href = '/m/test-plans/' + encodeURIComponent(p.id);
    li.appendChild(a);
    li.appendChild(document.createTextNode(' '));
    li.appendChild(LG.tag(p.statusLabel, p.status === 'REPORTED' ? 'PASS' : ''));
    if (p.late) li.appendChild(LG.tag('报告逾期', 'late'));
    var line = '计划日期 ' + p.plannedDate + ' · 报告期限 ' + p.reportDueDate + (p.due ? '（' + p.due.text + '）' : '');
    li.appendChild(el('div', p.due && p.due.overdue ? 'late' : 'muted', line));
    return li;
  }

  function renderForm(data, done) {
    var uscc = el('input', 'text');
    uscc.name = 'unitUscc';
    uscc.autocomplete = 'off';
    uscc.maxLength = 18;
    var date = el('input', 'text');
    date.type = 'date';
    date.name = 'plannedDate';
    var testers = checks(
      '检测人员（至少 ' + data.minTesters + ' 名）',
      'testerIds',
      data.testers.map(function (t) {
        return {
          value: t.id,
          text: t.name,
          sub: '证书 ' + t.certNo + '，有效期至 ' + t.certValidUntil + (t.validToday ? '' : '（已过期）'),
          bad: !t.validToday,
        };
      }),
    );
    var installations = checks(
      '检测内容',
      'installations',
      data.installations.map(function (x) {
        return { value: x, text: x };
      }),
    );
    var form = el('form', 'card');
    form.noValidate = true;
    form.appendChild(el('h2', '', '提交检测计划'));
    form.appendChild(
      el(
        'p',
        'muted',
        data.agency.name + '（' + data.agency.level + '，资质证书有效期至 ' + data.agency.certValidUntil + '）',
      ),
    );
    form.appendChild(LG.formField('受检单位统一社会信用代码', uscc, '18 位，见单位营业执照或检测委托合同'));
    form.appendChild(LG.formField('计划检测日期', date, '今天或以后的日期'));
    form.appendChild(testers.box);
    form.appendChild(installations.box);
    var top = el('div', 'form-error');
    top.setAttribute('role', 'alert');
    form.appendChild(top);
    var submit = el('button', 'btn primary', '提交检测计划');
    submit.type = 'submit';
    form.appendChild(submit);

    var list = el('div', 'card');
    list.appendChild(el('h2', '', '本机构检测计划'));
    if (data.plans.length === 0) list.appendChild(el('p', 'muted', '暂无检测计划'));
    else {
      var ul = el('ul', 'plain');
      data.plans.forEach(function (p) {
        ul.appendChild(planItem(p));
      });
      list.appendChild(ul);
    }
    LG.show(form, list);
    if (done) LG.banner(done, 'ok');

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var body = {
        unitUscc: uscc.value.trim(),
        plannedDate: date.value,
        testerIds: testers.values(),
        installations: installations.values(),
      };
      var problems = [];
      if (!/^[0-9A-Z]{18}$/i.test(body.unitUscc))
        problems.push({ path: 'unitUscc', message: '请填写 18 位统一社会信用代码' });
      if (!body.plannedDate) problems.push({ path: 'plannedDate', message: '请选择计划检测日期' });
      if (body.testerIds.length === 0)
        problems.push({ path: 'testerIds', message: '请至少选择 ' + data.minTesters + ' 名检测人员' });
      if (body.installations.length === 0) problems.push({ path: 'installations', message: '请至少选择 1 项检测内容' });
      if (problems.length) return LG.showErrors(form, problems);
      LG.clearErrors(form);
      submit.disabled = true;
      submit.textContent = '正在提交…';
      LG.api('POST', '/api/m/test-plans', body).then(
        function (r) {
          var p = r.plan;
          load(
            '检测计划已提交：' +
              p.unit.name +
              '，' +
              p.plannedDate +
              ' 检测（' +
              p.testers.join('、') +
              '）。已通知单位负责人和属地监管人员；到场后请扫描单位监管码开始检测，报告应于 ' +
              p.reportDueDate +
              ' 前提交。',
          );
        },
        function (err) {
          submit.disabled = false;
          submit.textContent = '提交检测计划';
          LG.formFailed(form, err);
        },
      );
    });
  }

  function load(done) {
    return LG.api('GET', '/api/m/test-plans').then(function (data) {
      renderForm(data, done);
    });
  }

  function startScan(p, msg) {
    var dd = window.dd;
    if (!dd || !dd.biz || !dd.biz.util || !dd.biz.util.scan || (dd.env && dd.env.platform === 'notInDingTalk')) {
      msg.textContent = '请在钉钉中打开本页面，或用钉钉“扫一扫”扫描单位张贴的监管码';
      return;
    }
    dd.biz.util.scan({
      type: 'qr',
      onSuccess: function (res) {
        var text = String((res && res.text) || '');
        if (text.indexOf(location.origin + '/m/code?') !== 0) {
          msg.textContent = '扫描的不是雷卫监管码，请扫描单位张贴的监管码';
          return;
        }
        location.href = text + '&plan=' + encodeURIComponent(p.id);
      },
      onFail: function () {
        msg.textContent = '未能完成扫码，请重试';
      },
    });
  }

  function renderPlan(r) {
    var p = r.plan;
    var head = el('div', 'card');
    head.appendChild(el('h2', '', p.unit.name));
    head.appendChild(
      facts([
        ['状态', p.statusLabel],
        ['防雷类别', p.unit.lpClass],
        ['检测机构', p.agency.name + '（' + p.agency.level + '）'],
        ['计划日期', p.plannedDate],
        ['检测人员', p.testers.join('、')],
        ['检测内容', p.installations.join('、')],
        ['报告期限', p.reportDueDate + (p.due ? '（' + p.due.text + '）' : ''), p.due && p.due.overdue ? 'late' : ''],
      ]),
    );
    var field = el('div', 'card');
    field.appendChild(el('h2', '', '现场检测记录'));
    var fr = p.fieldRecord;
    field.appendChild(
      fr
        ? facts([
            ['扫码时间', fr.at],
            ['检测人员', fr.by],
            ['位置', fr.text, fr.distanceFlagged ? 'flag' : ''],
          ])
        : el('p', 'muted', '尚未现场扫码'),
    );
    var report = el('div', 'card');
    report.appendChild(el('h2', '', '检测报告'));
    report.appendChild(
      p.report
        ? facts([
            ['报告编号', p.report.reportNo],
            ['提交时间', p.report.uploadedAt + (p.late ? '（逾期）' : ''), p.late ? 'late' : ''],
            ['结论', p.report.conclusionLabel],
            ['核验', p.report.statusLabel + (p.report.anomalies.length ? '：' + p.report.anomalies.join('、') : '')],
          ])
        : el('p', p.late ? 'late' : 'muted', p.late ? '已逾期，尚未提交' : '尚未提交'),
    );
    var parts = [head, field, report];
    if (r.canStart) {
      var actions = el('div', 'card');
      actions.appendChild(el('p', '', '到达现场后，扫描单位张贴的监管码开始检测。'));
      var scan = el('button', 'btn primary', '扫码开始现场检测');
      scan.type = 'button';
      var msg = el('p', 'form-error');
      msg.setAttribute('role', 'alert');
      actions.appendChild(scan);
      actions.appendChild(msg);
      scan.addEventListener('click', function () {
        startScan(p, msg);
      });
      parts.push(actions);
    }
    if (r.canViewUnit) {
      var unit = el('a', 'link-btn', '查看单位检测与检查');
      unit.href = '/m/units/' + encodeURIComponent(p.unit.id);
      parts.push(unit);
    }
    LG.show.apply(null, parts);
    if (new URLSearchParams(location.search).get('started') && fr) {
      LG.banner(
        '现场检测已开始：' + fr.at + ' 扫码，' + fr.text + '。检测报告应于 ' + p.reportDueDate + ' 前提交。',
        'ok',
      );
    }
  }

  function openPlan() {
    var m = /^\/m\/test-plans\/([^/]+)\/?$/.exec(location.pathname);
    return LG.api('GET', '/api/m/test-plans/' + encodeURIComponent(m ? decodeURIComponent(m[1]) : '')).then(
      renderPlan,
      function (err) {
        if (err.status === 404 || err.status === 403) return LG.notice('无法查看该检测计划', err.message);
        throw err;
      },
    );
  }

  var page = document.body.getAttribute('data-page');
  if (page === 'test-plans')
    LG.run(function () {
      return load(null);
    });
  if (page === 'test-plan') LG.run(openPlan);
})();
