// LeiGuard mini-app H5 (no build step; scripts only from this server). Signs in with a DingTalk
// authCode (from dingtalk-jsapi's dd.runtime.permission.requestAuthCode inside DingTalk, served
// locally at /m/assets/vendor/dingtalk-jsapi.js; outside DingTalk the simulator's "打开微应用"
// button plays the JSAPI and passes ?authCode=), then renders the page named by <body data-page>.
// Other page scripts (tasks.js, inspection.js, dashboard.js...) use window.LG and call LG.run.
(function () {
  'use strict';
  var TOKEN_KEY = 'leiguard.m.token';
  var main = document.getElementById('main');

  function store(fn) {
    try {
      return fn(window.sessionStorage);
    } catch (e) {
      return null;
    }
  }
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }
  function show() {
    main.textContent = '';
    for (var i = 0; i < arguments.length; i++) main.appendChild(arguments[i]);
  }
  function notice(title, detail) {
    var box = el('div', 'notice');
    box.appendChild(el('h2', '', title));
    if (detail) box.appendChild(el('p', '', detail));
    show(box);
  }
  function fmtTime(iso) {
    try {
      return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
    } catch (e) {
      return iso;
    }
  }

  function api(method, path, body) {
    var headers = { Accept: 'application/json' };
    var token = store(function (s) {
      return s.getItem(TOKEN_KEY);
    });
    if (token) headers.Authorization = 'Bearer ' + token;
    // FormData (photo uploads) goes as multipart; anything else as JSON.
    var form = typeof FormData !== 'undefined' && body instanceof FormData;
    if (body && !form) headers['Content-Type'] = 'application/json';
    return fetch(path, {
      method: method,
      headers: headers,
      body: body ? (form ? body : JSON.stringify(body)) : undefined,
      credentials: 'same-origin',
    }).then(
      function (res) {
        return res
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            if (res.ok) return data;
            var err = new Error((data.error && data.error.message) || '请求失败（HTTP ' + res.status + '）');
            err.status = res.status;
            err.code = data.error && data.error.code;
            err.details = data.error && data.error.details;
            throw err;
          });
      },
      function () {
        throw new Error('网络连接失败，请检查网络后重试');
      },
    );
  }

  function corpId(params) {
    var meta = document.querySelector('meta[name="leiguard-corp-id"]');
    return params.get('corpId') || (meta && meta.getAttribute('content')) || '';
  }

  function ddAuthCode(corp) {
    return new Promise(function (resolve, reject) {
      var ask = function () {
        window.dd.runtime.permission.requestAuthCode({
          corpId: corp,
          onSuccess: function (r) {
            resolve(r.code);
          },
          onFail: function (e) {
            reject(
              new Error(
                '钉钉免登授权失败' + (e && (e.errorMessage || e.message) ? '：' + (e.errorMessage || e.message) : ''),
              ),
            );
          },
        });
      };
      if (typeof window.dd.ready === 'function') window.dd.ready(ask);
      else ask();
    });
  }

  // dingtalk-jsapi is loaded on every page; outside DingTalk it reports platform "notInDingTalk".
  function inDingTalk() {
    var dd = window.dd;
    return Boolean(dd && dd.runtime && dd.runtime.permission && !(dd.env && dd.env.platform === 'notInDingTalk'));
  }

  function exchange(code) {
    return api('POST', '/api/m/session', { authCode: code }).then(function (r) {
      store(function (s) {
        s.setItem(TOKEN_KEY, r.token);
      });
      return r.person;
    });
  }

  // authCode in the URL first (single use: removed from the address bar at once), then an
  // existing session, then DingTalk's JSAPI.
  function login() {
    var params = new URLSearchParams(location.search);
    var code = params.get('authCode');
    var corp = corpId(params);
    if (code) {
      params.delete('authCode');
      var rest = params.toString();
      history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
      return exchange(code);
    }
    return api('GET', '/api/m/me').then(
      function (r) {
        return r.person;
      },
      function (err) {
        if (err.status !== 401) throw err;
        store(function (s) {
          s.removeItem(TOKEN_KEY);
        });
        if (inDingTalk()) return ddAuthCode(corp).then(exchange);
        var e = new Error(
          '本页面需要钉钉免登授权。请在钉钉中从“雷卫”工作台应用或消息卡片的链接打开；在电脑上调试时，可在钉钉模拟器聊天界面点击“打开微应用（免登）”。',
        );
        e.title = '请在钉钉中打开雷卫小程序';
        throw e;
      },
    );
  }

  function tag(text, cls) {
    return el('span', 'tag ' + (cls || ''), text);
  }
  function deadline(h) {
    return el('div', 'deadline' + (h.overdue ? ' late' : ''), h.deadlineText);
  }

  function renderList() {
    return api('GET', '/api/m/hazards').then(function (r) {
      if (r.items.length === 0) return notice('暂无隐患记录', '您负责的单位或辖区目前没有需要处理的防雷安全隐患。');
      var list = el('div', 'list');
      r.items.forEach(function (h) {
        var a = el('a', 'card');
        a.href = '/m/hazards/' + encodeURIComponent(h.id);
        var row = el('div', 'row');
        row.appendChild(el('span', 'title', h.typeLabel));
        row.appendChild(tag(h.gradeLabel, h.grade));
        row.appendChild(tag(h.statusLabel, h.status));
        a.appendChild(row);
        a.appendChild(el('div', 'unit', h.unit.name));
        a.appendChild(el('div', 'desc', h.description));
        a.appendChild(deadline(h));
        list.appendChild(a);
      });
      show(list);
    });
  }

  function field(dl, name, value) {
    if (value === undefined || value === null || value === '') return;
    dl.appendChild(el('dt', '', name));
    var dd = el('dd');
    if (value instanceof Node) dd.appendChild(value);
    else dd.textContent = String(value);
    dl.appendChild(dd);
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

  // A photo field (camera or album): state.photos gets [{url}] as uploads finish; state.pending counts the rest.
  function photoPicker(label) {
    var box = el('div', 'photos');
    var state = { photos: [], pending: 0, box: box };
    var pick = el('input', 'photo');
    pick.type = 'file';
    pick.accept = 'image/*';
    pick.multiple = true;
    var thumbs = el('div', 'thumbs');
    var status = el('div', 'upload-status muted');
    box.appendChild(el('div', 'muted', label));
    box.appendChild(pick);
    box.appendChild(thumbs);
    box.appendChild(status);
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
            return api('POST', '/api/m/uploads', form).then(function (r) {
              state.photos.push({ url: r.url });
              var img = el('img', 'thumb');
              img.src = URL.createObjectURL(blob);
              img.alt = '已上传的照片';
              thumbs.appendChild(img);
              status.textContent = '已上传 ' + state.photos.length + ' 张';
            });
          })
          .catch(function (err) {
            status.textContent = err.message;
            status.className = 'upload-status error';
          })
          .then(function () {
            state.pending--;
          });
      });
    });
    return state;
  }

  // Signs in, then renders; a failure anywhere becomes a notice a person can act on.
  function run(render) {
    login()
      .then(function (person) {
        var who = document.getElementById('who');
        if (who && person) who.textContent = person.name;
        window.LG.person = person;
        return render(person);
      })
      .catch(function (err) {
        notice(err.title || (err.status === 401 || err.status === 403 ? '无法登录' : '加载失败'), err.message);
      });
  }

  window.LG = {
    api: api,
    el: el,
    show: show,
    notice: notice,
    field: field,
    tag: tag,
    deadline: deadline,
    fmtTime: fmtTime,
    run: run,
    main: main,
    photoPicker: photoPicker,
  };
  if (document.body.getAttribute('data-page') === 'list') run(renderList);
})();
