// The simulator's conversation list: the person picker (以谁的身份查看) and the conversations of
// the person viewing (钉钉待办, their 1:1 chat with the robot, groups, webhook robots) with the
// last message and the unread count. Loaded after todos.js; chat-view.js and app.js use it.
(function () {
  'use strict';
  var C = window.SimClient;
  var S = C.state;
  var $ = C.byId;
  var T = window.SimTodos;
  var el = window.SimRender.el;

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

  // `onOpen(type, id)` opens the conversation a person clicks.
  function renderSidebar(onOpen) {
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
        onOpen(c.type, c.id);
      });
      ul.appendChild(li);
    });
  }

  window.SimChats = {
    userName: userName,
    robotName: robotName,
    convKey: convKey,
    currentKey: currentKey,
    conversations: conversations,
    pickerGroups: pickerGroups,
    renderSidebar: renderSidebar,
  };
})();
