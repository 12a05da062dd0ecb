// Chat UI: conversations per person (their 1:1 chat with the robot) and per group, live updates
// over Server-Sent Events, working card buttons and a composer that talks to the robot. The list
// is chats.js's, the open conversation chat-view.js's; this drives them: loads, events, the
// composer and the picker.
(function () {
  'use strict';
  var C = window.SimClient;
  var T = window.SimTodos;
  var S = C.state;
  var $ = C.byId;
  var api = C.api;
  var Chats = window.SimChats;
  var View = window.SimChatView;

  function open(type, id) {
    S.current = { type: type, id: id };
    if (type === 'user') S.viewer = id;
    renderAll();
    markRead();
  }

  function markRead() {
    if (!S.current || document.visibilityState !== 'visible') return;
    if (S.current.type === 'webhook' || S.current.type === 'todos') return;
    var key = Chats.currentKey();
    var pending = S.messages.some(function (m) {
      return Chats.convKey(m) === key && m.readAt === undefined && m.api !== 'chat.user';
    });
    if (!pending) return;
    var body =
      S.current.type === 'user' ? { userId: S.current.id } : { userId: S.viewer, openConversationId: S.current.id };
    api('POST', '/__sim/read', body)
      .then(function () {
        S.messages.forEach(function (m) {
          if (Chats.convKey(m) === key && m.readAt === undefined) m.readAt = Date.now();
        });
        renderAll();
      })
      .catch(function () {});
  }

  function renderAll() {
    Chats.renderSidebar(open);
    View.renderChat(refreshTodos);
  }

  function loadDirectory() {
    return Promise.all([api('GET', '/__sim/users'), api('GET', '/__sim/groups'), api('GET', '/__sim/apps')]).then(
      function (r) {
        S.users = r[0].users;
        S.groups = r[1].groups;
        S.apps = r[2].apps;
        var first = Chats.pickerGroups()[0];
        if (!S.viewer && first) S.viewer = first.users[0].userId;
      },
    );
  }
  // Loads run one after another (each asks from where the last one ended), so two never add the
  // same message twice; `full` starts over (a message recalled or revised).
  var messagesLoaded = Promise.resolve();
  function loadMessages(full) {
    messagesLoaded = messagesLoaded
      .catch(function () {})
      .then(function () {
        return api('GET', '/__sim/messages?since=' + (full ? 0 : S.lastSeq)).then(function (r) {
          if (full) {
            S.messages = [];
            S.lastSeq = 0;
            S.cards = {};
          }
          r.messages.forEach(function (m) {
            if (m.seq <= S.lastSeq) return;
            S.messages.push(m);
            S.lastSeq = m.seq;
          });
        });
      });
    return messagesLoaded;
  }
  function loadStream() {
    return api('GET', '/__sim/stats')
      .then(function (s) {
        var n = s.stream.connections;
        $('stream-status').textContent = n ? '流式连接：已连接 ' + n + ' 个' : '流式连接：未连接';
        $('stream-status').className = 'brand-sub ' + (n ? 'ok' : 'warn');
      })
      .catch(function () {});
  }

  // Message and to-do refreshes, each coalescing a burst of events into one load and never two
  // loads at once: an event during a load asks for one more after it, and a load that failed is
  // tried again, so nothing an event announced is left out (a to-do event does not swallow a
  // message that arrives within the same burst).
  function refresher(load) {
    var timer = null;
    var running = false;
    var again = false;
    var full = false;
    function run() {
      timer = null;
      if (running) {
        again = true;
        return;
      }
      running = true;
      var f = full;
      full = false;
      load(f).then(
        function () {
          running = false;
          if (again || full) {
            again = false;
            request(false);
          }
        },
        // The page could not reach the simulator (offline for a moment): try again shortly.
        function () {
          running = false;
          full = full || f;
          setTimeout(function () {
            request(false);
          }, 1000);
        },
      );
    }
    function request(wantFull) {
      if (wantFull) full = true;
      if (!timer) timer = setTimeout(run, 60);
    }
    return request;
  }
  var refreshMessages = refresher(function (full) {
    return loadMessages(full).then(function () {
      renderAll();
      markRead();
    });
  });
  // The list of the person viewing; a list that comes back after the viewer changed is asked again.
  var refreshTodoList = refresher(function () {
    var viewer = S.viewer;
    return T.load(viewer).then(function () {
      if (viewer === S.viewer) renderAll();
      else refreshTodoList();
    });
  });
  function refreshTodos() {
    refreshTodoList();
  }
  function onEvent(e) {
    var ev = JSON.parse(e.data);
    if (ev.kind === 'card') {
      View.refreshCard(ev.outTrackId);
      return;
    }
    if (ev.kind === 'stream') {
      loadStream();
      return;
    }
    if (ev.kind === 'reset') {
      refreshMessages(true);
      refreshTodos();
      return;
    }
    if (ev.kind === 'todo') {
      refreshTodos();
      return;
    }
    if (ev.kind === 'directory') {
      loadDirectory().then(renderAll);
      return;
    }
    refreshMessages(ev.kind === 'recall' || ev.kind === 'revision');
  }

  $('viewer').addEventListener('change', function (e) {
    S.viewer = e.target.value;
    if (S.current && S.current.type === 'user') S.current = { type: 'user', id: S.viewer };
    renderAll();
    refreshTodos();
    markRead();
  });
  $('composer').addEventListener('submit', function (e) {
    e.preventDefault();
    var text = $('input').value.trim();
    if (!text || !S.current) return;
    var body =
      S.current.type === 'group'
        ? { userId: S.viewer, text: text, openConversationId: S.current.id, atRobot: $('at-robot').checked }
        : { userId: S.current.id, text: text };
    api('POST', '/__sim/chat', body)
      .then(function () {
        $('input').value = '';
      })
      .catch(function (err) {
        C.toast(err.message);
      });
  });
  $('input').addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $('composer').requestSubmit();
    }
  });
  // 「打开微应用（免登）」: the app's home page, signed in as the person viewing (no address to type).
  $('miniapp').addEventListener('click', function () {
    var app = S.apps[0] || {};
    if (!app.homepageUrl) return C.toast('尚未配置微应用首页地址（PUT /__sim/apps/:appKey {homepageUrl}）');
    C.openLink(app.homepageUrl);
  });
  // Links in messages open the same way as card buttons.
  $('messages').addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[href]');
    if (!a) return;
    e.preventDefault();
    C.openLink(a.getAttribute('href'));
  });
  document.addEventListener('visibilitychange', markRead);

  // Events are listened to before the first load, so a message sent meanwhile is not missed; after
  // a reconnection (EventSource retries by itself) everything is loaded again, since events sent
  // while it was away are lost.
  var connected = false;
  var es = new EventSource('/__sim/events');
  es.onmessage = onEvent;
  es.onopen = function () {
    if (connected) {
      refreshMessages(true);
      refreshTodos();
      Object.keys(S.cards).forEach(View.refreshCard);
    }
    connected = true;
  };
  loadDirectory()
    .then(function () {
      return loadMessages(true);
    })
    .then(function () {
      if (S.users.length) open('user', S.viewer);
      else renderAll();
      refreshTodos();
      loadStream();
      setInterval(loadStream, 10000);
    });
})();
