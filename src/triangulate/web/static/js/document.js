/* Document page: show what a highlighted phrase was normalised to and which record it feeds. */
(function () {
  'use strict';
  var T = window.Tri;
  document.addEventListener('DOMContentLoaded', function () {
    var text = document.getElementById('doc-text'), box = document.getElementById('mention-details');
    if (!text || !box) { return; }
    var active = [], pop = null;
    var narrow = window.matchMedia('(max-width: 1100px)');

    function closePop() { if (pop) { pop.remove(); pop = null; } }

    /* On narrow screens the side panel is far below the text: show the details next to the phrase. */
    function popover(node) {
      closePop();
      pop = T.el('div', { 'class': 'mention-pop', role: 'dialog', 'aria-label': 'Mention details' }, null, document.body);
      fill(node, pop);
      var r = node.getBoundingClientRect();
      pop.style.top = (window.scrollY + r.bottom + 6) + 'px';
      pop.style.left = Math.max(12, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 12)) + 'px';
    }

    function show(node, touch) {
      active.forEach(function (n) { n.classList.remove('active'); });
      var n = node.getAttribute('data-n');
      active = Array.prototype.slice.call(text.querySelectorAll('[data-n="' + n + '"]'));
      active.forEach(function (x) { x.classList.add('active'); });
      fill(node, box);
      if (touch && narrow.matches) { popover(node); }
    }

    function fill(node, target) {
      target.textContent = '';
      var dl = T.el('dl', null, null, target);
      var phrase = active.map(function (x) { return x.textContent; }).join('');
      [['Kind', node.getAttribute('data-kind')], ['Text', phrase], ['Normalised', node.getAttribute('data-value')],
       ['Precision', node.getAttribute('data-precision') || '\u2014']].forEach(function (row) {
        T.el('dt', null, row[0], dl); T.el('dd', null, row[1], dl);
      });
      T.el('dt', null, 'Feeds', dl);
      var dd = T.el('dd', null, null, dl);
      var ev = node.getAttribute('data-event'), inc = node.getAttribute('data-incident');
      if (ev) { dd.appendChild(document.createTextNode('event ' + ev + (node.getAttribute('data-type') ? ' (' + node.getAttribute('data-type') + ')' : ''))); }
      if (inc && /^\d+$/.test(inc)) {
        if (ev) { dd.appendChild(document.createTextNode(' in ')); }
        T.el('a', { href: '/incidents/' + inc }, 'incident ' + inc, dd);
      }
      if (!ev && !inc) { dd.textContent = 'no event record'; }
    }

    text.addEventListener('mouseover', function (e) {
      var node = e.target.closest('[data-n]');
      if (node && text.contains(node)) { show(node); }
    });
    text.addEventListener('focusin', function (e) {
      var node = e.target.closest('[data-n]');
      if (node) { show(node); }
    });
    text.addEventListener('click', function (e) {
      var node = e.target.closest('[data-n]');
      if (node) { e.stopPropagation(); show(node, true); }
    });
    text.addEventListener('keydown', function (e) {
      var node = e.target.closest('[data-n]');
      if (node && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); show(node, true); }
    });
    document.addEventListener('click', function (e) { if (pop && !pop.contains(e.target)) { closePop(); } });
    document.addEventListener('keydown', function (e) { if (e.key === 'Escape') { closePop(); } });
    Array.prototype.forEach.call(document.querySelectorAll('.kind-toggles input[data-kind]'), function (box) {
      box.addEventListener('change', function () { text.classList.toggle('hide-' + box.getAttribute('data-kind'), !box.checked); });
    });
  });
})();
