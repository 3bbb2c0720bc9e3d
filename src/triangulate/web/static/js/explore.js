/* Explore page: map + timeline + list, linked. Brushing the timeline filters the map at once and
   reloads the list (server-rendered fragment); the URL keeps the whole filter state. */
(function () {
  'use strict';
  var T = window.Tri;

  function rangeOf(from, to) {
    if (!from && !to) { return null; }
    var a = from ? T.dateRange(from) : null, b = to ? T.dateRange(to) : null;
    return [a ? a[0] : -Infinity, b ? b[1] : Infinity];
  }

  function legend(el, items) {
    el.textContent = '';
    var types = {};
    items.forEach(function (it) { types[it.type] = (types[it.type] || 0) + 1; });
    Object.keys(types).sort().forEach(function (t) {
      var span = T.el('span', { 'class': 'item' }, null, el);
      var svg = T.svg('svg', { viewBox: '0 0 16 16', 'aria-hidden': 'true' }, span);
      T.svg('circle', { cx: 8, cy: 8, r: 6, fill: T.typeColour(t) }, svg);
      span.appendChild(document.createTextNode(T.typeLabel(t) + ' (' + types[t] + ')'));
    });
    [['size', 'Size: people killed'], ['ring', 'Ring: known to a region'], ['shade', 'Shaded: known to a country'], ['cluster', 'Number: cluster']].forEach(function (x) {
      var span = T.el('span', { 'class': 'item' }, null, el);
      var svg = T.svg('svg', { viewBox: '0 0 16 16', 'aria-hidden': 'true' }, span);
      if (x[0] === 'size') { T.svg('circle', { cx: 5, cy: 11, r: 3, fill: '#56616e' }, svg); T.svg('circle', { cx: 11, cy: 8, r: 5, fill: '#56616e' }, svg); }
      if (x[0] === 'ring') { T.svg('circle', { cx: 8, cy: 8, r: 6, fill: '#56616e', 'fill-opacity': '0.18', stroke: '#56616e', 'stroke-dasharray': '3 2' }, svg); }
      if (x[0] === 'shade') { T.svg('rect', { x: 1, y: 3, width: 14, height: 10, rx: 2, fill: '#56616e', 'fill-opacity': '0.25', stroke: '#6b7785' }, svg); }
      if (x[0] === 'cluster') { T.svg('circle', { cx: 8, cy: 8, r: 7, fill: '#1c3d5e' }, svg); }
      span.appendChild(document.createTextNode(x[1]));
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var mapEl = document.getElementById('map');
    if (!mapEl || !window.topojson) { return; }
    var form = document.getElementById('filter-form');
    var clear = document.getElementById('clear-range');
    var list = document.getElementById('results-list');
    var range = rangeOf(mapEl.dataset.from, mapEl.dataset.to);
    var map = new T.Map(mapEl, { tiles: mapEl.dataset.tiles || '' });
    var timeline = new T.Timeline(document.getElementById('timeline'), { range: range, onBrush: brushed });
    var pending = null;

    function brushed(r) {
      form.elements.from.value = r && isFinite(r[0]) ? T.isoDay(r[0]) : '';
      form.elements.to.value = r && isFinite(r[1]) ? T.isoDay(r[1]) : '';
      map.setRange(r);
      clear.hidden = !r;
      var params = new URLSearchParams();
      new FormData(form).forEach(function (v, k) { if (String(v) !== '' && !(k === 'sort' && v === 'date') && !(k === 'kind' && v === 'main')) { params.append(k, v); } });
      var qs = params.toString();
      window.history.replaceState(null, '', '/' + (qs ? '?' + qs : ''));
      if (pending) { pending.abort(); }
      pending = new AbortController();
      list.setAttribute('aria-busy', 'true');
      fetch('/fragments/incidents' + (qs ? '?' + qs : ''), { signal: pending.signal, headers: { Accept: 'text/html' } })
        .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.text(); })
        .then(function (html) { list.innerHTML = html; list.removeAttribute('aria-busy'); })
        .catch(function (e) { if (e.name !== 'AbortError') { list.removeAttribute('aria-busy'); } });
    }

    clear.addEventListener('click', function () { timeline.setRange(null); brushed(null); });

    Promise.all([
      map.loadLand(),
      fetch(mapEl.dataset.overview, { headers: { Accept: 'application/json' } }).then(function (r) { return r.json(); })
    ]).then(function (res) {
      var data = res[1];
      if (!data.ok) { throw new Error(data.error || 'could not load incidents'); }
      map.setData(data.columns, data.incidents);
      map.range = range;
      map.fit();
      var bgIdx = {};
      data.background_columns.forEach(function (c, i) { bgIdx[c] = i; });
      var bg = data.background.map(function (r) {
        var d = T.dateRange(r[bgIdx.date]);
        return { id: r[bgIdx.id], date: r[bgIdx.date], type: r[bgIdx.type], title: r[bgIdx.title], t0: d ? d[0] : null, t1: d ? d[1] : null };
      });
      timeline.setData(map.items, bg);
      legend(document.getElementById('map-legend'), map.items);
      mapEl.setAttribute('data-ready', '1');
    }).catch(function (e) {
      T.el('p', { 'class': 'map-status' }, 'The map could not be drawn: ' + e.message, mapEl);
    });
  });
})();
