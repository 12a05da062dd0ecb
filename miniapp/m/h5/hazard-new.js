// 登记隐患 /m/hazards/new: a regulator finds a unit of the jurisdiction (GET /api/m/units: name,
// 统一社会信用代码 or address, paged), then files the hazard: type, grade, source, description,
// photos, legal basis and the deadline in working days or as a date (POST /api/m/hazards, the same
// core command as chat and cards). Every control has its label; errors appear next to their field
// and take the focus; the result is a banner at the top with a link to the hazard.
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;
  // Chinese labels of the API's codes (core/domain/labels.ts HazardType, HazardGrade, HazardSource).
  var TYPES = [
    ['EARTH_R', '接地电阻超标'],
    ['BONDING', '等电位连接缺失/过渡电阻超标'],
    ['SPD_FAIL', 'SPD失效/劣化'],
    ['AIR_TERM', '接闪器损坏锈蚀'],
    ['DOWN_COND', '引下线断开/松动'],
    ['OVERDUE', '未按期检测'],
    ['NO_PERMIT', '未经设计审核/竣工验收'],
    ['UNQUALIFIED_AGENCY', '委托无资质单位'],
    ['NO_SYSTEM', '制度/责任制缺失'],
    ['NO_PLAN', '应急预案缺失'],
    ['ARCHIVE', '档案不全'],
    ['OTHER', '其他'],
  ];
  var SOURCES = [
    ['ENFORCEMENT', '执法检查'],
    ['TEST', '定期检测'],
    ['SELF_CHECK', '单位自查'],
    ['REPORT', '群众举报'],
  ];
  var PAGE_SIZE = 10;

  function radios(name, options, checked) {
    var box = el('div', 'choices');
    box.setAttribute('role', 'radiogroup');
    options.forEach(function (o) {
      var label = el('label', 'choice');
      var input = el('input');
      input.type = 'radio';
      input.name = name;
      input.value = o[0];
      if (o[0] === checked) input.checked = true;
      label.appendChild(input);
      label.appendChild(document.createTextNode(o[1]));
      box.appendChild(label);
    });
    return box;
  }

  function group(title, name, control, hint) {
    var fs = el('fieldset', 'item');
    fs.setAttribute('data-field', name);
    var legend = el('legend', '', title);
    fs.appendChild(legend);
    if (hint) fs.appendChild(el('span', 'hint basis', hint));
    fs.appendChild(control);
    var err = el('span', 'field-error');
    fs.appendChild(err);
    return fs;
  }

  function select(name, options) {
    var s = el('select', 'pick');
    s.name = name;
    options.forEach(function (o) {
      var opt = el('option', '', o[1]);
      opt.value = o[0];
      s.appendChild(opt);
    });
    return s;
  }

  function render(person) {
    var main = LG.main;
    main.textContent = '';
    if (!person || (person.roles || []).indexOf('REGULATOR') < 0) {
      LG.notice('只有执法人员可以登记隐患', '请用执法人员的钉钉账号打开本页。');
      return;
    }
    var form = el('form', 'card file-hazard');
    form.noValidate = true;
    var h = el('h2', 'chart-title', '登记隐患');
    h.id = 'form-file-hazard';
    form.setAttribute('aria-labelledby', h.id);
    form.appendChild(h);

    // 1. The unit: search, then pick one from the results (each result a whole-row radio).
    var q = el('input', 'text');
    q.type = 'search';
    q.name = 'q';
    q.setAttribute('enterkeyhint', 'search');
    var searchBox = LG.formField('查找单位', q, '输入单位名称、统一社会信用代码或地址中的几个字');
    var find = el('button', 'btn', '查找');
    find.type = 'button';
    searchBox.appendChild(find);
    form.appendChild(searchBox);
    var results = el('div', 'choices unit-results');
    results.setAttribute('role', 'radiogroup');
    var unitGroup = group('选择单位', 'unitId', results, '在查找结果中选择要登记隐患的单位');
    form.appendChild(unitGroup);
    var pager = el('div', 'nav');
    form.appendChild(pager);

    function search(p) {
      var text = q.value.trim();
      if (!text) return LG.showErrors(form, [{ path: 'q', message: '请输入单位名称、统一社会信用代码或地址' }]);
      LG.clearErrors(form);
      results.textContent = '';
      results.appendChild(el('p', 'muted', '正在查找…'));
      LG.api('GET', '/api/m/units?q=' + encodeURIComponent(text) + '&page=' + p + '&pageSize=' + PAGE_SIZE).then(
        function (r) {
          results.textContent = '';
          pager.textContent = '';
          if (r.items.length === 0) {
            results.appendChild(el('p', 'muted', '本辖区没有找到「' + text + '」，请换个关键词'));
            return;
          }
          r.items.forEach(function (u) {
            var label = el('label', 'choice unit');
            var input = el('input');
            input.type = 'radio';
            input.name = 'unitId';
            input.value = u.id;
            label.appendChild(input);
            var text2 = el('span', '');
            text2.appendChild(el('span', 'subject', u.name));
            text2.appendChild(el('span', 'unit', ' ' + u.regionName + ' · ' + u.categoryLabel + ' · ' + u.uscc));
            text2.appendChild(el('span', 'unit', ' ' + u.address));
            label.appendChild(text2);
            results.appendChild(label);
          });
          var pages = Math.ceil(r.total / r.pageSize);
          pager.appendChild(el('span', 'muted', '共 ' + r.total + ' 家，第 ' + r.page + '/' + pages + ' 页'));
          if (r.page > 1) pager.appendChild(pageButton('上一页', r.page - 1));
          if (r.page < pages) pager.appendChild(pageButton('下一页', r.page + 1));
        },
        function (err) {
          results.textContent = '';
          LG.formFailed(form, err);
        },
      );
    }
    function pageButton(text, p) {
      var b = el('button', 'pill', text);
      b.type = 'button';
      b.addEventListener('click', function () {
        search(p);
      });
      return b;
    }
    find.addEventListener('click', function () {
      search(1);
    });
    q.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
        search(1);
      }
    });

    // 2. The hazard.
    var type = select('type', [['', '请选择']].concat(TYPES));
    form.appendChild(LG.formField('隐患类型', type));
    form.appendChild(
      group(
        '隐患等级',
        'grade',
        radios(
          'grade',
          [
            ['GENERAL', '一般隐患'],
            ['MAJOR', '重大隐患'],
          ],
          'GENERAL',
        ),
      ),
    );
    var source = select('source', SOURCES);
    form.appendChild(LG.formField('隐患来源', source));
    var desc = el('textarea', 'note');
    desc.name = 'description';
    desc.maxLength = 300;
    form.appendChild(
      LG.formField(
        '隐患描述',
        desc,
        '至少 4 个字，写明部位、实测值和标准值，例如：3 号罐接地电阻实测 18.6 Ω，超过 10 Ω',
      ),
    );
    var photos = LG.photoPicker('现场照片（可选，可拍照或从相册选择，自动压缩）', 'photos');
    form.appendChild(photos.box);
    var basis = el('input', 'text');
    basis.name = 'legalBasis';
    basis.maxLength = 200;
    form.appendChild(
      LG.formField('法律依据', basis, '可不填：默认《防雷减灾管理办法》（中国气象局令第24号）第十九条、第三十五条'),
    );

    // 3. The deadline: working days or a date.
    var mode = radios(
      'deadlineMode',
      [
        ['days', '按工作日数'],
        ['date', '指定截止日期'],
      ],
      'days',
    );
    form.appendChild(group('整改期限', 'deadlineMode', mode));
    var days = el('input', 'text');
    days.type = 'number';
    days.inputMode = 'numeric';
    days.name = 'deadlineWorkingDays';
    days.min = '1';
    days.max = '120';
    days.value = '10';
    var daysField = LG.formField('工作日数', days, '1 到 120 个工作日，按法定节假日计算');
    form.appendChild(daysField);
    var date = el('input', 'pick');
    date.type = 'date';
    date.name = 'deadline';
    var dateField = LG.formField('截止日期', date, '整改须在该日 24 时前完成');
    dateField.classList.add('hidden');
    form.appendChild(dateField);
    mode.addEventListener('change', function () {
      var byDate = form.querySelector('input[name="deadlineMode"]:checked').value === 'date';
      daysField.classList.toggle('hidden', byDate);
      dateField.classList.toggle('hidden', !byDate);
    });

    var error = el('div', 'form-error', '');
    error.setAttribute('role', 'alert');
    form.appendChild(error);
    var submit = el('button', 'btn primary', '登记并通知单位');
    submit.type = 'submit';
    form.appendChild(submit);

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var unit = form.querySelector('input[name="unitId"]:checked');
      var byDate = form.querySelector('input[name="deadlineMode"]:checked').value === 'date';
      var problems = [];
      if (!unit) problems.push({ path: 'unitId', message: '请先查找并选择单位' });
      if (!type.value) problems.push({ path: 'type', message: '请选择隐患类型' });
      if (desc.value.trim().length < 4)
        problems.push({ path: 'description', message: '请描述隐患情况（至少 4 个字）' });
      if (photos.pending > 0) problems.push({ path: 'photos', message: '照片仍在上传，请稍候再提交' });
      var n = Number(days.value);
      if (!byDate && !(n >= 1 && n <= 120 && Math.floor(n) === n))
        problems.push({ path: 'deadlineWorkingDays', message: '请填写 1 到 120 之间的工作日数' });
      if (byDate && !date.value) problems.push({ path: 'deadline', message: '请选择截止日期' });
      if (problems.length) return LG.showErrors(form, problems);
      LG.clearErrors(form);
      var body = {
        unitId: unit.value,
        type: type.value,
        grade: form.querySelector('input[name="grade"]:checked').value,
        source: source.value,
        description: desc.value.trim(),
        photos: photos.photos,
      };
      if (basis.value.trim()) body.legalBasis = basis.value.trim();
      if (byDate) body.deadline = date.value;
      else body.deadlineWorkingDays = n;
      submit.disabled = true;
      var unitName = unit.parentNode.querySelector('.subject').textContent;
      LG.api('POST', '/api/m/hazards', body).then(
        function (r) {
          render(person);
          var b = LG.banner('已登记隐患 ' + r.no + '（' + unitName + '），整改通知已发送给单位负责人');
          var link = el('a', '', '查看隐患');
          link.href = '/m/hazards/' + encodeURIComponent(r.hazardId);
          link.className = 'pill';
          b.appendChild(document.createTextNode(' '));
          b.appendChild(link);
        },
        function (err) {
          submit.disabled = false;
          LG.formFailed(form, err);
        },
      );
    });
    main.appendChild(form);
  }

  LG.run(render);
})();
