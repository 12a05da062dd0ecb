// 隐患详情 /m/hazards/:id (also /rectify and /extension, where the card's 「提交整改」 and 「申请延期」
// buttons lead): the hazard, its evidence and timeline; for the unit's manager the rectification
// and extension forms, for a regulator of the jurisdiction 「通过」/「驳回」 (a reason is required to
// reject). The hazard loop's API (core/hazard) checks permission and state again on every post.
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;
  var RECTIFIABLE = ['PENDING', 'FIXING', 'OVERDUE', 'ESCALATED'];
  var m = /^\/m\/hazards\/([^/]+)(?:\/(rectify|extension))?\/?$/.exec(location.pathname);
  var id = m ? decodeURIComponent(m[1]) : '';
  var focus = m && m[2];
  var base = '/api/m/hazards/' + encodeURIComponent(id);

  function section(title, cls) {
    var form = el('form', 'card ' + cls);
    form.noValidate = true;
    form.appendChild(el('h2', 'chart-title', title));
    return form;
  }

  // A form's submit: one post at a time; the answer re-renders the page, an error stays on the form.
  function wire(form, button, post) {
    var error = el('div', 'form-error', '');
    error.setAttribute('role', 'alert');
    form.appendChild(error);
    form.appendChild(button);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      error.textContent = '';
      var p = post(e.submitter || button);
      if (!p) return;
      button.disabled = true;
      p.then(render, function (err) {
        error.textContent = err.message;
        button.disabled = false;
      });
    });
  }

  function textarea(name, placeholder) {
    var t = el('textarea', 'note');
    t.name = name;
    t.placeholder = placeholder;
    t.maxLength = 300;
    return t;
  }

  function button(text, cls, value) {
    var b = el('button', 'btn ' + cls, text);
    b.type = 'submit';
    if (value) b.value = value;
    return b;
  }

  function rectificationForm() {
    var form = section('提交整改', 'rectify');
    var text = textarea('description', '整改措施和完成情况（至少 4 个字）');
    form.appendChild(text);
    var photos = LG.photoPicker('整改后照片（必填，可拍照或从相册选择，自动压缩）');
    form.appendChild(photos.box);
    wire(form, button('提交整改材料', 'primary'), function () {
      if (photos.pending > 0) return Promise.reject(new Error('照片仍在上传，请稍候'));
      return LG.api('POST', base + '/rectification', { description: text.value, photos: photos.photos });
    });
    return form;
  }

  function tomorrow() {
    var d = new Date(Date.now() + 8 * 3600000 + 86400000);
    return d.toISOString().slice(0, 10);
  }

  function extensionForm(h) {
    var form = section('申请延期', 'extension');
    if (h.pendingExtension) {
      form.appendChild(
        el(
          'p',
          'muted',
          '已于 ' +
            LG.fmtTime(h.pendingExtension.requestedAt) +
            ' 申请延期至 ' +
            h.pendingExtension.newDeadline +
            '，等待监管人员审批。',
        ),
      );
      return form;
    }
    var reason = textarea('reason', '延期理由（至少 4 个字）');
    var date = el('input', 'pick');
    date.type = 'date';
    date.name = 'newDeadline';
    date.min = tomorrow();
    var label = el('label', 'choice', '申请延至 ');
    label.appendChild(date);
    form.appendChild(reason);
    form.appendChild(label);
    wire(form, button('提交延期申请', ''), function () {
      if (!date.value) return Promise.reject(new Error('请选择新的整改期限'));
      return LG.api('POST', base + '/extension', { reason: reason.value, newDeadline: date.value });
    });
    return form;
  }

  function verifyForm() {
    var form = section('复核整改', 'verify');
    var reason = textarea('reason', '复核意见（驳回时必填）');
    form.appendChild(reason);
    var approve = button('通过', 'primary', 'APPROVED');
    var reject = button('驳回', 'danger', 'REJECTED');
    form.appendChild(approve);
    wire(form, reject, function (clicked) {
      var decision = clicked.value || 'APPROVED';
      if (decision === 'REJECTED' && reason.value.trim().length < 2)
        return Promise.reject(new Error('驳回时必须填写理由（至少 2 个字）'));
      return LG.api('POST', base + '/verify', { decision: decision, reason: reason.value.trim() || undefined });
    });
    return form;
  }

  function photoList(photos) {
    var box = el('div', 'thumbs');
    photos.forEach(function (p) {
      var img = el('img', 'thumb');
      img.src = p.url;
      img.alt = '照片';
      box.appendChild(img);
    });
    return box;
  }

  function rectificationView(r) {
    var box = el('div', 'card');
    box.appendChild(el('h2', 'chart-title', '最近一次整改（' + r.decisionLabel + '）'));
    box.appendChild(el('div', 'desc', r.description));
    box.appendChild(photoList(r.photos));
    var who = r.submittedBy + ' 提交于 ' + LG.fmtTime(r.submittedAt);
    if (r.decidedBy) who += '；' + r.decidedBy + ' 复核于 ' + LG.fmtTime(r.decidedAt);
    box.appendChild(el('div', 'muted', who));
    if (r.rejectReason) box.appendChild(el('div', 'form-error', '驳回理由：' + r.rejectReason));
    return box;
  }

  function timeline(items) {
    var box = el('div', 'card');
    box.appendChild(el('h2', 'chart-title', '处理记录'));
    var ol = el('ol', 'steps timeline');
    items.forEach(function (i) {
      ol.appendChild(el('li', '', LG.fmtTime(i.at) + '　' + i.label + (i.actor ? '（' + i.actor.name + '）' : '')));
    });
    box.appendChild(ol);
    return box;
  }

  function render() {
    var person = LG.person || {};
    var roles = person.roles || [];
    return Promise.all([LG.api('GET', base), LG.api('GET', base + '/timeline')]).then(
      function (r) {
        var h = r[0].hazard;
        var head = el('div', 'card');
        var row = el('div', 'row');
        row.appendChild(el('span', 'title', h.typeLabel));
        row.appendChild(LG.tag(h.gradeLabel, h.grade));
        row.appendChild(LG.tag(h.statusLabel, h.status));
        head.appendChild(row);
        head.appendChild(el('div', 'unit', h.unit.name));
        head.appendChild(LG.deadline(h));
        var dl = el('dl');
        LG.field(dl, '隐患描述', h.description);
        if (h.photos.length) LG.field(dl, '现场照片', photoList(h.photos));
        LG.field(dl, '发现日期', h.foundDate);
        LG.field(dl, '隐患来源', h.sourceLabel);
        LG.field(dl, '整改期限', h.deadlineText);
        LG.field(dl, '下发单位', h.issuer);
        LG.field(dl, '文书编号', h.noticeNo);
        LG.field(dl, '依据', (h.legalBasis || []).join('\n'));
        var acks;
        if (h.acks.length === 0) acks = el('span', 'muted', '尚无人确认知悉');
        else {
          acks = el('ul', 'acks');
          h.acks.forEach(function (a) {
            acks.appendChild(el('li', '', a.person.name + '　' + LG.fmtTime(a.at)));
          });
        }
        LG.field(dl, '知悉情况', acks);
        var parts = [head, dl];
        if (h.rectification) parts.push(rectificationView(h.rectification));
        var open = RECTIFIABLE.indexOf(h.status) >= 0;
        if (roles.indexOf('UNIT_MANAGER') >= 0 && open) parts.push(rectificationForm(), extensionForm(h));
        if (roles.indexOf('REGULATOR') >= 0 && h.status === 'SUBMITTED') parts.push(verifyForm());
        if (roles.indexOf('REGULATOR') >= 0 && h.pendingExtension && h.pendingExtension.approvalId) {
          var a = el('a', 'pill', '延期申请待审批：延至 ' + h.pendingExtension.newDeadline + '（去审批）');
          a.href = '/m/approvals/' + encodeURIComponent(h.pendingExtension.approvalId);
          parts.push(a);
        }
        parts.push(timeline(r[1].items));
        LG.show.apply(null, parts);
        var target = focus && document.querySelector('form.' + focus);
        if (target) target.scrollIntoView();
      },
      function (err) {
        if (err.status === 404) return LG.notice('未找到该隐患', err.message);
        if (err.status === 403) return LG.notice('无权查看', err.message);
        throw err;
      },
    );
  }

  LG.run(render);
})();
