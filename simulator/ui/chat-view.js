// The simulator's open conversation: the messages as bubbles (robot messages, work notices, DING,
// webhook messages), interactive cards that reload when they change and whose buttons call back
// with the card's inputs, the composer's state, and the to-do list in place of a chat. Loaded
// after chats.js; app.js drives it.
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
  var Chats = window.SimChats;

  function bubble(m) {
    var mine = m.api === 'chat.user';
    var row = el('div', 'msg' + (mine ? ' mine' : ''));
    row.dataset.seq = String(m.seq);
    var who = mine
      ? Chats.userName(m.from)
      : m.api.indexOf('webhook.send') === 0
        ? m.to.webhook
        : Chats.robotName(m.appKey);
    row.appendChild(el('div', 'avatar ' + (mine ? 'a-user' : 'a-robot'), who.slice(0, 1)));
    var col = el('div', 'msg-col');
    var meta = el('div', 'msg-meta');
    meta.appendChild(el('span', 'msg-who', who));
    if (m.api === 'workNotice.send') meta.appendChild(el('span', 'tag tag-notice', '工作通知'));
    if (m.api === 'ding.send') meta.appendChild(el('span', 'tag tag-ding', 'DING'));
    if (m.api === 'webhook.send') meta.appendChild(el('span', 'tag tag-hook', '自定义机器人'));
    meta.appendChild(el('span', 'msg-time', C.fmtTime(m.at)));
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

  // `onTodosChange` reloads the to-do list after a to-do is ticked off.
  function renderChat(onTodosChange) {
    var box = $('messages');
    var atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    var prevTop = box.scrollTop;
    var switched = S.renderedKey !== Chats.currentKey();
    S.renderedKey = Chats.currentKey();
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
    var conv = Chats.conversations().find(function (x) {
      return x.type === c.type && x.id === c.id;
    });
    $('chat-title').textContent = conv ? conv.title : c.id;
    if (c.type === 'todos') {
      $('chat-sub').textContent =
        Chats.userName(S.viewer) + ' 的钉钉待办（完成待办不会办结雷卫中的任务，请打开待办处理）';
      wrap.hidden = true;
      $('input').disabled = true;
      $('send').disabled = true;
      $('input').placeholder = '待办列表不能发消息';
      T.render(box, onTodosChange);
      return;
    }
    $('chat-sub').textContent =
      c.type === 'user'
        ? '与' + Chats.robotName() + '的单聊 · 以 ' + Chats.userName(S.viewer) + ' 的身份查看'
        : c.type === 'group'
          ? '群聊 · 以 ' + Chats.userName(S.viewer) + ' 的身份查看'
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
        ? Chats.userName(S.viewer) + ' 不是该群成员'
        : '此会话不能发消息';
    var key = Chats.currentKey();
    var msgs = S.messages.filter(function (m) {
      return Chats.convKey(m) === key;
    });
    if (!msgs.length) box.appendChild(el('div', 'empty', '暂无消息'));
    msgs.forEach(function (m) {
      box.appendChild(bubble(m));
    });
    // Follow new messages unless the viewer scrolled up to read older ones.
    box.scrollTop = atBottom || switched ? box.scrollHeight : prevTop;
  }

  window.SimChatView = { renderChat: renderChat, refreshCard: refreshCard };
})();
