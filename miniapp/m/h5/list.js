// 「我的隐患」 (/m/): open ones by default, most urgent first; 「已销号」 lists the closed ones. The
// dashboard's figures open this list with their filter (status, overdue, region, unit).
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;

  function renderList() {
    var q = new URLSearchParams(location.search);
    var state = q.get('state') === 'closed' ? 'closed' : q.get('state') === 'all' ? 'all' : 'open';
    var api_q = new URLSearchParams({ state: state });
    ['status', 'overdue', 'region', 'unit'].forEach(function (k) {
      if (q.get(k)) api_q.set(k, q.get(k));
    });
    var filtered = api_q.toString() !== 'state=' + state;
    return LG.api('GET', '/api/m/hazards?' + api_q.toString()).then(function (r) {
      var filters = el('nav', 'filters');
      filters.setAttribute('aria-label', '筛选');
      [
        ['open', '未销号'],
        ['closed', '已销号'],
      ].forEach(function (f) {
        var a = el('a', 'pill', f[1]);
        a.href = '/m/' + (f[0] === 'closed' ? '?state=closed' : '');
        if (f[0] === state && !filtered) a.setAttribute('aria-current', 'true');
        filters.appendChild(a);
      });
      var parts = [filters];
      // `name` says what the filter is, as the dashboard's link gives it (display only).
      if (filtered)
        parts.push(el('p', 'subject', '筛选：' + (q.get('name') || '指定条件') + '，共 ' + r.items.length + ' 项'));
      if (r.items.length === 0) {
        parts.push(
          LG.noticeBox(
            state === 'closed' ? '暂无已销号的隐患' : '暂无符合条件的隐患',
            state === 'closed' ? '' : '您负责的单位或辖区目前没有需要处理的防雷安全隐患。',
          ),
        );
        return LG.show.apply(null, parts);
      }
      var list = el('div', 'list');
      r.items.forEach(function (h) {
        var a = el('a', 'card' + (h.urgent ? ' urgent' : ''));
        a.href = '/m/hazards/' + encodeURIComponent(h.id);
        a.appendChild(el('div', 'subject', h.unit.name));
        var row = el('div', 'row');
        row.appendChild(el('span', 'title', h.typeLabel));
        LG.hazardTags(row, h);
        a.appendChild(row);
        a.appendChild(el('div', 'desc', h.description));
        a.appendChild(LG.deadline(h));
        list.appendChild(a);
      });
      parts.push(list);
      LG.show.apply(null, parts);
    });
  }

  LG.run(renderList);
})();
