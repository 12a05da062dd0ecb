// The page behind an action button of a card that needs no template (#19): a DingTalk 普通版 card
// cannot call back over Stream, so its 「已知悉」「通过」「同意」... open /m/cards/:outTrackId/:action
// signed in by 免登. The page shows the card as it stands, asks for what the action needs typed (a
// reason, a comment, answers) and does it in one tap; the result shows at the top and on the card.
// m.js (window.LG) signs in and hands over.
(function () {
  'use strict';
  var h = window.LG;
  var el = h.el;
  var m = /^\/m\/cards\/([^/]+)\/([^/]+)\/?$/.exec(location.pathname);
  var base = m ? '/api/m/cards/' + m[1] + '/' + m[2] : '';

  function failed(err) {
    if (err.status === 404) return h.notice('该卡片已失效', err.message);
    if (err.status === 403) return h.notice('无权办理', err.message);
    throw err;
  }

  function inputControl(input) {
    if (input.options) {
      var set = el('fieldset', 'item');
      set.setAttribute('data-field', input.name);
      set.appendChild(el('legend', '', input.label));
      var row = el('div', 'choices');
      input.options.forEach(function (o) {
        var choice = el('label', 'choice');
        var r = el('input');
        r.type = 'radio';
        r.name = input.name;
        r.value = o.value;
        choice.appendChild(r);
        choice.appendChild(document.createTextNode(o.text));
        row.appendChild(choice);
      });
      set.appendChild(row);
      return set;
    }
    var t = el('textarea', 'note');
    t.name = input.name;
    t.rows = 3;
    return h.formField(input.label, t);
  }

  function render(card, message) {
    document.title = '雷卫 · ' + card.button.text;
    var head = el('div', 'card');
    head.appendChild(el('h2', 'title subject', card.title));
    var dl = el('dl');
    card.fields.forEach(function (f) {
      h.field(dl, f.label, f.value);
    });
    head.appendChild(dl);
    if (card.status) head.appendChild(el('p', 'notice-line', card.status));
    var parts = [head];
    if (card.button.available) {
      var form = el('form', 'card-action');
      form.noValidate = true;
      card.inputs.forEach(function (i) {
        form.appendChild(inputControl(i));
      });
      var b = el('button', 'btn primary wide', card.button.text);
      b.type = 'submit';
      form.appendChild(b);
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var inputs = {};
        card.inputs.forEach(function (i) {
          var checked = form.querySelector('[name="' + i.name + '"]:checked');
          var field = form.querySelector('textarea[name="' + i.name + '"]');
          var v = checked ? checked.value : field ? field.value.trim() : '';
          if (v) inputs[i.name] = v;
        });
        b.disabled = true;
        h.api('POST', base, { inputs: inputs }).then(
          function (r) {
            render(r.card, r.message);
          },
          function (err) {
            b.disabled = false;
            h.banner(err.message, 'error');
          },
        );
      });
      parts.push(form);
    } else {
      parts.push(el('p', 'notice-line', '「' + card.button.text + '」已办理或当前不可办理'));
    }
    h.show.apply(null, parts);
    if (message) h.banner(message);
  }

  h.run(function () {
    return h.api('GET', base).then(function (card) {
      render(card);
    }, failed);
  });
})();
