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
    todos: [],
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

  // Opens a mini-app page the way DingTalk's container does for an H5 micro-app: with a fresh 免登
  // authCode (and the corpId) in the address, which the page exchanges for a session.
  function openWithAuthCode(url, userId) {
    return api('POST', '/__sim/authcodes', { userId: userId }).then(function (r) {
      var app = S.apps[0] || {};
      var sep = url.indexOf('?') >= 0 ? '&' : '?';
      var extra = url.indexOf('corpId=') >= 0 ? '' : '&corpId=' + encodeURIComponent(app.corpId || '');
      window.open(url + sep + 'authCode=' + encodeURIComponent(r.code) + extra, '_blank', 'noopener');
    });
  }

  window.SimClient = {
    state: S,
    byId: byId,
    api: api,
    toast: toast,
    fmtTime: fmtTime,
    openWithAuthCode: openWithAuthCode,
  };
})();
