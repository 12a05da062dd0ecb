// 隐患详情 /m/hazards/:id (also /rectify and /extension, where the card's 「提交整改」 and 「申请延期」
// buttons lead): the hazard (its unit first), its evidence and timeline; for the unit's manager the
// rectification and extension forms, for a regulator of the jurisdiction 「通过」/「驳回」 (a reason is
// required to reject). Errors appear next to their field and take the focus; a submission ends with
// a banner at the top. The hazard loop's API (core/hazard) checks permission and state again.
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
    var h = el('h2', 'chart-title', title);
    h.id = 'form-' + cls;
    form.setAttribute('aria-labelledby', h.id);
    form.appendChild(h);
    return form;
  }

  // A form's submit: the page's own checks first (errors next to the fields), one post at a time;
  // success re-renders the page with `done` in a banner at the top, a refusal stays on the form.
  function wire(form, button, check, post, done) {
    var error = el('div', 'form-error', '');
    error.setAttribute('role', 'alert');
    form.appendChild(error);
    form.appendChild(button);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var clicked = e.submitter || button;
      var problems = check(clicked);
      if (problems.length) return LG.showErrors(form, problems);
      LG.clearErrors(form);
      var p = post(clicked);
      form.querySelectorAll('button').forEach(function (b) {
        b.disabled = true;
      });
      p.then(
        function () {
          return render(done(clicked));
        },
        function (err) {
          form.querySelectorAll('button').forEach(function (b) {
            b.disabled = false;
          });
          LG.formFailed(form, err);
        },
      );
    });
  }

  function textarea(name) {
    var t = el('textarea', 'note');
    t.name = name;
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
    var text = textarea('description');
    form.appendChild(LG.formField('整改措施和完成情况', text, '至少 4 个字，例如：更换锈蚀接地极 4 根，复测 3.2 Ω'));
    var photos = LG.photoPicker('整改后照片（必填，可拍照或从相册选择，自动压缩）', 'photos');
    form.appendChild(photos.box);
    wire(
      form,
      button('提交整改材料', 'primary'),
      function () {
        var problems = [];
        if (text.value.trim().length < 4)
          problems.push({ path: 'description', message: '请描述整改措施（至少 4 个字）' });
        if (photos.pending > 0) problems.push({ path: 'photos', message: '照片仍在上传，请稍候再提交' });
        else if (photos.photos.length === 0) problems.push({ path: 'photos', message: '请上传至少 1 张整改后照片' });
        return problems;
      },
      function () {
        return LG.api('POST', base + '/rectification', { description: text.value, photos: photos.photos });
      },
      function () {
        return '整改材料已提交，等待监管人员复核';
      },
    );
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
          '',
          '已于 ' +
            LG.fmtTime(h.pendingExtension.requestedAt) +
            ' 申请延期至 ' +
            h.pendingExtension.newDeadline +
            '，等待监管人员审批。',
        ),
      );
      return form;
    }
    var reason = textarea('reason');
    var date = el('input', 'pick');
    date.type = 'date';
    date.name = 'newDeadline';
    date.min = tomorrow();
    form.appendChild(LG.formField('延期理由', reason, '至少 4 个字，说明为什么不能按期完成'));
    form.appendChild(LG.formField('申请延至', date, '新的整改期限，须晚于当前期限'));
    wire(
      form,
      button('提交延期申请', ''),
      function () {
        var problems = [];
        if (reason.value.trim().length < 4) problems.push({ path: 'reason', message: '请说明延期理由（至少 4 个字）' });
        if (!date.value) problems.push({ path: 'newDeadline', message: '请选择新的整改期限' });
        return problems;
      },
      function () {
        return LG.api('POST', base + '/extension', { reason: reason.value, newDeadline: date.value });
      },
      function () {
        return '延期申请已提交，等待监管人员审批';
      },
    );
    return form;
  }

  function verifyForm() {
    var form = section('复核整改', 'verify');
    var reason = textarea('reason');
    form.appendChild(LG.formField('复核意见', reason, '驳回时必填，说明还需要怎样整改'));
    var approve = button('通过', 'primary', 'APPROVED');
    var reject = button('驳回', 'danger', 'REJECTED');
    form.appendChild(approve);
    wire(
      form,
      reject,
      function (clicked) {
        if (clicked.value === 'REJECTED' && reason.value.trim().length < 2)
          return [{ path: 'reason', message: '驳回时必须填写理由（至少 2 个字）' }];
        return [];
      },
      function (clicked) {
        var decision = clicked.value || 'APPROVED';
        return LG.api('POST', base + '/verify', { decision: decision, reason: reason.value.trim() || undefined });
      },
      function (clicked) {
        return clicked.value === 'REJECTED' ? '已驳回，单位将按您的意见重新整改' : '已通过复核，隐患已销号';
      },
    );
    return form;
  }

  function rectificationView(r) {
    var box = el('section', 'card');
    box.appendChild(el('h2', 'chart-title', '最近一次整改（' + r.decisionLabel + '）'));
    box.appendChild(el('div', 'desc', r.description));
    box.appendChild(LG.photoList(r.photos, '整改后照片'));
    var who = r.submittedBy + ' 提交于 ' + LG.fmtTime(r.submittedAt);
    if (r.decidedBy) who += '；' + r.decidedBy + ' 复核于 ' + LG.fmtTime(r.decidedAt);
    box.appendChild(el('div', 'muted', who));
    if (r.rejectReason) box.appendChild(el('div', 'form-error', '驳回理由：' + r.rejectReason));
    return box;
  }

  function timeline(items) {
    var box = el('section', 'card');
    box.appendChild(el('h2', 'chart-title', '处理记录'));
    var ol = el('ol', 'steps timeline');
    items.forEach(function (i) {
      ol.appendChild(el('li', '', LG.fmtTime(i.at) + '　' + i.label + (i.actor ? '（' + i.actor.name + '）' : '')));
    });
    box.appendChild(ol);
    return box;
  }

  function render(done) {
    var person = LG.person || {};
    var roles = person.roles || [];
    return Promise.all([LG.api('GET', base), LG.api('GET', base + '/timeline')]).then(
      function (r) {
        var h = r[0].hazard;
        document.title = '雷卫 · ' + h.unit.name + ' · ' + h.typeLabel;
        var head = el('div', 'card' + (h.urgent ? ' urgent' : ''));
        head.appendChild(el('h2', 'subject chart-title', h.unit.name));
        var row = el('div', 'row');
        row.appendChild(el('span', 'title', h.typeLabel));
        LG.hazardTags(row, h);
        head.appendChild(row);
        head.appendChild(LG.deadline(h));
        var dl = el('dl');
        LG.field(dl, '隐患描述', h.description);
        if (h.photos.length) LG.field(dl, '现场照片', LG.photoList(h.photos, '现场照片'));
        LG.field(dl, '发现日期', h.foundDate);
        LG.field(dl, '隐患来源', h.sourceLabel);
        LG.field(dl, '整改期限', h.deadlineDate);
        LG.field(dl, '下发单位', h.issuer);
        LG.field(dl, '文书编号', h.noticeNo);
        LG.field(dl, '依据', (h.legalBasis || []).join('\n'));
        var acks;
        if (h.acks.length === 0) acks = el('span', '', '尚无人确认知悉');
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
        if (roles.indexOf('UNIT_MANAGER') >= 0 && open) {
          parts.push(rectificationForm());
          // An extension can be asked for only before the deadline (core/hazard/extension.ts).
          if (!h.overdue) parts.push(extensionForm(h));
          else parts.push(el('p', 'deadline late', '整改期限已过，不能再申请延期，请尽快完成整改并提交材料。'));
        }
        if (roles.indexOf('REGULATOR') >= 0 && h.status === 'SUBMITTED') parts.push(verifyForm());
        if (roles.indexOf('REGULATOR') >= 0 && h.pendingExtension && h.pendingExtension.approvalId) {
          var a = el('a', 'pill', '延期申请待审批：延至 ' + h.pendingExtension.newDeadline + '（去审批）');
          a.href = '/m/approvals/' + encodeURIComponent(h.pendingExtension.approvalId);
          parts.push(a);
        }
        parts.push(timeline(r[1].items));
        LG.show.apply(null, parts);
        if (typeof done === 'string') return LG.banner(done);
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
