// Form helpers for the field-work pages (UX.md): every control has a visible label bound to it, an
// error slot next to it (aria-describedby, Chinese, saying what to do), focus moves to the first
// error, and a submission ends with a banner at the top of the page.
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;
  var seq = 0;

  // A labelled field: { box, input, error }. `input` is an element made by the caller.
  function field(labelText, input, hint) {
    var id = input.id || 'f' + ++seq;
    input.id = id;
    var box = el('div', 'field');
    var label = el('label', '', labelText);
    label.htmlFor = id;
    box.appendChild(label);
    var described = [];
    if (hint) {
      var h = el('p', 'hint', hint);
      h.id = id + '-hint';
      described.push(h.id);
      box.appendChild(h);
    }
    box.appendChild(input);
    var error = el('p', 'field-error');
    error.id = id + '-error';
    error.setAttribute('role', 'alert');
    described.push(error.id);
    input.setAttribute('aria-describedby', described.join(' '));
    box.appendChild(error);
    return { box: box, input: input, error: error };
  }

  // A group of whole-row check boxes or radios: { box, error, inputs }.
  function choices(legendText, type, name, options, hint) {
    var box = el('fieldset');
    box.appendChild(el('legend', '', legendText));
    if (hint) box.appendChild(el('p', 'hint', hint));
    var inputs = [];
    options.forEach(function (o) {
      var row = el('label', 'row-choice');
      var input = el('input');
      input.type = type;
      input.name = name;
      input.value = o.value;
      if (o.checked) input.checked = true;
      row.appendChild(input);
      var text = el('span', '', o.text);
      row.appendChild(text);
      if (o.sub) row.appendChild(el('span', o.bad ? 'bad' : 'sub', o.sub));
      box.appendChild(row);
      inputs.push(input);
    });
    var error = el('p', 'field-error');
    error.setAttribute('role', 'alert');
    error.id = name + '-error';
    box.setAttribute('aria-describedby', error.id);
    box.appendChild(error);
    return { box: box, error: error, inputs: inputs };
  }

  function clear(fields) {
    Object.keys(fields).forEach(function (k) {
      fields[k].error.textContent = '';
      fields[k].box.classList.remove('invalid');
      var i = fields[k].input || (fields[k].inputs && fields[k].inputs[0]);
      if (i) i.removeAttribute('aria-invalid');
    });
  }

  // Shows errors { field: message } next to their fields; focus goes to the first one.
  function showErrors(fields, errors, order) {
    var first = null;
    (order || Object.keys(fields)).forEach(function (k) {
      if (!errors[k] || !fields[k]) return;
      fields[k].error.textContent = errors[k];
      fields[k].box.classList.add('invalid');
      var i = fields[k].input || (fields[k].inputs && fields[k].inputs[0]);
      if (i) i.setAttribute('aria-invalid', 'true');
      if (!first) first = i;
    });
    if (first) first.focus();
    return Boolean(first);
  }

  // The field a server refusal is about: details.field (a rule), or the first zod path.
  function serverErrors(err, known) {
    var out = {};
    var d = err.details || {};
    if (d.field && known[d.field]) out[d.field] = err.message;
    else if (Array.isArray(d.fields)) {
      d.fields.forEach(function (f) {
        var k = String(f.path || '').split('.')[0];
        if (known[k] && !out[k]) out[k] = f.message;
      });
    }
    return out;
  }

  // A banner at the top of the page: kind 'ok' | 'bad' | 'info'.
  function banner(kind, title, lines) {
    var box = el('div', 'banner ' + kind);
    box.setAttribute('role', kind === 'bad' ? 'alert' : 'status');
    box.tabIndex = -1;
    box.appendChild(el('h2', '', title));
    (lines || []).forEach(function (l) {
      if (l) box.appendChild(el('p', '', l));
    });
    return box;
  }

  function facts(pairs) {
    var dl = el('dl', 'facts');
    pairs.forEach(function (p) {
      if (p[1] === undefined || p[1] === null || p[1] === '') return;
      dl.appendChild(el('dt', '', p[0]));
      var dd = el('dd');
      if (p[1] instanceof Node) dd.appendChild(p[1]);
      else dd.textContent = String(p[1]);
      if (p[2]) dd.className = p[2];
      dl.appendChild(dd);
    });
    return dl;
  }

  LG.form = {
    field: field,
    choices: choices,
    clear: clear,
    showErrors: showErrors,
    serverErrors: serverErrors,
    banner: banner,
    facts: facts,
  };
})();
