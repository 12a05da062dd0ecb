// The viewer's DingTalk to-do list (钉钉待办): open to-dos first with their due time and priority,
// each opening its page signed in by 免登; 「完成」 ticks the to-do off in DingTalk only (the app's
// task stays open until its page completes it, as in DingTalk).
(function () {
  'use strict';
  var C = window.SimClient;
  var S = C.state;
  var el = window.SimRender.el;
  S.todos = [];

  function load(userId) {
    if (!userId) {
      S.todos = [];
      return Promise.resolve();
    }
    return C.api('GET', '/__sim/todos?userId=' + encodeURIComponent(userId)).then(function (r) {
      // A list asked for someone the viewer is no longer is not shown.
      if (userId === S.viewer) S.todos = r.todos;
    });
  }
  function openCount() {
    return S.todos.filter(function (t) {
      return !t.done;
    }).length;
  }
  function dueText(t) {
    if (!t.dueTime) return '无截止时间';
    var late = !t.done && t.dueTime < Date.now();
    return (late ? '已逾期 · ' : '截止 ') + C.fmtTime(t.dueTime);
  }

  function item(t, onChange) {
    var li = el('li', 'todo' + (t.done ? ' todo-done' : ''));
    li.dataset.todo = t.id;
    var head = el('div', 'todo-head');
    head.appendChild(el('span', 'todo-prio p' + (t.priority || 20), t.priorityLabel));
    head.appendChild(el('span', 'todo-subject', t.subject));
    li.appendChild(head);
    if (t.description) li.appendChild(el('div', 'todo-desc', t.description));
    var late = !t.done && t.dueTime && t.dueTime < Date.now();
    li.appendChild(el('div', 'todo-due' + (late ? ' late' : ''), t.done ? '已完成' : dueText(t)));
    var actions = el('div', 'todo-actions');
    var url = t.detailUrl && (t.detailUrl.appUrl || t.detailUrl.pcUrl);
    var open = el('button', 'btn btn-primary', '打开');
    open.type = 'button';
    open.disabled = !url;
    // As DingTalk opens a to-do's link: a page of the micro-app signed in by 免登.
    open.addEventListener('click', function () {
      C.openLink(url);
    });
    actions.appendChild(open);
    var done = el('button', 'btn btn-normal', t.done ? '标为未完成' : '完成');
    done.type = 'button';
    done.addEventListener('click', function () {
      done.disabled = true;
      C.api('POST', '/__sim/todos/' + encodeURIComponent(t.id) + '/done', { userId: S.viewer, done: !t.done })
        .then(onChange)
        .catch(function (e) {
          C.toast(e.message);
          done.disabled = false;
        });
    });
    actions.appendChild(done);
    li.appendChild(actions);
    return li;
  }

  function render(box, onChange) {
    if (!S.todos.length) {
      box.appendChild(el('div', 'empty', '暂无待办'));
      return;
    }
    var list = el('ul', 'todos');
    S.todos.forEach(function (t) {
      list.appendChild(item(t, onChange));
    });
    box.appendChild(list);
  }

  window.SimTodos = { load: load, render: render, openCount: openCount };
})();
