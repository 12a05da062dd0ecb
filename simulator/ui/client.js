// Shared client plumbing for the chat UI: state, JSON calls to the test API, toast, time format.
(function () {
  'use strict';
  var S = {
    users: [],
    groups: [],
    apps: [],
    messages: [],
    lastSeq: 0,
    cards: {},
    viewer: '',
    current: null,
    renderedKey: '',
  };
  function byId(id) {
    return document.getElementById(id);
  }

  function api(method, path, body) {
    return fetch(path, {
      method: method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) throw new Error(j.error || '请求失败：' + r.status);
        return j;
      });
    });
  }
  function toast(text) {
    var t = byId('toast');
    t.textContent = text;
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () {
      t.hidden = true;
    }, 3500);
  }
  function fmtTime(ms) {
    var d = new Date(ms);
    var opts = { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false };
    var day = d.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
    var today = new Date().toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
    return (day === today ? '' : day + ' ') + d.toLocaleTimeString('zh-CN', opts);
  }

  // Opens a link as the DingTalk client would. A page of the micro-app (the origin of its
  // homepageUrl) is opened signed in: a fresh authCode for the person viewing, plus corpId, in the
  // URL, as dd.runtime.permission.requestAuthCode would give it. The window is opened at once (a
  // click's popup is allowed only synchronously) and pointed at the page when the code arrives.
  function openLink(url) {
    var app = S.apps[0] || {};
    var home = app.homepageUrl ? new URL(app.homepageUrl) : null;
    var target;
    try {
      target = new URL(url, location.href);
    } catch (e) {
      return toast('链接无效：' + url);
    }
    if (!home || target.origin !== home.origin || !S.viewer) return window.open(target.href, '_blank', 'noopener');
    var win = window.open('about:blank', '_blank');
    api('POST', '/__sim/authcodes', { userId: S.viewer })
      .then(function (r) {
        target.searchParams.set('authCode', r.code);
        target.searchParams.set('corpId', app.corpId || '');
        if (win) {
          win.opener = null;
          win.location.href = target.href;
        } else window.open(target.href, '_blank', 'noopener');
      })
      .catch(function (err) {
        if (win) win.close();
        toast(err.message);
      });
  }

  window.SimClient = { state: S, byId: byId, api: api, toast: toast, fmtTime: fmtTime, openLink: openLink };
})();
