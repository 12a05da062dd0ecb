// The on-site scan (issue #22) on /m/code, for testing agencies' testers (the plan's field record)
// and regulators (扫码入企): the time and the person are recorded; the location only if the person
// ticks the box and the browser allows it — refused or unavailable, the scan goes on without it.
// A regulator's inspection beyond the unit's yearly cap asks for a reason first.
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;

  // { location, locationStatus, text } from the browser, asked only with consent.
  function locate(consent) {
    return new Promise(function (resolve) {
      if (!consent)
        return resolve({ location: null, locationStatus: 'DENIED', text: '您未同意记录位置，本次不记录位置' });
      if (!navigator.geolocation)
        return resolve({ location: null, locationStatus: 'UNAVAILABLE', text: '此设备无法获取位置，本次不记录位置' });
      navigator.geolocation.getCurrentPosition(
        function (p) {
          resolve({
            location: { lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy },
            locationStatus: 'GIVEN',
            text: '已获取位置（精度约 ' + Math.round(p.coords.accuracy) + ' 米）',
          });
        },
        function (e) {
          resolve(
            e && e.code === 1
              ? { location: null, locationStatus: 'DENIED', text: '浏览器未允许获取位置，本次不记录位置，扫码照常进行' }
              : { location: null, locationStatus: 'UNAVAILABLE', text: '未能获取位置，本次不记录位置，扫码照常进行' },
          );
        },
        { enableHighAccuracy: true, timeout: 10000 },
      );
    });
  }

  function scanStep(kind) {
    var q = new URLSearchParams(location.search);
    var code = { c: q.get('c') || '', u: q.get('u') || '', e: q.get('e') || '', s: q.get('s') || '' };
    var test = kind === 'test';
    var form = el('form', 'card');
    form.noValidate = true;
    form.appendChild(el('h2', '', test ? '扫码开始现场检测' : '扫码入场检查'));
    form.appendChild(
      el(
        'p',
        '',
        test
          ? '将记录扫码时间和您的姓名，作为检测计划的现场检测记录；检测报告应在此后规定的工作日内提交。'
          : '依据国办发〔2024〕54号，进入企业检查须扫码留痕：将记录扫码时间和您的姓名，并打开本单位的一表通查检查表。',
      ),
    );
    var row = el('label', 'check');
    var consent = el('input');
    consent.type = 'checkbox';
    consent.id = 'consent-location';
    row.appendChild(consent);
    row.appendChild(el('span', '', '同意记录我当前的位置（用于核实到场，不同意也可继续）'));
    form.appendChild(row);
    var where = el('p', 'muted');
    where.id = 'location-status';
    where.setAttribute('aria-live', 'polite');
    consent.setAttribute('aria-describedby', where.id);
    form.appendChild(where);
    var reason = el('textarea', 'note');
    reason.name = 'reason';
    reason.maxLength = 200;
    var reasonField = LG.formField('超出年度检查上限的理由', reason, '理由将报送分管领导');
    reasonField.className += ' hidden';
    form.appendChild(reasonField);
    var top = el('div', 'form-error');
    top.setAttribute('role', 'alert');
    form.appendChild(top);
    var go = el('button', 'btn primary', test ? '开始现场检测' : '扫码入场，开始检查');
    go.type = 'submit';
    go.id = 'start';
    form.appendChild(go);
    LG.show(form);

    var got = null;
    function fail(err) {
      go.disabled = false;
      go.textContent = test ? '开始现场检测' : '扫码入场，开始检查';
      if (!test && err.code === 'INSPECTION_OVER_CAP') {
        reasonField.className = reasonField.className.replace(' hidden', '');
        go.textContent = '填写理由后继续';
      }
      LG.formFailed(form, err);
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      LG.clearErrors(form);
      go.disabled = true;
      go.textContent = '正在提交…';
      (got ? Promise.resolve(got) : locate(consent.checked)).then(function (loc) {
        got = loc;
        where.textContent = loc.text;
        var body = Object.assign({}, code, { location: loc.location, locationStatus: loc.locationStatus });
        if (test) {
          if (q.get('plan')) body.planId = q.get('plan');
          return LG.api('POST', '/api/m/field/start', body).then(function (r) {
            location.replace('/m/test-plans/' + encodeURIComponent(r.planId) + '?started=1');
          }, fail);
        }
        if (reason.value.trim()) body.reason = reason.value.trim();
        return LG.api('POST', '/api/m/code/open', body).then(function (r) {
          location.replace('/m/inspections/' + encodeURIComponent(r.inspectionId) + '?scanned=1');
        }, fail);
      });
    });
  }

  LG.scanStep = scanStep;
})();
