// 码上检查: /m/code?c=&u=&e=&s= (the QR's signed URL) opens or resumes the inspection, then
// /m/inspections/:id shows the checklist: 符合 / 不符合 / 不适用 per item, a photo per failed item
// (LG.photoPicker compresses it in the browser before upload), the location only with consent.
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;

  function openCode() {
    // Testers and regulators are scanned in on site first (field-scan.js, issue #22).
    var roles = (LG.person && LG.person.roles) || [];
    if (LG.scanStep && roles.indexOf('AGENCY_STAFF') >= 0) return LG.scanStep('test');
    if (LG.scanStep && roles.indexOf('REGULATOR') >= 0) return LG.scanStep('inspection');
    var q = new URLSearchParams(location.search);
    var body = { c: q.get('c') || '', u: q.get('u') || '', e: q.get('e') || '', s: q.get('s') || '' };
    return LG.api('POST', '/api/m/code/open', body).then(
      function (r) {
        location.replace('/m/inspections/' + encodeURIComponent(r.inspectionId));
      },
      function (err) {
        if (err.status === 400 || err.status === 410) return LG.notice('监管码无法使用', err.message);
        if (err.status === 403 || err.status === 404) return LG.notice('不能检查该单位', err.message);
        throw err;
      },
    );
  }

  function radio(name, value, text) {
    var label = el('label', 'choice');
    var input = el('input');
    input.type = 'radio';
    input.name = name;
    input.value = value;
    label.appendChild(input);
    label.appendChild(document.createTextNode(text));
    return label;
  }

  function itemBlock(item, state) {
    var box = el('fieldset', 'item');
    box.setAttribute('data-key', item.key);
    box.setAttribute('data-section', item.section || 'checklist');
    box.setAttribute('data-field', 'item-' + item.key);
    box.appendChild(el('legend', '', item.no + '. ' + item.text));
    var recheck = item.section === 'hazard';
    box.appendChild(
      el(
        'div',
        'basis muted',
        '依据：' +
          item.legalBasis +
          (recheck ? '（未整改的，记入该隐患的复查记录）' : '（不符合时登记为' + item.gradeLabel + '）'),
      ),
    );
    var choices = el('div', 'choices');
    choices.appendChild(radio('r-' + item.key, 'PASS', recheck ? '已整改' : '符合'));
    choices.appendChild(radio('r-' + item.key, 'FAIL', recheck ? '未整改' : '不符合'));
    choices.appendChild(radio('r-' + item.key, 'NA', '不适用'));
    box.appendChild(choices);
    box.appendChild(el('span', 'field-error'));
    var fail = el('div', 'fail hidden');
    var note = el('textarea', 'note');
    note.maxLength = 200;
    var photos = LG.photoPicker(
      '第 ' + item.no + ' 项现场照片（必填，可拍照或从相册选择，自动压缩后上传）',
      'photos-' + item.key,
    );
    fail.appendChild(LG.formField('第 ' + item.no + ' 项问题说明（选填）', note));
    fail.appendChild(photos.box);
    box.appendChild(fail);

    var answer = { key: item.key, result: null, note: '', photos: photos };
    state[item.key] = answer;
    choices.addEventListener('change', function (e) {
      answer.result = e.target.value;
      fail.className = 'fail' + (answer.result === 'FAIL' ? '' : ' hidden');
    });
    note.addEventListener('input', function () {
      answer.note = note.value;
    });
    return box;
  }

  function locationBlock(state) {
    var box = el('div', 'card');
    var label = el('label', 'check');
    var box2 = el('input');
    box2.type = 'checkbox';
    box2.id = 'consent-location';
    label.appendChild(box2);
    label.appendChild(document.createTextNode('同意记录我当前的位置（仅用于证明现场检查）'));
    var text = el('div', 'muted', '未记录位置');
    box.appendChild(label);
    box.appendChild(text);
    box2.addEventListener('change', function () {
      state.location = null;
      if (!box2.checked) {
        text.textContent = '未记录位置';
        return;
      }
      if (!navigator.geolocation) {
        text.textContent = '此设备无法获取位置';
        return;
      }
      text.textContent = '正在获取位置…';
      navigator.geolocation.getCurrentPosition(
        function (p) {
          if (!box2.checked) return;
          state.location = { lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy };
          text.textContent = '已记录位置（精度约 ' + Math.round(p.coords.accuracy) + ' 米）';
        },
        function () {
          text.textContent = '未能获取位置（您可以不记录位置直接提交）';
        },
        { enableHighAccuracy: true, timeout: 10000 },
      );
    });
    return box;
  }

  function showResult(insp) {
    var head = el('div', 'card');
    head.appendChild(el('div', 'title', insp.unit.name));
    head.appendChild(el('div', 'unit', insp.checklist.name + ' · ' + insp.modeLabel + ' · ' + insp.statusLabel));
    if (insp.score !== null) head.appendChild(el('div', 'score', '得分 ' + insp.score + ' 分'));
    var list = el('div', 'list');
    insp.items.forEach(function (it) {
      var c = el(it.answer && it.answer.hazardId ? 'a' : 'div', 'card');
      if (it.answer && it.answer.hazardId) c.href = '/m/hazards/' + encodeURIComponent(it.answer.hazardId);
      c.appendChild(el('div', '', it.no + '. ' + it.text));
      c.appendChild(
        LG.tag(it.answer ? it.answer.resultLabel : '未填写', it.answer && it.answer.result === 'FAIL' ? 'MAJOR' : ''),
      );
      list.appendChild(c);
    });
    LG.show(head, list);
  }

  function showForm(insp) {
    var state = {};
    var head = el('div', 'card');
    head.appendChild(el('div', 'title', insp.unit.name));
    head.appendChild(el('div', 'unit', insp.unit.address));
    head.appendChild(
      el('div', 'unit', insp.checklist.name + '（第 ' + insp.checklist.version + ' 版）· ' + insp.modeLabel),
    );
    var form = el('form', 'checklist');
    form.noValidate = true;
    // 一表通查: the items due for this unit first, each part under its own heading.
    var titles = {
      test: '一、定期检测跟进',
      hazard: '二、在办隐患复查',
      checklist: insp.items.some(function (i) {
        return i.section && i.section !== 'checklist';
      })
        ? '三、' + insp.checklist.name
        : '',
    };
    var last = null;
    insp.items.forEach(function (item) {
      var section = item.section || 'checklist';
      if (section !== last && titles[section]) form.appendChild(el('h2', 'section-title', titles[section]));
      last = section;
      form.appendChild(itemBlock(item, state));
    });
    var loc = {};
    form.appendChild(locationBlock(loc));
    var error = el('div', 'form-error', '');
    error.setAttribute('role', 'alert');
    var submit = el('button', 'btn primary', '提交检查结果');
    submit.type = 'submit';
    form.appendChild(error);
    form.appendChild(submit);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var items = insp.items.map(function (it) {
        return state[it.key];
      });
      var problems = [];
      insp.items.forEach(function (it) {
        var a = state[it.key];
        if (!a.result)
          problems.push({ path: 'item-' + it.key, message: '第 ' + it.no + ' 项尚未选择，请选择符合、不符合或不适用' });
        else if (a.result === 'FAIL' && a.photos.pending > 0)
          problems.push({ path: 'photos-' + it.key, message: '照片仍在上传，请稍候' });
        else if (a.result === 'FAIL' && a.photos.photos.length === 0)
          problems.push({ path: 'photos-' + it.key, message: '请为第 ' + it.no + ' 项上传至少 1 张现场照片' });
      });
      if (problems.length) return LG.showErrors(form, problems);
      submit.disabled = true;
      submit.textContent = '正在提交…';
      var body = {
        items: items.map(function (a) {
          return {
            key: a.key,
            result: a.result,
            note: a.note || undefined,
            photos: a.result === 'FAIL' ? a.photos.photos : [],
          };
        }),
        location: loc.location || null,
      };
      LG.api('POST', '/api/m/inspections/' + encodeURIComponent(insp.id) + '/submit', body).then(
        function (r) {
          var box = el('div', 'notice done');
          box.appendChild(el('h2', '', '检查结果已提交'));
          // New hazards filed, and open hazards found not yet rectified on re-check (一表通查).
          var rechecked = r.recheckedHazardIds || [];
          var parts = [];
          if (r.hazardIds.length) parts.push(r.hazardIds.length + ' 项不符合已登记为隐患并通知单位负责人');
          if (rechecked.length) parts.push(rechecked.length + ' 项在办隐患复查未整改，已记入该隐患的复查记录');
          box.appendChild(
            el('p', '', '得分 ' + r.score + ' 分' + (parts.length ? '，' + parts.join('；') + '。' : '，全部符合。')),
          );
          var links = el('div', 'list');
          r.hazardIds.concat(rechecked).forEach(function (id) {
            var a = el('a', 'pill', '查看隐患');
            a.href = '/m/hazards/' + encodeURIComponent(id);
            links.appendChild(a);
          });
          LG.show(box, links);
        },
        function (err) {
          LG.formFailed(form, err);
          submit.disabled = false;
          submit.textContent = '提交检查结果';
        },
      );
    });
    var shown = [head];
    if (insp.visit) {
      var v = el('div', new URLSearchParams(location.search).get('scanned') ? 'banner ok' : 'card');
      v.setAttribute('role', 'status');
      v.appendChild(el('h2', 'visit-title', '已扫码入场'));
      v.appendChild(el('p', '', insp.visit.at + ' · ' + insp.visit.by + ' · ' + insp.visit.text));
      if (insp.overCap) v.appendChild(el('p', '', '本次检查超出单位年度检查上限，理由：' + insp.overCapReason));
      shown.unshift(v);
    }
    shown.push(form);
    LG.show.apply(null, shown);
  }

  function openInspection() {
    var m = /^\/m\/inspections\/([^/]+)\/?$/.exec(location.pathname);
    var id = m ? decodeURIComponent(m[1]) : '';
    return LG.api('GET', '/api/m/inspections/' + encodeURIComponent(id)).then(
      function (r) {
        return r.inspection.canSubmit ? showForm(r.inspection) : showResult(r.inspection);
      },
      function (err) {
        if (err.status === 404) return LG.notice('未找到该检查', err.message);
        throw err;
      },
    );
  }

  LG.run(document.body.getAttribute('data-page') === 'code' ? openCode : openInspection);
})();
