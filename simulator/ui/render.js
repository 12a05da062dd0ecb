// Rendering of messages and interactive cards. Text goes in through textContent; only the
// markdown renderer (escape-first) produces HTML.
(function () {
  'use strict';
  var md = window.SimMarkdown;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }
  function mdBlock(text, cls) {
    var d = el('div', 'md ' + (cls || ''));
    d.innerHTML = md.render(text);
    return d;
  }
  function linkButton(title, url, primary) {
    var b = el('button', 'btn ' + (primary ? 'btn-primary' : 'btn-normal'), title || '查看');
    b.type = 'button';
    var target = md.openableUrl(url);
    if (!target) b.disabled = true;
    if (target) b.dataset.url = target;
    b.addEventListener('click', function () {
      if (target) window.SimClient.openLink(target);
    });
    return b;
  }
  function has(o, k) {
    return o && Object.prototype.hasOwnProperty.call(o, k);
  }

  // ---- interactive cards (templates/cards/FORMAT.md) ----
  function cardLookup(card, viewer) {
    var priv = (card.privateData && card.privateData[viewer]) || {};
    return function (name) {
      if (has(priv, name)) return String(priv[name]);
      if (has(card.cardData, name)) return String(card.cardData[name]);
      return '';
    };
  }
  function sub(text, look) {
    return String(text || '').replace(/\$\{([^}]+)\}/g, function (_m, n) {
      return look(n.trim());
    });
  }
  function visible(cond, look) {
    return !cond || look(cond) === 'true';
  }

  function renderCard(card, viewer, onClick) {
    // A 普通版 card is its own JSON (standard-card.js).
    if (card.standard) return window.SimStandardCard.render(card, onClick);
    var box = el('div', 'icard');
    if (!card.template) {
      box.appendChild(el('div', 'icard-missing', '卡片模板未注册：' + card.templateId));
      return box;
    }
    var look = cardLookup(card, viewer);
    card.template.layout.blocks.forEach(function (b) {
      if (!visible(b.visibleIf, look)) return;
      if (b.type === 'header') {
        var color = sub(b.color || 'blue', look);
        var h = el(
          'div',
          'icard-header c-' + (/^(blue|red|orange|green|grey)$/.test(color) ? color : 'blue'),
          sub(b.text, look),
        );
        box.appendChild(h);
      } else if (b.type === 'fields') {
        var f = el('dl', 'icard-fields');
        b.items.forEach(function (it) {
          if (!visible(it.visibleIf, look)) return;
          f.appendChild(el('dt', null, sub(it.label, look)));
          f.appendChild(el('dd', null, sub(it.value, look) || '—'));
        });
        box.appendChild(f);
      } else if (b.type === 'markdown') {
        box.appendChild(mdBlock(sub(b.text, look), 'icard-md'));
      } else if (b.type === 'note') {
        box.appendChild(el('div', 'icard-note', sub(b.text, look)));
      } else if (b.type === 'image') {
        var url = md.openableUrl(sub(b.url, look));
        if (url) {
          var img = el('img', 'icard-img');
          img.src = url;
          img.alt = '';
          box.appendChild(img);
        }
      } else if (b.type === 'choices') {
        // A form field: the checked value goes with the next callback click (chat-view.js clickCard).
        var set = el('fieldset', 'icard-choices');
        set.appendChild(el('legend', null, sub(b.label, look)));
        var chosen = look(b.name);
        b.options.forEach(function (o) {
          var lab = el('label', 'icard-choice');
          var r = el('input');
          r.type = 'radio';
          r.name = card.outTrackId + ':' + b.name;
          r.value = o.value;
          r.dataset.input = b.name;
          r.checked = chosen === o.value;
          lab.appendChild(r);
          lab.appendChild(document.createTextNode(o.text));
          set.appendChild(lab);
        });
        box.appendChild(set);
      } else if (b.type === 'input') {
        var t = el('textarea', 'icard-input');
        t.placeholder = sub(b.placeholder, look);
        t.rows = 2;
        t.dataset.input = b.name;
        box.appendChild(t);
      } else if (b.type === 'actions') {
        var row = el('div', 'icard-actions');
        b.buttons.forEach(function (btn) {
          if (!visible(btn.visibleIf, look)) return;
          if (btn.action === 'url') {
            var lb = linkButton(sub(btn.text, look), sub(btn.url, look), btn.style === 'primary');
            lb.className = 'btn btn-' + (btn.style || 'normal');
            row.appendChild(lb);
            return;
          }
          var cb = el('button', 'btn btn-' + (btn.style || 'normal'), sub(btn.text, look));
          cb.type = 'button';
          cb.dataset.actionId = btn.actionId;
          cb.addEventListener('click', function () {
            onClick(card, btn.actionId, cb);
          });
          row.appendChild(cb);
        });
        if (row.childNodes.length) box.appendChild(row);
      }
    });
    box.dataset.outTrackId = card.outTrackId;
    box.dataset.version = String(card.version);
    return box;
  }

  // ---- robot / webhook / work-notice payloads ----
  function robotContent(m) {
    var c = m.content || {};
    switch (m.msgKey) {
      case 'sampleText':
        return el('div', 'text', c.content);
      case 'sampleMarkdown':
        return mdBlock(c.text); // title is only the notification preview
      case 'sampleImageMsg':
        return image(c.photoURL);
      case 'sampleLink':
        return linkCard(c.title, c.text, c.messageUrl, c.picUrl);
      case 'sampleActionCard':
        return actionCard(c.title, c.text, [[c.singleTitle, c.singleURL]]);
      case 'sampleActionCard6':
        return actionCard(c.title, c.text, [
          [c.buttonTitle1, c.buttonUrl1],
          [c.buttonTitle2, c.buttonUrl2],
        ]);
      default:
        if (/^sampleActionCard[2-5]$/.test(m.msgKey)) {
          var btns = [];
          for (var i = 1; i <= 5; i++) if (c['actionTitle' + i]) btns.push([c['actionTitle' + i], c['actionURL' + i]]);
          return actionCard(c.title, c.text, btns);
        }
        return el('div', 'text muted', '[' + m.msgKey + '] ' + (c.fileName || c.mediaId || ''));
    }
  }
  function webhookContent(m) {
    var b = m.content || {};
    var c = b[m.msgtype] || {};
    switch (m.msgtype) {
      case 'text':
        return el('div', 'text', c.content);
      case 'markdown':
        return mdBlock(c.text);
      case 'link':
        return linkCard(c.title, c.text, c.messageUrl, c.picUrl);
      case 'actionCard':
        return actionCard(
          c.title,
          c.text,
          c.singleTitle
            ? [[c.singleTitle, c.singleURL]]
            : (c.btns || []).map(function (x) {
                return [x.title, x.actionURL];
              }),
        );
      case 'feedCard':
        var list = el('div', 'feed');
        (c.links || []).forEach(function (l) {
          list.appendChild(linkCard(l.title, '', l.messageURL, l.picURL));
        });
        return list;
      default:
        return el('div', 'text muted', '[' + m.msgtype + ']');
    }
  }
  function noticeContent(m) {
    // A status bar updated in place (status_bar/update) shows its latest state.
    var b = (m.revisions && m.revisions.length ? m.revisions[m.revisions.length - 1].content : m.content) || {};
    var c = b[m.msgtype] || {};
    switch (m.msgtype) {
      case 'text':
        return el('div', 'text', c.content);
      case 'markdown':
        return mdBlock(c.text);
      case 'link':
        return linkCard(c.title, c.text, c.messageUrl, c.picUrl);
      case 'action_card':
        return actionCard(
          c.title,
          c.markdown,
          c.single_title
            ? [[c.single_title, c.single_url]]
            : (c.btn_json_list || []).map(function (x) {
                return [x.title, x.action_url];
              }),
        );
      case 'oa':
        var box = el('div', 'oa');
        var body = c.body || {};
        box.appendChild(el('div', 'oa-head', (c.head && c.head.text) || '工作通知'));
        if (body.title) box.appendChild(el('div', 'oa-title', body.title));
        var dl = el('dl', 'icard-fields');
        (body.form || []).forEach(function (f) {
          dl.appendChild(el('dt', null, f.key));
          dl.appendChild(el('dd', null, f.value));
        });
        box.appendChild(dl);
        if (body.content) box.appendChild(el('div', 'text', body.content));
        if (c.status_bar && c.status_bar.status_value)
          box.appendChild(el('div', 'oa-status', c.status_bar.status_value));
        if (c.message_url) box.appendChild(linkButton('查看详情', c.message_url, true));
        return box;
      default:
        return el('div', 'text muted', '[' + m.msgtype + ']');
    }
  }
  function image(src) {
    var url = md.openableUrl(src);
    if (!url) return el('div', 'text muted', '[图片]');
    var i = el('img', 'msg-img');
    i.src = url;
    i.alt = '图片';
    return i;
  }
  function linkCard(title, text, url, pic) {
    var a = el('div', 'linkcard');
    a.appendChild(el('div', 'msg-title', title));
    if (text) a.appendChild(el('div', 'muted', text));
    a.appendChild(linkButton('打开链接', url, false));
    if (pic && md.openableUrl(pic)) a.appendChild(image(pic));
    return a;
  }
  function actionCard(title, text, buttons) {
    // Like DingTalk, the title only feeds the notification preview; the markdown text is shown.
    var d = el('div', 'actioncard');
    d.appendChild(mdBlock(text || title));
    var row = el('div', 'icard-actions');
    buttons.forEach(function (b, i) {
      row.appendChild(linkButton(b[0], b[1], i === 0));
    });
    d.appendChild(row);
    return d;
  }

  window.SimRender = {
    el: el,
    renderCard: renderCard,
    robotContent: robotContent,
    webhookContent: webhookContent,
    noticeContent: noticeContent,
  };
})();
