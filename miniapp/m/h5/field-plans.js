// Testing plans (检测计划, issue #22) for a testing agency's staff: /m/test-plans files a plan (unit,
// date, testers, installations; each refusal shown next to its field) and lists the agency's plans;
// /m/test-plans/:id shows one plan with its field record and report, and starts the on-site scan.
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;
  var F = LG.form;

  function main(nodes) {
    var wrap = el('div', 'fw');
    nodes.forEach(function (n) {
      if (n) wrap.appendChild(n);
    });
    LG.show(wrap);
    return wrap;
  }

  function planItem(p) {
    var li = el('li');
    var a = el('a', '', p.unit.name);
    a.href = '/m/test-plans/' + encodeURIComponent(p.id);
    li.appendChild(a);
    li.appendChild(el('span', 'pill-tag' + (p.status === 'REPORTED' ? ' done' : ''), p.statusLabel));
    if (p.late) li.appendChild(el('span', 'pill-tag warn', '报告逾期'));
    var line = '计划日期 ' + p.plannedDate + ' · 报告期限 ' + p.reportDueDate;
    if (p.due) line += '（' + p.due.text + '）';
    li.appendChild(el('div', p.due && p.due.overdue ? 'late' : 'hint', line));
    return li;
  }

  function renderForm(data, flash) {
    var uscc = el('input');
    uscc.type = 'text';
    uscc.name = 'unitUscc';
    uscc.autocomplete = 'off';
    uscc.maxLength = 18;
    var date = el('input');
    date.type = 'date';
    date.name = 'plannedDate';
    var fields = {
      unitUscc: F.field('受检单位统一社会信用代码', uscc, '18 位，见单位营业执照或检测委托合同'),
      plannedDate: F.field('计划检测日期', date, '今天或以后的日期'),
      testerIds: F.choices(
        '检测人员（至少 ' + data.minTesters + ' 名）',
        'checkbox',
        'testerIds',
        data.testers.map(function (t) {
          return {
            value: t.id,
            text: t.name,
            sub: '证书 ' + t.certNo + '，有效期至 ' + t.certValidUntil + (t.validToday ? '' : '（已过期）'),
            bad: !t.validToday,
          };
        }),
      ),
      installations: F.choices(
        '检测内容',
        'checkbox',
        'installations',
        data.installations.map(function (x) {
          return { value: x, text: x };
        }),
      ),
    };
    var form = el('form', 'section');
    form.noValidate = true;
    form.appendChild(el('h2', '', '提交检测计划'));
    form.appendChild(
      el(
        'p',
        'hint',
        data.agency.name + '（' + data.agency.level + '，资质证书有效期至 ' + data.agency.certValidUntil + '）',
      ),
    );
    Object.keys(fields).forEach(function (k) {
      form.appendChild(fields[k].box);
    });
    var submit = el('button', 'btn-main', '提交检测计划');
    submit.type = 'submit';
    form.appendChild(submit);

    var list = el('div', 'section');
    list.appendChild(el('h2', '', '本机构检测计划'));
    if (data.plans.length === 0) list.appendChild(el('p', 'hint', '暂无检测计划'));
    else {
      var ul = el('ul', 'plain');
      data.plans.forEach(function (p) {
        ul.appendChild(planItem(p));
      });
      list.appendChild(ul);
    }
    var top = main([flash, form, list]);
    if (flash) flash.focus();

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      F.clear(fields);
      var checked = function (f) {
        return f.inputs
          .filter(function (i) {
            return i.checked;
          })
          .map(function (i) {
            return i.value;
          });
      };
      var body = {
        unitUscc: uscc.value.trim(),
        plannedDate: date.value,
        testerIds: checked(fields.testerIds),
        installations: checked(fields.installations),
      };
      var errors = {};
      if (!/^[0-9A-Z]{18}$/i.test(body.unitUscc)) errors.unitUscc = '请填写 18 位统一社会信用代码';
      if (!body.plannedDate) errors.plannedDate = '请选择计划检测日期';
      if (body.testerIds.length === 0) errors.testerIds = '请至少选择 ' + data.minTesters + ' 名检测人员';
      if (body.installations.length === 0) errors.installations = '请至少选择 1 项检测内容';
      if (F.showErrors(fields, errors)) return;
      submit.disabled = true;
      submit.textContent = '正在提交…';
      LG.api('POST', '/api/m/test-plans', body).then(
        function (r) {
          var p = r.plan;
          load(
            F.banner('ok', '检测计划已提交', [
              p.unit.name + '，计划 ' + p.plannedDate + ' 检测，检测人员：' + p.testers.join('、') + '。',
              '已通知单位负责人和属地监管人员。到场后请扫描单位监管码开始检测，报告应于 ' +
                p.reportDueDate +
                ' 前提交。',
            ]),
          );
        },
        function (err) {
          submit.disabled = false;
          submit.textContent = '提交检测计划';
          var mapped = F.serverErrors(err, fields);
          if (!F.showErrors(fields, mapped)) {
            var b = F.banner('bad', '未能提交', [err.message]);
            top.insertBefore(b, top.firstChild);
            b.focus();
          }
        },
      );
    });
  }

  function load(flash) {
    return LG.api('GET', '/api/m/test-plans').then(function (data) {
      renderForm(data, flash);
    });
  }

  function fieldRecordFacts(fr) {
    if (!fr) return el('p', 'hint', '尚未现场扫码');
    return F.facts([
      ['扫码时间', fr.at],
      ['检测人员', fr.by],
      ['位置', fr.text, fr.distanceFlagged ? 'flag' : ''],
    ]);
  }

  function renderPlan(r) {
    var p = r.plan;
    var head = el('div', 'section');
    head.appendChild(el('h2', '', p.unit.name));
    head.appendChild(
      F.facts([
        ['状态', p.statusLabel],
        ['防雷类别', p.unit.lpClass],
        ['检测机构', p.agency.name + '（' + p.agency.level + '）'],
        ['计划日期', p.plannedDate],
        ['检测人员', p.testers.join('、')],
        ['检测内容', p.installations.join('、')],
        ['报告期限', p.reportDueDate + (p.due ? '（' + p.due.text + '）' : ''), p.due && p.due.overdue ? 'late' : ''],
      ]),
    );
    var field = el('div', 'section');
    field.appendChild(el('h2', '', '现场检测记录'));
    field.appendChild(fieldRecordFacts(p.fieldRecord));
    var report = el('div', 'section');
    report.appendChild(el('h2', '', '检测报告'));
    report.appendChild(
      p.report
        ? F.facts([
            ['报告编号', p.report.reportNo],
            ['提交时间', p.report.uploadedAt + (p.late ? '（逾期）' : ''), p.late ? 'late' : ''],
            ['结论', p.report.conclusionLabel],
            ['核验', p.report.statusLabel + (p.report.anomalies.length ? '：' + p.report.anomalies.join('、') : '')],
          ])
        : el('p', p.late ? 'late' : 'hint', p.late ? '已逾期，尚未提交' : '尚未提交'),
    );
    var actions = null;
    if (r.canStart) {
      actions = el('div', 'section');
      actions.appendChild(el('p', '', '到达现场后，扫描单位张贴的监管码开始检测。'));
      var scan = el('button', 'btn-main', '扫码开始现场检测');
      scan.type = 'button';
      var msg = el('p', 'field-error');
      msg.setAttribute('role', 'alert');
      actions.appendChild(scan);
      actions.appendChild(msg);
      scan.addEventListener('click', function () {
        var dd = window.dd;
        if (!dd || !dd.biz || !dd.biz.util || !dd.biz.util.scan || (dd.env && dd.env.platform === 'notInDingTalk')) {
          msg.textContent = '请在钉钉中打开本页面，或用钉钉“扫一扫”扫描单位监管码';
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
      });
    }
    var back = el('a', 'btn-link', '单位检测与检查');
    back.href = '/m/units/' + encodeURIComponent(p.unit.id);
    var flash = new URLSearchParams(location.search).get('started')
      ? F.banner('ok', '现场检测已开始', [
          p.fieldRecord ? '扫码时间 ' + p.fieldRecord.at + '，' + p.fieldRecord.text + '。' : '',
          '检测报告应于 ' + p.reportDueDate + ' 前提交。',
        ])
      : null;
    main([flash, head, field, report, actions, back]);
    if (flash) flash.focus();
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
