// 「我的待办」: hazards, approvals, interviews, warnings, inspections and periodic tests waiting for the
// person, most urgent first (the API sorts: escalated, overdue longest first, then by deadline). Each names its
// subject (unit, project) on its first line; overdue ones say 「已逾期 N 天」 in red. Above them, the
// pages each person works on, by role: a unit's people, regulators, leaders, testing agencies' staff.
(function () {
  'use strict';
  var LG = window.LG;
  var KIND = {
    hazard: '隐患',
    approval: '审批',
    interview: '约谈',
    warning: '预警',
    inspection: '检查',
    plan: '检测',
    test: '检测',
  };
  // Roles that read hazards (core/authz POLICY hazard.list).
  var HAZARD_READERS = ['UNIT_MANAGER', 'LEGAL_REP', 'REGULATOR', 'LEADER'];

  // [href, text] of the pages the person may open from here.
  function linksOf(me) {
    var roles = me.person.roles || [];
    var has = function (r) {
      return roles.indexOf(r) >= 0;
    };
    var links = [];
    if (HAZARD_READERS.some(has)) links.push(['/m/', '我的隐患']);
    if (has('REGULATOR')) links.push(['/m/hazards/new', '登记隐患'], ['/m/draws/new', '双随机抽查']);
    if (me.org) links.push(['/m/dashboard', '领导看板']);
    if (me.unit) {
      var unit = '/m/units/' + encodeURIComponent(me.unit.id);
      links.push([unit + '/sign', '本单位监管码'], [unit, '本单位检测与检查']);
    }
    if (has('AGENCY_STAFF')) links.push(['/m/test-plans', '检测计划']);
    return links;
  }

  function dueLine(t) {
    if (!t.due) return null;
    var text = t.late ? '已逾期 ' + t.lateDays + ' 天（期限 ' + LG.fmtDate(t.due) + '）' : '期限 ' + LG.fmtTime(t.due);
    // Hazards and testing plans say their deadline in words themselves (「剩余 N 个工作日」).
    if (t.kind === 'hazard' || t.kind === 'plan') text = t.detail;
    return LG.el('div', 'deadline' + (t.late || t.escalated ? ' late' : ''), text);
  }

  LG.run(function () {
    return Promise.all([LG.api('GET', '/api/m/tasks'), LG.api('GET', '/api/m/me')]).then(function (r) {
      var items = r[0].items;
      var me = r[1];
      var nav = LG.el('nav', 'nav');
      nav.setAttribute('aria-label', '常用');
      linksOf(me).forEach(function (l) {
        var a = LG.el('a', 'pill', l[1]);
        a.href = l[0];
        nav.appendChild(a);
      });
      if (items.length === 0) {
        var box = LG.el('div', 'notice');
        box.appendChild(LG.el('h2', '', '暂无待办'));
        box.appendChild(LG.el('p', '', '目前没有需要您处理的事项。'));
        return LG.show(nav, box);
      }
      var late = items.filter(function (t) {
        return t.late || t.escalated;
      }).length;
      var summary = LG.el(
        'p',
        late ? 'deadline late' : 'muted',
        '共 ' + items.length + ' 项待办' + (late ? '，其中 ' + late + ' 项已逾期' : ''),
      );
      var list = LG.el('div', 'list');
      items.forEach(function (t) {
        var card = LG.el(t.href ? 'a' : 'div', 'card task ' + t.kind + (t.late || t.escalated ? ' urgent' : ''));
        if (t.href) card.href = t.href;
        var row = LG.el('div', 'row');
        row.appendChild(LG.tag(KIND[t.kind] || '事项', t.kind));
        row.appendChild(LG.el('span', 'title subject', t.subject));
        if (t.escalated) row.appendChild(LG.tag('已升级', 'ESCALATED'));
        card.appendChild(row);
        card.appendChild(LG.el('div', '', t.title));
        if (t.kind !== 'hazard' && t.kind !== 'plan' && t.detail) card.appendChild(LG.el('div', 'desc', t.detail));
        var due = dueLine(t);
        if (due) card.appendChild(due);
        list.appendChild(card);
      });
      LG.show(nav, summary, list);
    });
  });
})();
