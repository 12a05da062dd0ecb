// Rendering of the robot interactive card 普通版 (StandardCard): the card JSON of DingTalk's card
// builder (simulator/cards/standard-card.ts). Text goes in through textContent; markdown through
// the escape-first renderer. Loaded after render.js, which hands StandardCards over to it.
(function () {
  'use strict';
  var md = window.SimMarkdown;
  var NOTE = /^<font color=[A-Za-z0-9_]+>([\s\S]*)<\/font>$/;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }

  function button(card, b, onClick) {
    var cls = 'btn btn-' + (b.status === 'primary' ? 'primary' : b.status === 'warning' ? 'danger' : 'normal');
    var btn = el('button', cls, (b.label && b.label.text) || '');
    btn.type = 'button';
    if (b.actionType === 'openLink') {
      var target = md.openableUrl((b.url && b.url.all) || '');
      if (target) btn.dataset.url = target;
      else btn.disabled = true;
      btn.addEventListener('click', function () {
        if (target) window.SimClient.openLink(target);
      });
    } else {
      btn.dataset.actionId = b.id;
      btn.addEventListener('click', function () {
        onClick(card, b.id, btn);
      });
    }
    return btn;
  }

  function renderStandardCard(card, onClick) {
    var data = card.standard.data;
    var box = el('div', 'icard icard-standard');
    box.appendChild(el('div', 'icard-header c-blue', data.header.title.text));
    data.contents.forEach(function (c) {
      if (c.type === 'markdown' || c.type === 'text') {
        var note = NOTE.exec(c.text);
        if (note) box.appendChild(el('div', 'icard-note', note[1]));
        else {
          var d = el('div', 'md icard-md');
          d.innerHTML = md.render(c.text);
          box.appendChild(d);
        }
      } else if (c.type === 'section') {
        var dl = el('dl', 'icard-fields');
        c.fields.list.forEach(function (f) {
          var i = f.text.indexOf('：');
          dl.appendChild(el('dt', null, i > 0 ? f.text.slice(0, i) : ''));
          dl.appendChild(el('dd', null, i > 0 ? f.text.slice(i + 1) : f.text));
        });
        box.appendChild(dl);
      } else if (c.type === 'divider') {
        box.appendChild(el('hr', 'icard-divider'));
      } else if (c.type === 'image' || c.type === 'imageList') {
        (c.type === 'image' ? [c.image] : c.images || []).forEach(function (src) {
          var url = md.openableUrl(src || '');
          if (!url) return;
          var img = el('img', 'icard-img');
          img.src = url;
          img.alt = '';
          box.appendChild(img);
        });
      } else if (c.type === 'action') {
        var row = el('div', 'icard-actions');
        c.actions.forEach(function (b) {
          row.appendChild(button(card, b, onClick));
        });
        box.appendChild(row);
      }
    });
    box.dataset.outTrackId = card.outTrackId;
    box.dataset.version = String(card.version);
    return box;
  }

  window.SimStandardCard = { render: renderStandardCard };
})();
