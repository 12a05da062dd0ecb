// DingTalk markdown subset → HTML, safely: the text is HTML-escaped first, then only a fixed set
// of constructs (headings, bold, italic, links, images, lists, quotes, line breaks, and DingTalk's
// <font color=#RRGGBB>…</font>) is turned into tags; link targets must be http(s) or dingtalk://
// (unwrapped to the inner URL); a font colour must be a hex colour.
(function () {
  'use strict';

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  /** dingtalk://dingtalkclient/page/link?url=… opens its inner URL in the simulator. */
  function openableUrl(raw) {
    var url = String(raw || '').trim();
    var m = /^dingtalk:\/\/dingtalkclient\/page\/link\?(?:.*&)?url=([^&]+)/i.exec(url);
    if (m) {
      try {
        url = decodeURIComponent(m[1]);
      } catch (e) {
        return null;
      }
    }
    return /^https?:\/\//i.test(url) ? url : null;
  }

  // Works on already-escaped text, so quotes inside URLs are entities and cannot end attributes.
  function inline(escaped) {
    return escaped
      .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, function (all, alt, src) {
        var url = openableUrl(src.replace(/&amp;/g, '&'));
        return url ? '<img class="md-img" alt="' + alt + '" src="' + escapeHtml(url) + '">' : all;
      })
      .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, function (all, text, href) {
        var url = openableUrl(href.replace(/&amp;/g, '&'));
        return url
          ? '<a href="' + escapeHtml(url) + '" target="_blank" rel="noopener noreferrer">' + text + '</a>'
          : text;
      })
      .replace(
        /&lt;font color=(?:&quot;|&#39;)?(#[0-9A-Fa-f]{3,6})(?:&quot;|&#39;)?&gt;(.*?)&lt;\/font&gt;/g,
        '<span style="color:$1">$2</span>',
      )
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');
  }

  function render(src) {
    var lines = String(src == null ? '' : src)
      .replace(/\r\n?/g, '\n')
      .split('\n');
    var out = [];
    var list = null;
    function closeList() {
      if (list) {
        out.push('</' + list + '>');
        list = null;
      }
    }
    lines.forEach(function (raw) {
      var line = escapeHtml(raw);
      var m;
      if ((m = /^(#{1,6})\s+(.*)$/.exec(line))) {
        closeList();
        out.push('<h' + m[1].length + ' class="md-h">' + inline(m[2]) + '</h' + m[1].length + '>');
      } else if ((m = /^\s*[-*+]\s+(.*)$/.exec(line))) {
        if (list !== 'ul') {
          closeList();
          out.push('<ul>');
          list = 'ul';
        }
        out.push('<li>' + inline(m[1]) + '</li>');
      } else if ((m = /^\s*\d+\.\s+(.*)$/.exec(line))) {
        if (list !== 'ol') {
          closeList();
          out.push('<ol>');
          list = 'ol';
        }
        out.push('<li>' + inline(m[1]) + '</li>');
      } else if ((m = /^&gt;\s?(.*)$/.exec(line))) {
        closeList();
        out.push('<blockquote>' + inline(m[1]) + '</blockquote>');
      } else if (line.trim() === '') {
        closeList();
        out.push('<div class="md-gap"></div>');
      } else {
        closeList();
        out.push('<div>' + inline(line) + '</div>');
      }
    });
    closeList();
    return out.join('');
  }

  window.SimMarkdown = { render: render, escapeHtml: escapeHtml, openableUrl: openableUrl };
})();
