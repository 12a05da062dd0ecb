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

  window.SimClient = { state: S, byId: byId, api: api, toast: toast, fmtTime: fmtTime };
})();
