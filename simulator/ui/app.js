// Chat UI: conversations per person (their 1:1 chat with the robot) and per group, live updates
// over Server-Sent Events, working card buttons and a composer that talks to the robot.
(function () {
  'use strict';
  var R = window.SimRender;
  var el = R.el;
  var C = window.SimClient;
  var T = window.SimTodos;
  var S = C.state;
  var $ = C.byId;
  var api = C.api;
  var toast = C.toast;
  var fmtTime = C.fmtTime;

  function userName(id) {
    var u = S.users.find(function (x) {
      return x.userId === id;
    });
    return u ? u.name : id;
  }
  function robotName(appKey) {
    var a =
      S.apps.find(function (x) {
        return x.appKey === appKey;
      }) || S.apps[0];
    return a ? a.name : '机器人';
  }
  // A message belongs to a person's 1:1 chat, a group, or a stand-alone webhook robot.
  function convKey(m) {
    if (m.to.userId) return 'user:' + m.to.userId;
    if (m.to.openConversationId) return 'group:' + m.to.openConversationId;
    return 'webhook:' + m.to.webhook;
  }
  function currentKey() {
    return S.current ? S.current.type + ':' + S.current.id : '';
  }
  function conversations() {
    var open = T.openCount();
    var todos = { type: 'todos', id: 'todos', title: '钉钉待办', sub: open ? open + ' 项未完成' : '没有未完成的待办' };
    var ordered = [];
    pickerGroups().forEach(function (g) {
      ordered = ordered.concat(g.users);
    });
    var list = [todos].concat(
      ordered.map(function (u) {
        return { type: 'user', id: u.userId, title: u.name, sub: '与' + robotName() + '的单聊' };
      }),
    );
    S.groups.forEach(function (g) {
      list.push({ type: 'group', id: g.openConversationId, title: g.title, sub: g.memberUserIds.length + ' 人群聊' });
    });
    var hooks = {};
    S.messages.forEach(function (m) {
      if (m.to.webhook && !m.to.openConversationId) hooks[m.to.webhook] = true;
    });
    Object.keys(hooks).forEach(function (h) {
      list.push({ type: 'webhook', id: h, title: h, sub: '自定义机器人' });
    });
    return list;
  }

  function preview(m) {
    if (m.recalled) return '[已撤回]';
    if (m.api === 'card.createAndDeliver' || m.api === 'robot.interactiveCardSend') return '[互动卡片]';
    if (m.api === 'ding.send') return '[DING] ' + (m.content.content || '');
    var c = m.content || {};
    var inner = c[m.msgtype] || c;
    return String(inner.content || inner.title || c.title || c.content || '[消息]').slice(0, 30);
  }

  // The picker: pinned people first (the app's pinnedUsers, e.g. the demo's people by role), then
  // everyone else grouped by title, by name within a group.
  function pickerGroups() {
    var app = S.apps[0] || {};
    var byId = {};
    S.users.forEach(function (u) {
      byId[u.userId] = u;
    });
    var taken = {};
    var groups = [];
    (app.pinnedUsers || []).forEach(function (g) {
      var users = g.userIds
        .map(function (id) {
          return byId[id];
        })
        .filter(Boolean);
      users.forEach(function (u) {
        taken[u.userId] = true;
      });
      if (users.length) groups.push({ label: '演示 · ' + g.label, users: users });
    });
    var rest = {};
    S.users.forEach(function (u) {
      if (taken[u.userId]) return;
      var t = u.title || '其他';
      (rest[t] = rest[t] || []).push(u);
    });
    Object.keys(rest)
      .sort(function (a, b) {
        return a.localeCompare(b, 'zh-CN');
      })
      .forEach(function (t) {
        groups.push({
          label: t,
          users: rest[t].sort(function (a, b) {
            return a.name.localeCompare(b.name, 'zh-CN');
          }),
        });
      });
    return groups;
  }

  function renderSidebar() {
    var sel = $('viewer');
    sel.innerHTML = '';
    pickerGroups().forEach(function (g) {
      var og = el('optgroup');
      og.label = g.label;
      g.users.forEach(function (u) {
        var o = el('option', null, u.name + (u.title ? '（' + u.title + '）' : ''));
        o.value = u.userId;
        og.appendChild(o);
      });
      sel.appendChild(og);
    });
    sel.value = S.viewer;
    var ul = $('conversations');
    ul.innerHTML = '';
    conversations().forEach(function (c) {
      var key = c.type + ':' + c.id;
      var msgs = S.messages.filter(function (m) {
        return convKey(m) === key;
      });
      var unread =
        c.type === 'todos'
          ? T.openCount()
          : msgs.filter(function (m) {
              return m.readAt === undefined && m.api !== 'chat.user' && !m.recalled;
            }).length;
      var li = el('li', 'conv' + (key === currentKey() ? ' active' : ''));
      li.dataset.key = key;
      var av = el(
        'div',
        'avatar ' + (c.type === 'user' ? 'a-user' : c.type === 'todos' ? 'a-todo' : 'a-group'),
        c.title.slice(0, 1),
      );
      var body = el('div', 'conv-body');
      body.appendChild(el('div', 'conv-title', c.title));
      body.appendChild(el('div', 'conv-sub', msgs.length ? preview(msgs[msgs.length - 1]) : c.sub));
      li.appendChild(av);
      li.appendChild(body);
      if (unread && key !== currentKey()) li.appendChild(el('span', 'badge', String(unread)));
      li.addEventListener('click', function () {
        open(c.type, c.id);
      });
      ul.appendChild(li);
    });
  }

  function open(type, id) {
    S.current = { type: type, id: id };
    if (type === 'user') S.viewer = id;
    renderAll();
    markRead();
  }

  function markRead() {
    if (!S.current || document.visibilityState !== 'visible') return;
    if (S.current.type === 'webhook' || S.current.type === 'todos') return;
    var key = currentKey();
    var pending = S.messages.some(function (m) {
      return convKey(m) === key && m.readAt === undefined && m.api !== 'chat.user';
    });
    if (!pending) return;
    var body =
      S.current.type === 'user' ? { userId: S.current.id } : { userId: S.viewer, openConversationId: S.current.id };
    api('POST', '/__sim/read', body)
      .then(function () {
        S.messages.forEach(function (m) {
          if (convKey(m) === key && m.readAt === undefined) m.readAt = Date.now();
        });
        renderAll();
      })
      .catch(function () {});
  }

  function bubble(m) {
    var mine = m.api === 'chat.user';
    var row = el('div', 'msg' + (mine ? ' mine' : ''));
    row.dataset.seq = String(m.seq);
    var who = mine ? userName(m.from) : m.api.indexOf('webhook.send') === 0 ? m.to.webhook : robotName(m.appKey);
    row.appendChild(el('div', 'avatar ' + (mine ? 'a-user' : 'a-robot'), who.slice(0, 1)));
    var col = el('div', 'msg-col');
    var meta = el('div', 'msg-meta');
    meta.appendChild(el('span', 'msg-who', who));
    if (m.api === 'workNotice.send') meta.appendChild(el('span', 'tag tag-notice', '工作通知'));
    if (m.api === 'ding.send') meta.appendChild(el('span', 'tag tag-ding', 'DING'));
    if (m.api === 'webhook.send') meta.appendChild(el('span', 'tag tag-hook', '自定义机器人'));
    meta.appendChild(el('span', 'msg-time', fmtTime(m.at)));
    if (!mine && m.api !== 'webhook.send' && m.to.userId)
      meta.appendChild(el('span', 'msg-read', m.readAt !== undefined ? '已读' : '未读'));
    col.appendChild(meta);
    col.appendChild(content(m));
    row.appendChild(col);
    return row;
  }

  function content(m) {
    if (m.recalled) return el('div', 'bubble muted', '机器人撤回了一条消息');
    var b = el('div', 'bubble');
    if (m.api === 'chat.user') b.appendChild(el('div', 'text', m.content.content));
    else if (m.api === 'robot.batchSend' || m.api === 'robot.groupSend') b.appendChild(R.robotContent(m));
    else if (m.api === 'webhook.send' || m.api === 'webhook.session') b.appendChild(R.webhookContent(m));
    else if (m.api === 'workNotice.send') b.appendChild(R.noticeContent(m));
    else if (m.api === 'ding.send') {
      b.classList.add('ding');
      var kind = { 1: '应用内 DING', 2: '短信 DING', 3: '电话 DING' }[m.content.remindType] || 'DING';
      b.appendChild(el('div', 'ding-kind', kind));
      b.appendChild(el('div', 'text', m.content.content));
    } else if (m.api === 'card.createAndDeliver' || m.api === 'robot.interactiveCardSend') {
      b.classList.add('bubble-card');
      b.appendChild(cardSlot(m.outTrackId));
    }
    return b;
  }

  function cardSlot(id) {
    var slot = el('div', 'card-slot');
    slot.dataset.card = id;
    if (S.cards[id]) slot.appendChild(R.renderCard(S.cards[id], S.viewer, clickCard));
    else {
      slot.appendChild(el('div', 'muted', '卡片加载中…'));
      refreshCard(id);
    }
    return slot;
  }
  function refreshCard(id) {
    return api('GET', '/__sim/cards/' + encodeURIComponent(id))
      .then(function (card) {
        // An event for a card that did not change (another copy's update) leaves it as it is on
        // screen, so a reader's click or selection is not swept away by a repaint.
        if (S.cards[id] && JSON.stringify(S.cards[id]) === JSON.stringify(card)) return;
        S.cards[id] = card;
        paintCard(id);
      })
      .catch(function () {});
  }
  function paintCard(id) {
    var box = $('messages');
    var atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    document.querySelectorAll('.card-slot').forEach(function (slot) {
      if (slot.dataset.card !== id) return;
      slot.innerHTML = '';
      slot.appendChild(R.renderCard(S.cards[id], S.viewer, clickCard));
    });
    if (atBottom) box.scrollTop = box.scrollHeight;
  }
  function clickCard(card, actionId, button) {
    button.disabled = true;
    button.textContent = '处理中…';
    var body = { userId: S.viewer, actionId: actionId };
    if (S.current && S.current.type === 'group') body.openConversationId = S.current.id;
    // The card's form fields (choices, inputs) go with the click, as DingTalk sends them in params.
    var inputs = {};
    var cardBox = button.closest('.icard');
    (cardBox ? cardBox.querySelectorAll('[data-input]') : []).forEach(function (f) {
      if (f.type === 'radio') {
        if (f.checked) inputs[f.dataset.input] = f.value;
      } else if (f.value.trim()) inputs[f.dataset.input] = f.value.trim();
    });
    if (Object.keys(inputs).length) body.inputs = inputs;
    api('POST', '/__sim/cards/' + encodeURIComponent(card.outTrackId) + '/click', body)
      .then(function (r) {
        S.cards[card.outTrackId] = r.card;
        paintCard(card.outTrackId);
        if (!r.acked || r.error) toast(r.error || '未收到回调应答');
      })
      .catch(function (e) {
        toast(e.message);
        paintCard(card.outTrackId);
      });
  }

  function renderChat() {
    var box = $('messages');
    var atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    var prevTop = box.scrollTop;
    var switched = S.renderedKey !== currentKey();
    S.renderedKey = currentKey();
    box.innerHTML = '';
    var c = S.current;
    var wrap = $('at-robot-wrap');
    if (!c) {
      $('chat-title').textContent = '请选择会话';
      $('chat-sub').textContent = '';
      box.appendChild(el('div', 'empty', '左侧选择一个会话，查看机器人发来的消息、卡片与通知'));
      wrap.hidden = true;
      return;
    }
    var conv = conversations().find(function (x) {
      return x.type === c.type && x.id === c.id;
    });
    $('chat-title').textContent = conv ? conv.title : c.id;
    if (c.type === 'todos') {
      $('chat-sub').textContent = userName(S.viewer) + ' 的钉钉待办（完成待办不会办结雷卫中的任务，请打开待办处理）';
      wrap.hidden = true;
      $('input').disabled = true;
      $('send').disabled = true;
      $('input').placeholder = '待办列表不能发消息';
      T.render(box, refreshTodos);
      return;
    }
    $('chat-sub').textContent =
      c.type === 'user'
        ? '与' + robotName() + '的单聊 · 以 ' + userName(S.viewer) + ' 的身份查看'
        : c.type === 'group'
          ? '群聊 · 以 ' + userName(S.viewer) + ' 的身份查看'
          : '自定义机器人';
    wrap.hidden = c.type !== 'group';
    var group =
      c.type === 'group'
        ? S.groups.find(function (g) {
            return g.openConversationId === c.id;
          })
        : null;
    var canSend = c.type === 'user' || (group && group.memberUserIds.indexOf(S.viewer) >= 0);
    $('input').disabled = !canSend;
    $('send').disabled = !canSend;
    $('input').placeholder = canSend
      ? '输入消息，回车发送（Shift+回车换行）'
      : c.type === 'group'
        ? userName(S.viewer) + ' 不是该群成员'
        : '此会话不能发消息';
    var key = currentKey();
    var msgs = S.messages.filter(function (m) {
      return convKey(m) === key;
    });
    if (!msgs.length) box.appendChild(el('div', 'empty', '暂无消息'));
    msgs.forEach(function (m) {
      box.appendChild(bubble(m));
    });
    // Follow new messages unless the viewer scrolled up to read older ones.
    box.scrollTop = atBottom || switched ? box.scrollHeight : prevTop;
  }

  function renderAll() {
    renderSidebar();
    renderChat();
  }

  function loadDirectory() {
    return Promise.all([api('GET', '/__sim/users'), api('GET', '/__sim/groups'), api('GET', '/__sim/apps')]).then(
      function (r) {
        S.users = r[0].users;
        S.groups = r[1].groups;
        S.apps = r[2].apps;
        var first = pickerGroups()[0];
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
      refreshCard(ev.outTrackId);
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
        toast(err.message);
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
    if (!app.homepageUrl) return toast('尚未配置微应用首页地址（PUT /__sim/apps/:appKey {homepageUrl}）');
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
      Object.keys(S.cards).forEach(refreshCard);
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
