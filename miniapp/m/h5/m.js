// LeiGuard mini-app H5 (no build step; scripts only from this server). Signs in with a DingTalk
// authCode (from dingtalk-jsapi's dd.runtime.permission.requestAuthCode inside DingTalk, served
// locally at /m/assets/vendor/dingtalk-jsapi.js; outside DingTalk the simulator's "打开微应用"
// button plays the JSAPI and passes ?authCode=), then renders the page named by <body data-page>.
// Other page scripts (tasks.js, inspection.js, dashboard.js...) use window.LG and call LG.run.
(function () {
  'use strict';
  var TOKEN_KEY = 'leiguard.m.token';
  var main = document.getElementById('main');

  function store(fn) {
    try {
      return fn(window.sessionStorage);
    } catch (e) {
      return null;
    }
  }
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }
  function show() {
    main.textContent = '';
    for (var i = 0; i < arguments.length; i++) main.appendChild(arguments[i]);
  }
  function notice(title, detail) {
    var box = el('div', 'notice');
    box.appendChild(el('h2', '', title));
    if (detail) box.appendChild(el('p', '', detail));
    show(box);
  }
  // One way to write times (UX rules): 2026-12-06 07:54 and 2026-12-06, Beijing time.
  function shanghai(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return null;
    return new Date(d.getTime() + 8 * 3600000).toISOString();
  }
  function fmtTime(iso) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(String(iso))) return String(iso);
    var s = shanghai(iso);
    return s ? s.slice(0, 10) + ' ' + s.slice(11, 16) : String(iso || '');
  }
  function fmtDate(iso) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(String(iso))) return String(iso);
    var s = shanghai(iso);
    return s ? s.slice(0, 10) : String(iso || '');
  }

  function api(method, path, body) {
    var headers = { Accept: 'application/json' };
    var token = store(function (s) {
      return s.getItem(TOKEN_KEY);
    });
    if (token) headers.Authorization = 'Bearer ' + token;
    // FormData (photo uploads) goes as multipart; anything else as JSON.
    var form = typeof FormData !== 'undefined' && body instanceof FormData;
    if (body && !form) headers['Content-Type'] = 'application/json';
    return fetch(path, {
      method: method,
      headers: headers,
      body: body ? (form ? body : JSON.stringify(body)) : undefined,
      credentials: 'same-origin',
    }).then(
      function (res) {
        return res
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            if (res.ok) return data;
            var err = new Error((data.error && data.error.message) || '请求失败（HTTP ' + res.status + '）');
            err.status = res.status;
            err.code = data.error && data.error.code;
            err.details = data.error && data.error.details;
            err.fields = (data.error && data.error.details && data.error.details.fields) || [];
            throw err;
          });
      },
      function () {
        throw new Error('网络连接失败，请检查网络后重试');
      },
    );
  }

  function corpId(params) {
    var meta = document.querySelector('meta[name="leiguard-corp-id"]');
    return params.get('corpId') || (meta && meta.getAttribute('content')) || '';
  }

  function ddAuthCode(corp) {
    return new Promise(function (resolve, reject) {
      var ask = function () {
        window.dd.runtime.permission.requestAuthCode({
          corpId: corp,
          onSuccess: function (r) {
            resolve(r.code);
          },
          onFail: function (e) {
            reject(
              new Error(
                '钉钉免登授权失败' + (e && (e.errorMessage || e.message) ? '：' + (e.errorMessage || e.message) : ''),
              ),
            );
          },
        });
      };
      if (typeof window.dd.ready === 'function') window.dd.ready(ask);
      else ask();
    });
  }

  // dingtalk-jsapi is loaded on every page; outside DingTalk it reports platform "notInDingTalk".
  function inDingTalk() {
    var dd = window.dd;
    return Boolean(dd && dd.runtime && dd.runtime.permission && !(dd.env && dd.env.platform === 'notInDingTalk'));
  }

  function exchange(code) {
    return api('POST', '/api/m/session', { authCode: code }).then(function (r) {
      store(function (s) {
        s.setItem(TOKEN_KEY, r.token);
      });
      return { person: r.person, settings: r.settings || {} };
    });
  }

  // authCode in the URL first (single use: removed from the address bar at once), then an
  // existing session, then DingTalk's JSAPI.
  function login() {
    var params = new URLSearchParams(location.search);
    var code = params.get('authCode');
    var corp = corpId(params);
    if (code) {
      params.delete('authCode');
      params.delete('corpId');
      var rest = params.toString();
      history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
      return exchange(code);
    }
    return api('GET', '/api/m/me').then(
      function (r) {
        return { person: r.person, settings: r.settings || {} };
      },
      function (err) {
        if (err.status !== 401) throw err;
        store(function (s) {
          s.removeItem(TOKEN_KEY);
        });
        if (inDingTalk()) return ddAuthCode(corp).then(exchange);
        var e = new Error(
          '本页面需要钉钉免登授权。请在钉钉中从“雷卫”工作台应用或消息卡片的链接打开；在电脑上调试时，可在钉钉模拟器聊天界面点击“打开微应用（免登）”。',
        );
        e.title = '请在钉钉中打开雷卫小程序';
        throw e;
      },
    );
  }

  // 长辈模式: remembered on the person's record (PUT /api/m/me/settings); the last known choice is
  // kept in this browser too, so the next page starts in it before the answer comes.
  var ELDER_KEY = 'leiguard.m.elder';
  function applyElder(on) {
    document.documentElement.classList.toggle('elder', Boolean(on));
    var sw = document.getElementById('elder-switch');
    if (sw) sw.setAttribute('aria-checked', on ? 'true' : 'false');
    try {
      window.localStorage.setItem(ELDER_KEY, on ? '1' : '0');
    } catch (e) {
      /* private mode: the server still remembers */
    }
  }
  try {
    if (window.localStorage.getItem(ELDER_KEY) === '1') document.documentElement.classList.add('elder');
  } catch (e) {
    /* ignore */
  }
  function elderSwitch(on) {
    var bar = document.querySelector('header.bar');
    if (!bar || document.getElementById('elder-switch')) return applyElder(on);
    var sw = el('button', 'switch');
    sw.type = 'button';
    sw.id = 'elder-switch';
    sw.setAttribute('role', 'switch');
    sw.appendChild(el('span', 'knob'));
    sw.appendChild(el('span', '', '长辈模式'));
    sw.addEventListener('click', function () {
      var next = sw.getAttribute('aria-checked') !== 'true';
      applyElder(next);
      api('PUT', '/api/m/me/settings', { elderMode: next }).then(
        function (r) {
          applyElder(r.settings.elderMode);
        },
        function (err) {
          applyElder(!next);
          banner('长辈模式未能保存：' + err.message, 'error');
        },
      );
    });
    bar.appendChild(sw);
    applyElder(on);
  }

  function tag(text, cls) {
    return el('span', 'tag ' + (cls || ''), text);
  }
  // The deadline in words; overdue ones in red and bold, never by colour alone (「已逾期 N 天」).
  function deadline(h) {
    return el('div', 'deadline' + (h.overdue || h.escalated ? ' late' : ''), h.deadlineText);
  }
  // Tags of a hazard: grade, status, and 「已上报」/「已逾期 N 天」 when urgent.
  function hazardTags(row, h) {
    row.appendChild(tag(h.gradeLabel, h.grade));
    row.appendChild(tag(h.statusLabel, h.status));
    if (h.overdue && h.status !== 'OVERDUE') row.appendChild(tag('已逾期 ' + h.overdueDays + ' 天', 'late'));
  }

  // 「我的隐患」: open ones by default, most urgent first; 「已销号」 lists the closed ones. The
  // dashboard's figures open this list with their filter (status, overdue, region, unit).
  function renderList() {
    var q = new URLSearchParams(location.search);
    var state = q.get('state') === 'closed' ? 'closed' : q.get('state') === 'all' ? 'all' : 'open';
    var api_q = new URLSearchParams({ state: state });
    ['status', 'overdue', 'region', 'unit'].forEach(function (k) {
      if (q.get(k)) api_q.set(k, q.get(k));
    });
    var filtered = api_q.toString() !== 'state=' + state;
    return api('GET', '/api/m/hazards?' + api_q.toString()).then(function (r) {
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
          noticeBox(
            state === 'closed' ? '暂无已销号的隐患' : '暂无符合条件的隐患',
            state === 'closed' ? '' : '您负责的单位或辖区目前没有需要处理的防雷安全隐患。',
          ),
        );
        return show.apply(null, parts);
      }
      var list = el('div', 'list');
      r.items.forEach(function (h) {
        var a = el('a', 'card' + (h.urgent ? ' urgent' : ''));
        a.href = '/m/hazards/' + encodeURIComponent(h.id);
        a.appendChild(el('div', 'subject', h.unit.name));
        var row = el('div', 'row');
        row.appendChild(el('span', 'title', h.typeLabel));
        hazardTags(row, h);
        a.appendChild(row);
        a.appendChild(el('div', 'desc', h.description));
        a.appendChild(deadline(h));
        list.appendChild(a);
      });
      parts.push(list);
      show.apply(null, parts);
    });
  }
  function noticeBox(title, detail) {
    var box = el('div', 'notice');
    box.appendChild(el('h2', '', title));
    if (detail) box.appendChild(el('p', '', detail));
    return box;
  }

  function field(dl, name, value) {
    if (value === undefined || value === null || value === '') return;
    dl.appendChild(el('dt', '', name));
    var dd = el('dd');
    if (value instanceof Node) dd.appendChild(value);
    else dd.textContent = String(value);
    dl.appendChild(dd);
  }

  // Form fields with a visible label bound to the control, a hint, and a place for its error next
  // to it (UX rules). `name` is the API's field name: errors from the server land here by it.
  var seq = 0;
  function formField(labelText, control, hint) {
    var box = el('div', 'field');
    box.setAttribute('data-field', control.name || '');
    control.id = control.id || 'f' + ++seq;
    var label = el('label', 'label', labelText);
    label.htmlFor = control.id;
    box.appendChild(label);
    var described = [];
    if (hint) {
      var h = el('span', 'hint', hint);
      h.id = control.id + '-hint';
      described.push(h.id);
      box.appendChild(h);
    }
    var err = el('span', 'field-error');
    err.id = control.id + '-error';
    described.push(err.id);
    box.appendChild(control);
    box.appendChild(err);
    control.setAttribute('aria-describedby', described.join(' '));
    return box;
  }
  function clearErrors(form) {
    form.querySelectorAll('.field-error').forEach(function (e) {
      e.textContent = '';
    });
    form.querySelectorAll('[aria-invalid]').forEach(function (c) {
      c.removeAttribute('aria-invalid');
    });
    var top = form.querySelector('.form-error');
    if (top) top.textContent = '';
  }
  // Shows each message next to its field (by the field name the API reports, or the page's own
  // checks) and moves the focus to the first one; the rest goes to the form's own error line.
  // Nothing the person typed is touched.
  function showErrors(form, errors) {
    clearErrors(form);
    var first = null;
    var rest = [];
    errors.forEach(function (e) {
      var key = String(e.path || '').split('.')[0];
      var box = key && form.querySelector('[data-field="' + key + '"]');
      if (!box) return rest.push(e.message);
      var slot = box.querySelector('.field-error');
      if (slot.textContent) return;
      slot.textContent = e.message;
      var control = box.querySelector('input, textarea, select');
      if (control) control.setAttribute('aria-invalid', 'true');
      if (!first) first = control || box;
    });
    var top = form.querySelector('.form-error');
    if (top && rest.length) top.textContent = rest.join('；');
    var target = first || top;
    if (target) {
      if (!target.hasAttribute('tabindex') && !/^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName))
        target.setAttribute('tabindex', '-1');
      target.focus();
    }
  }
  // A failed request on a form: its field errors next to the fields, otherwise its message.
  function formFailed(form, err) {
    var fields = (err.fields || []).filter(function (f) {
      return f.path;
    });
    showErrors(form, fields.length ? fields : [{ path: '', message: err.message }]);
  }

  // The result of a submission, at the top of the screen where it is seen (UX rules: Confirm).
  function banner(text, kind) {
    var old = document.getElementById('banner');
    if (old) old.remove();
    var b = el('div', 'banner ' + (kind || 'ok'), text);
    b.id = 'banner';
    b.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    b.setAttribute('tabindex', '-1');
    main.insertBefore(b, main.firstChild);
    window.scrollTo(0, 0);
    b.focus();
    return b;
  }

  // Photos open full size in an overlay (and as a link when scripts fail).
  function viewPhoto(url, alt) {
    var box = el('div', 'photo-view');
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-modal', 'true');
    box.setAttribute('aria-label', alt);
    var img = el('img');
    img.src = url;
    img.alt = alt;
    var close = el('button', 'btn', '关闭');
    close.type = 'button';
    var back = document.activeElement;
    function done() {
      box.remove();
      if (back && back.focus) back.focus();
    }
    close.addEventListener('click', done);
    box.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') done();
    });
    box.appendChild(img);
    box.appendChild(close);
    document.body.appendChild(box);
    close.focus();
  }
  function photoLink(url, alt) {
    var a = el('a');
    a.href = url;
    a.setAttribute('aria-label', alt + '（点击查看大图）');
    var img = el('img', 'thumb');
    img.src = url;
    img.alt = alt;
    a.appendChild(img);
    a.addEventListener('click', function (e) {
      e.preventDefault();
      viewPhoto(url, alt);
    });
    return a;
  }
  function photoList(photos, what) {
    var box = el('div', 'thumbs');
    photos.forEach(function (p, i) {
      box.appendChild(photoLink(p.url, (what || '照片') + ' ' + (i + 1)));
    });
    return box;
  }

  // Photos are shrunk to at most 1600 px and re-encoded as JPEG 0.8 before upload: phone photos
  // are 3-8 MB, which a site's mobile network and the upload limit should not have to carry.
  var MAX_SIDE = 1600;
  function compress(file) {
    return new Promise(function (resolve, reject) {
      if (!/^image\//.test(file.type || '')) return reject(new Error('所选文件不是图片，请拍照或从相册选择图片'));
      var src = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
        var canvas = document.createElement('canvas');
        canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
        canvas.getContext('2d').drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(src);
        canvas.toBlob(
          function (blob) {
            if (blob) resolve(blob);
            else reject(new Error('图片压缩失败，请换一张图片'));
          },
          'image/jpeg',
          0.8,
        );
      };
      img.onerror = function () {
        URL.revokeObjectURL(src);
        reject(new Error('图片无法读取，请换一张图片'));
      };
      img.src = src;
    });
  }

  // A photo field (camera or album) with its label, a button-sized target, the thumbnails and a
  // place for its error: state.photos gets [{url}] as uploads finish; state.pending counts the rest.
  // `name` is the API's field name (errors about it land here).
  function photoPicker(label, name) {
    var box = el('div', 'photos field');
    box.setAttribute('data-field', name || 'photos');
    var state = { photos: [], pending: 0, box: box };
    var id = 'f' + ++seq;
    var pick = el('input', 'photo sr-only');
    pick.type = 'file';
    pick.accept = 'image/*';
    pick.multiple = true;
    pick.id = id;
    var title = el('span', 'label', label);
    var button = el('label', 'upload-btn', '拍照或选择照片');
    button.htmlFor = id;
    pick.setAttribute('aria-label', label);
    var thumbs = el('div', 'thumbs');
    var status = el('div', 'upload-status muted');
    status.setAttribute('role', 'status');
    var err = el('span', 'field-error');
    err.id = id + '-error';
    pick.setAttribute('aria-describedby', err.id);
    box.appendChild(title);
    box.appendChild(pick);
    box.appendChild(button);
    box.appendChild(thumbs);
    box.appendChild(status);
    box.appendChild(err);
    pick.addEventListener('change', function () {
      var files = Array.prototype.slice.call(pick.files || []);
      pick.value = '';
      files.forEach(function (f) {
        state.pending++;
        status.className = 'upload-status muted';
        status.textContent = '正在压缩并上传…';
        compress(f)
          .then(function (blob) {
            var form = new FormData();
            form.append('file', blob, 'photo.jpg');
            return api('POST', '/api/m/uploads', form).then(function (r) {
              state.photos.push({ url: r.url });
              thumbs.appendChild(photoLink(URL.createObjectURL(blob), '已上传的照片 ' + state.photos.length));
              status.textContent = '已上传 ' + state.photos.length + ' 张';
              err.textContent = '';
              pick.removeAttribute('aria-invalid');
            });
          })
          .catch(function (e) {
            status.textContent = e.message;
            status.className = 'upload-status error';
          })
          .then(function () {
            state.pending--;
          });
      });
    });
    return state;
  }

  // Signs in, then renders; a failure anywhere becomes a notice a person can act on.
  function run(render) {
    login()
      .then(function (me) {
        var who = document.getElementById('who');
        if (who && me.person) who.textContent = me.person.name;
        window.LG.person = me.person;
        window.LG.settings = me.settings;
        elderSwitch(Boolean(me.settings && me.settings.elderMode));
        return render(me.person);
      })
      .catch(function (err) {
        notice(err.title || (err.status === 401 || err.status === 403 ? '无法登录' : '加载失败'), err.message);
      });
  }

  window.LG = {
    api: api,
    el: el,
    show: show,
    notice: notice,
    field: field,
    formField: formField,
    showErrors: showErrors,
    clearErrors: clearErrors,
    formFailed: formFailed,
    banner: banner,
    tag: tag,
    hazardTags: hazardTags,
    deadline: deadline,
    fmtTime: fmtTime,
    fmtDate: fmtDate,
    run: run,
    main: main,
    photoPicker: photoPicker,
    photoList: photoList,
  };
  if (document.body.getAttribute('data-page') === 'list') run(renderList);
})();
