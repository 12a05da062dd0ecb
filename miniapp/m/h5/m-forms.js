// The mini-app's form parts, added to window.LG (after m.js, before the page scripts): fields with
// their labels, hints and errors, the banner that reports a submission, photos and the photo picker.
(function () {
  'use strict';
  var LG = window.LG;
  var el = LG.el;

  // Form fields with a visible label bound to the control, a hint, and a place for its error next
  // to it (UX rules). `name` is the API's field name: errors from the server land here by it.
  var seq = 0;
  function formField(labelText, control, hint) {
    var box = el('div', 'field');
    box.setAttribute('data-field', control.name || '');
    control.id = control.id || 'f' + ++seq;
    var label = el('label', 'label', labelText);
    label.htmlFor = control.id;
    box.appendChild(label);
    var described = [];
    if (hint) {
      var h = el('span', 'hint', hint);
      h.id = control.id + '-hint';
      described.push(h.id);
      box.appendChild(h);
    }
    var err = el('span', 'field-error');
    err.id = control.id + '-error';
    described.push(err.id);
    box.appendChild(control);
    box.appendChild(err);
    control.setAttribute('aria-describedby', described.join(' '));
    return box;
  }
  function clearErrors(form) {
    form.querySelectorAll('.field-error').forEach(function (e) {
      e.textContent = '';
    });
    form.querySelectorAll('[aria-invalid]').forEach(function (c) {
      c.removeAttribute('aria-invalid');
    });
    var top = form.querySelector('.form-error');
    if (top) top.textContent = '';
  }
  // Shows each message next to its field (by the field name the API reports, or the page's own
  // checks) and moves the focus to the first one; the rest goes to the form's own error line.
  // Nothing the person typed is touched.
  function showErrors(form, errors) {
    clearErrors(form);
    var first = null;
    var rest = [];
    errors.forEach(function (e) {
      var key = String(e.path || '').split('.')[0];
      var box = key && form.querySelector('[data-field="' + key + '"]');
      if (!box) return rest.push(e.message);
      var slot = box.querySelector('.field-error');
      if (slot.textContent) return;
      slot.textContent = e.message;
      var control = box.querySelector('input, textarea, select');
      if (control) control.setAttribute('aria-invalid', 'true');
      if (!first) first = control || box;
    });
    var top = form.querySelector('.form-error');
    if (top && rest.length) top.textContent = rest.join('；');
    var target = first || top;
    if (target) {
      if (!target.hasAttribute('tabindex') && !/^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName))
        target.setAttribute('tabindex', '-1');
      target.focus();
    }
  }
  // A failed request on a form: its field errors next to the fields, otherwise its message.
  function formFailed(form, err) {
    var fields = (err.fields || []).filter(function (f) {
      return f.path;
    });
    showErrors(form, fields.length ? fields : [{ path: '', message: err.message }]);
  }

  // The result of a submission, at the top of the screen where it is seen (UX rules: Confirm).
  function banner(text, kind) {
    var old = document.getElementById('banner');
    if (old) old.remove();
    var b = el('div', 'banner ' + (kind || 'ok'), text);
    b.id = 'banner';
    b.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    b.setAttribute('tabindex', '-1');
    LG.main.insertBefore(b, LG.main.firstChild);
    window.scrollTo(0, 0);
    b.focus();
    return b;
  }

  // Photos open full size in an overlay (and as a link when scripts fail).
  function viewPhoto(url, alt) {
    var box = el('div', 'photo-view');
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-modal', 'true');
    box.setAttribute('aria-label', alt);
    var img = el('img');
    img.src = url;
    img.alt = alt;
    var close = el('button', 'btn', '关闭');
    close.type = 'button';
    var back = document.activeElement;
    function done() {
      box.remove();
      if (back && back.focus) back.focus();
    }
    close.addEventListener('click', done);
    box.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') done();
    });
    box.appendChild(img);
    box.appendChild(close);
    document.body.appendChild(box);
    close.focus();
  }
  function photoLink(url, alt) {
    var a = el('a');
    a.href = url;
    a.setAttribute('aria-label', alt + '（点击查看大图）');
    var img = el('img', 'thumb');
    img.src = url;
    img.alt = alt;
    a.appendChild(img);
    a.addEventListener('click', function (e) {
      e.preventDefault();
      viewPhoto(url, alt);
    });
    return a;
  }
  function photoList(photos, what) {
    var box = el('div', 'thumbs');
    photos.forEach(function (p, i) {
      box.appendChild(photoLink(p.url, (what || '照片') + ' ' + (i + 1)));
    });
    return box;
  }

  // Photos are shrunk to at most 1600 px and re-encoded as JPEG 0.8 before upload: phone photos
  // are 3-8 MB, which a site's mobile network and the upload limit should not have to carry.
  var MAX_SIDE = 1600;
  function compress(file) {
    return new Promise(function (resolve, reject) {
      if (!/^image\//.test(file.type || '')) return reject(new Error('所选文件不是图片，请拍照或从相册选择图片'));
      var src = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
        var canvas = document.createElement('canvas');
        canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
        canvas.getContext('2d').drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(src);
        canvas.toBlob(
          function (blob) {
            if (blob) resolve(blob);
            else reject(new Error('图片压缩失败，请换一张图片'));
          },
          'image/jpeg',
          0.8,
        );
      };
      img.onerror = function () {
        URL.revokeObjectURL(src);
        reject(new Error('图片无法读取，请换一张图片'));
      };
      img.src = src;
    });
  }

  // A photo field (camera or album) with its label, a button-sized target, the thumbnails and a
  // place for its error: state.photos gets [{url}] as uploads finish; state.pending counts the rest.
  // `name` is the API's field name (errors about it land here).
  function photoPicker(label, name) {
    var box = el('div', 'photos field');
    box.setAttribute('data-field', name || 'photos');
    var state = { photos: [], pending: 0, box: box };
    var id = 'f' + ++seq;
    var pick = el('input', 'photo sr-only');
    pick.type = 'file';
    pick.accept = 'image/*';
    pick.multiple = true;
    pick.id = id;
    var title = el('span', 'label', label);
    var button = el('label', 'upload-btn', '拍照或选择照片');
    button.htmlFor = id;
    pick.setAttribute('aria-label', label);
    var thumbs = el('div', 'thumbs');
    var status = el('div', 'upload-status muted');
    status.setAttribute('role', 'status');
    var err = el('span', 'field-error');
    err.id = id + '-error';
    pick.setAttribute('aria-describedby', err.id);
    box.appendChild(title);
    box.appendChild(pick);
    box.appendChild(button);
    box.appendChild(thumbs);
    box.appendChild(status);
    box.appendChild(err);
    pick.addEventListener('change', function () {
      var files = Array.prototype.slice.call(pick.files || []);
      pick.value = '';
      files.forEach(function (f) {
        state.pending++;
        status.className = 'upload-status muted';
        status.textContent = '正在压缩并上传…';
        compress(f)
          .then(function (blob) {
            var form = new FormData();
            form.append('file', blob, 'photo.jpg');
            return LG.api('POST', '/api/m/uploads', form).then(function (r) {
              state.photos.push({ url: r.url });
              thumbs.appendChild(photoLink(URL.createObjectURL(blob), '已上传的照片 ' + state.photos.length));
              status.textContent = '已上传 ' + state.photos.length + ' 张';
              err.textContent = '';
              pick.removeAttribute('aria-invalid');
            });
          })
          .catch(function (e) {
            status.textContent = e.message;
            status.className = 'upload-status error';
          })
          .then(function () {
            state.pending--;
          });
      });
    });
    return state;
  }

  LG.formField = formField;
  LG.showErrors = showErrors;
  LG.clearErrors = clearErrors;
  LG.formFailed = formFailed;
  LG.banner = banner;
  LG.photoPicker = photoPicker;
  LG.photoList = photoList;
})();
