// /m/units/:id — a unit's field work (issue #22 part 5): the planned tests with their field records
// and reports, and this year's inspections against the cap, so a manager sees who came and why.
// /m/draws/new — a regulator's 双随机 draw; units at their yearly cap join it only with a reason.
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;

  // A definition list; a third item marks the value (late / flag).
  function dl(rows) {
    var list = el('dl');
    rows.forEach(function (r) {
      LG.field(list, r[0], r[1]);
      if (r[2] && r[1]) list.lastChild.className = r[2];
    });
    return list;
  }

  function planBlock(p) {
    var li = el('li');
    var title = el('h3', '', p.agency.name + ' ');
    title.appendChild(LG.tag(p.statusLabel, p.status === 'REPORTED' ? 'PASS' : ''));
    if (p.late) title.appendChild(LG.tag('报告逾期', 'late'));
    li.appendChild(title);
    var fr = p.fieldRecord;
    li.appendChild(
      dl([
        ['计划日期', p.plannedDate],
        ['检测人员', p.testers.join('、')],
        ['检测内容', p.installations.join('、')],
        [
          '现场扫码',
          fr ? fr.at + ' ' + fr.by + '，' + fr.text : '尚未现场扫码',
          fr && fr.distanceFlagged ? 'flag' : '',
        ],
        [
          '检测报告',
          p.report
            ? p.report.reportNo + '（' + p.report.uploadedAt + ' 提交，' + p.report.conclusionLabel + '）'
            : '尚未提交，期限 ' + p.reportDueDate + (p.due ? '（' + p.due.text + '）' : ''),
          p.due && p.due.overdue ? 'late' : '',
        ],
      ]),
    );
    return li;
  }

  function inspectionBlock(i) {
    var li = el('li');
    var title = el('h3', '', (i.org || '气象主管机构') + ' · ' + i.modeLabel + ' ');
    if (i.overCap) title.appendChild(LG.tag('超出年度上限', 'late'));
    li.appendChild(title);
    li.appendChild(
      dl([
        ['检查人员', i.inspectors.join('、')],
        ['入场扫码', i.visit ? i.visit.at + '，' + i.visit.text : '尚未扫码入场（安排于 ' + i.plannedAt + '）'],
        ['检查表', i.checklist + (i.combinedItems ? '，另含一表通查 ' + i.combinedItems + ' 项' : '')],
        ['结果', i.resultLabel ? i.resultLabel + (i.score !== null ? '（' + i.score + ' 分）' : '') : i.statusLabel],
        ['超上限理由', i.overCapReason],
      ]),
    );
    return li;
  }

  function renderUnit(v) {
    var head = el('div', 'card');
    head.appendChild(el('h2', '', v.unit.name));
    head.appendChild(
      dl([
        ['类别', v.unit.categoryLabel + ' · ' + v.unit.lpClass],
        ['地址', v.unit.address],
        ['上次检测', v.unit.lastTestDate || '—'],
        [
          '下次应检',
          (v.unit.nextDueDate || '—') + (v.unit.testOverdue ? '（已逾期）' : ''),
          v.unit.testOverdue ? 'late' : '',
        ],
      ]),
    );
    var tests = el('div', 'card');
    tests.appendChild(el('h2', '', '防雷装置检测'));
    if (v.plans.length === 0) tests.appendChild(el('p', 'muted', '暂无检测计划'));
    else {
      var ul = el('ul', 'plain');
      v.plans.forEach(function (p) {
        ul.appendChild(planBlock(p));
      });
      tests.appendChild(ul);
    }
    var insp = el('div', 'card');
    insp.appendChild(el('h2', '', v.inspections.year + ' 年监督检查'));
    var cap = el(
      'p',
      'cap' + (v.inspections.atCap ? ' late' : ''),
      '已检查 ' +
        v.inspections.count +
        ' 次 / 年度上限 ' +
        v.inspections.cap +
        ' 次' +
        (v.inspections.atCap ? '（已达上限）' : ''),
    );
    cap.id = 'inspection-cap';
    insp.appendChild(cap);
    if (v.inspections.items.length > 0) {
      var list = el('ul', 'plain');
      v.inspections.items.forEach(function (i) {
        list.appendChild(inspectionBlock(i));
      });
      insp.appendChild(list);
    }
    LG.show(head, tests, insp);
  }

  function openUnit() {
    var m = /^\/m\/units\/([^/]+)\/?$/.exec(location.pathname);
    var id = m ? decodeURIComponent(m[1]) : '';
    return LG.api('GET', '/api/m/units/' + encodeURIComponent(id) + '/field-work').then(renderUnit, function (err) {
      if (err.status === 404 || err.status === 403) return LG.notice('无法查看该单位', err.message);
      throw err;
    });
  }

  function renderDraw(done) {
    var count = el('input', 'text');
    count.type = 'number';
    count.name = 'unitCount';
    count.min = '1';
    count.max = '200';
    count.value = '5';
    var row = el('label', 'check');
    var include = el('input');
    include.type = 'checkbox';
    include.name = 'includeOverCap';
    row.appendChild(include);
    row.appendChild(el('span', '', '包括已达年度检查上限的单位（须填写理由）'));
    var reason = el('textarea', 'note');
    reason.name = 'overCapReason';
    reason.maxLength = 200;
    var form = el('form', 'card');
    form.noValidate = true;
    form.appendChild(el('h2', '', '双随机抽查'));
    form.appendChild(LG.formField('抽取单位数', count, '从本辖区双随机名录中随机抽取，1–200 家'));
    form.appendChild(row);
    form.appendChild(LG.formField('超出年度检查上限的理由', reason, '勾选上一项时必填，理由将报送分管领导'));
    var top = el('div', 'form-error');
    top.setAttribute('role', 'alert');
    form.appendChild(top);
    var submit = el('button', 'btn primary', '抽取');
    submit.type = 'submit';
    form.appendChild(submit);
    LG.show(form);
    if (done) LG.banner(done, 'ok').id = 'draw-result';
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var body = { unitCount: Number(count.value), includeOverCap: include.checked };
      if (reason.value.trim()) body.overCapReason = reason.value.trim();
      var problems = [];
      if (!(body.unitCount >= 1 && body.unitCount <= 200))
        problems.push({ path: 'unitCount', message: '请填写 1–200 之间的整数' });
      if (include.checked && !body.overCapReason)
        problems.push({ path: 'overCapReason', message: '包括已达年度检查上限的单位时，请填写理由' });
      if (problems.length) return LG.showErrors(form, problems);
      LG.clearErrors(form);
      submit.disabled = true;
      LG.api('POST', '/api/m/draws', body).then(
        function (r) {
          var over = r.picks.filter(function (p) {
            return p.overCap;
          }).length;
          renderDraw(
            '已抽取 ' +
              r.picks.length +
              ' 家单位：' +
              r.picks
                .map(function (p) {
                  return p.unitName + (p.overCap ? '（超出年度上限）' : '');
                })
                .join('、') +
              '。' +
              (r.excludedOverCap > 0 ? r.excludedOverCap + ' 家单位已达年度检查上限，未参与抽取。' : '') +
              (over > 0 ? over + ' 家超出年度上限的单位已记录理由并报送分管领导。' : ''),
          );
        },
        function (err) {
          submit.disabled = false;
          LG.formFailed(form, err);
        },
      );
    });
  }

  var page = document.body.getAttribute('data-page');
  if (page === 'unit') LG.run(openUnit);
  if (page === 'draw')
    LG.run(function () {
      renderDraw(null);
    });
})();
