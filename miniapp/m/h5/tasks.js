// 「我的待办」: hazards, approvals, interviews, warnings and inspections waiting for the person.
(function () {
  'use strict';
  var LG = window.LG;
  var KIND = { hazard: '隐患', approval: '审批', interview: '约谈', warning: '预警', inspection: '检查' };

  LG.run(function () {
    return Promise.all([LG.api('GET', '/api/m/tasks'), LG.api('GET', '/api/m/me')]).then(function (r) {
      var items = r[0].items;
      var me = r[1];
      var nav = LG.el('nav', 'nav');
      var links = [['/m/', '我的隐患']];
      if (me.org) links.push(['/m/dashboard', '领导看板']);
      if (me.unit) links.push(['/m/units/' + encodeURIComponent(me.unit.id) + '/sign', '本单位监管码']);
      links.forEach(function (l) {
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
      var list = LG.el('div', 'list');
      items.forEach(function (t) {
        var card = LG.el(t.href ? 'a' : 'div', 'card task ' + t.kind);
        if (t.href) card.href = t.href;
        var row = LG.el('div', 'row');
        row.appendChild(LG.tag(KIND[t.kind] || t.kind, t.kind));
        row.appendChild(LG.el('span', 'title', t.title));
        card.appendChild(row);
        card.appendChild(LG.el('div', 'desc', t.detail));
        if (t.due)
          card.appendChild(
            LG.el('div', 'deadline' + (t.late ? ' late' : ''), (t.late ? '已逾期　' : '期限　') + LG.fmtTime(t.due)),
          );
        list.appendChild(card);
      });
      LG.show(nav, list);
    });
  });
})();
