// LeiGuard mini-app H5 (no build step; scripts only from this server). Signs in with a DingTalk
// authCode (from dingtalk-jsapi's dd.runtime.permission.requestAuthCode inside DingTalk, served
// locally at /m/assets/vendor/dingtalk-jsapi.js; outside DingTalk the simulator's "打开微应用"
// button plays the JSAPI and passes ?authCode=), then renders the page named by <body data-page>.
// m-forms.js adds the form fields, errors, banner and photos to window.LG; the page scripts
// (list.js, tasks.js, inspection.js, dashboard.js...) use window.LG and call LG.run.
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
  function noticeBox(title, detail) {
    var box = el('div', 'notice');
    box.appendChild(el('h2', '', title));
    if (detail) box.appendChild(el('p', '', detail));
    return box;
  }
  function notice(title, detail) {
    show(noticeBox(title, detail));
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
          // From m-forms.js: the page scripts that call run load after it.
          window.LG.banner('长辈模式未能保存：' + err.message, 'error');
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

  function field(dl, name, value) {
    if (value === undefined || value === null || value === '') return;
    dl.appendChild(el('dt', '', name));
    var dd = el('dd');
    if (value instanceof Node) dd.appendChild(value);
    else dd.textContent = String(value);
    dl.appendChild(dd);
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
    noticeBox: noticeBox,
    field: field,
    tag: tag,
    hazardTags: hazardTags,
    deadline: deadline,
    fmtTime: fmtTime,
    fmtDate: fmtDate,
    run: run,
    main: main,
  };
})();
