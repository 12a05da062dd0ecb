// The printable supervision-code sign of a unit (A4, print or save as PDF from the browser).
(function () {
  'use strict';
  var LG = window.LG;
  var m = /^\/m\/units\/([^/]+)\/sign\/?$/.exec(location.pathname);
  var id = m ? decodeURIComponent(m[1]) : '';

  LG.run(function () {
    return LG.api('GET', '/api/m/units/' + encodeURIComponent(id) + '/code').then(
      function (r) {
        var sheet = LG.el('section', 'sign-sheet');
        sheet.appendChild(LG.el('h2', 'sign-title', '防雷安全监管数字码'));
        sheet.appendChild(LG.el('div', 'sign-unit', r.unit.name));
        var img = LG.el('img', 'sign-qr');
        img.alt = '监管码二维码';
        img.src = '/api/m/units/' + encodeURIComponent(id) + '/code.png?size=600';
        sheet.appendChild(img);
        sheet.appendChild(LG.el('div', 'sign-code', r.code));
        var dl = LG.el('dl');
        LG.field(dl, '单位地址', r.unit.address);
        LG.field(dl, '单位类别', r.unit.categoryLabel);
        LG.field(dl, '有效期至', LG.fmtDate(r.expiresAt));
        sheet.appendChild(dl);
        sheet.appendChild(
          LG.el('p', 'sign-hint', '请使用钉钉扫描二维码进行“码上检查”。本码经数字签名，涂改或替换无效。'),
        );
        var print = LG.el('button', 'btn no-print', '打印 / 保存为 PDF');
        print.type = 'button';
        print.addEventListener('click', function () {
          window.print();
        });
        LG.show(sheet, print);
      },
      function (err) {
        if (err.status === 404) return LG.notice('未找到该单位', err.message);
        throw err;
      },
    );
  });
})();
