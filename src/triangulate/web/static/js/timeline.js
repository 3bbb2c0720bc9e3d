/* Timeline: incidents per day/week/month (stacked by type) and background events on their own lane.
   Drag across it (or click a bar) to pick a date range; Escape clears the range. */
(function () {
  'use strict';
  var T = window.Tri;
  var DAY = 86400000;
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  function floorTo(ms, unit) {
    var d = new Date(ms);
    if (unit === 'day') { return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()); }
    if (unit === 'week') { var day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()); return day - ((d.getUTCDay() + 6) % 7) * DAY; }
    if (unit === 'month') { return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1); }
    return Date.UTC(d.getUTCFullYear(), 0, 1);
  }
  function next(ms, unit) {
    var d = new Date(ms);
    if (unit === 'day') { return ms + DAY; }
    if (unit === 'week') { return ms + 7 * DAY; }
    if (unit === 'month') { return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1); }
    return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  }

  function Timeline(el, opts) {
    this.el = el;
    this.opts = opts || {};
    this.range = this.opts.range || null;
    this.main = []; this.background = [];
    var self = this;
    if (window.ResizeObserver) { new ResizeObserver(function () { self.render(); }).observe(el); }
  }

  Timeline.prototype.setData = function (main, background) {
    this.main = main.filter(function (it) { return it.t0 !== null; });
    this.undated = main.length - this.main.length;
    this.background = background.filter(function (it) { return it.t0 !== null; });
    this.render();
  };

  Timeline.prototype.setRange = function (range) { this.range = range; this.render(); };

  Timeline.prototype.render = function () {
    var self = this, el = this.el;
    el.textContent = '';
    var w = el.clientWidth || 600, h = el.clientHeight || 150;
    var svg = T.svg('svg', { viewBox: '0 0 ' + w + ' ' + h, role: 'group', 'aria-label': 'Timeline of incidents and background events' }, el);
    var all = this.main.concat(this.background);
    if (!all.length) {
      var t = T.svg('text', { x: 12, y: 24, 'class': 'lane-label' }, svg); t.textContent = 'No dated incidents';
      return;
    }
    var lo = Math.min.apply(null, all.map(function (i) { return i.t0; }));
    var hi = Math.max.apply(null, all.map(function (i) { return Math.min(i.t1, i.t0 + 62 * DAY); }));
    if (this.main.length) {
      // Keep the incidents readable: background events far outside their span are counted, not drawn.
      var mlo = Math.min.apply(null, this.main.map(function (i) { return i.t0; }));
      var mhi = Math.max.apply(null, this.main.map(function (i) { return Math.min(i.t1, i.t0 + 62 * DAY); }));
      var pad = Math.max(30 * DAY, (mhi - mlo) * 0.35);
      lo = Math.max(lo, mlo - pad); hi = Math.min(hi, mhi + pad);
    }
    var hidden = this.background.filter(function (i) { return i.t0 < lo || i.t0 > hi; }).length;
    if (this.range && isFinite(this.range[0])) { lo = Math.min(lo, this.range[0]); }
    if (this.range && isFinite(this.range[1])) { hi = Math.max(hi, this.range[1]); }
    var spanDays = (hi - lo) / DAY;
    var unit = spanDays <= 120 ? 'day' : spanDays <= 730 ? 'week' : spanDays <= 365 * 10 ? 'month' : 'year';
    lo = floorTo(lo, unit); hi = next(floorTo(hi, unit), unit);
    var left = 10, right = w - 10, top = 8, axisY = h - 22, bgY = axisY - 16, barBottom = bgY - 14;
    var x = function (ms) { return left + (Math.max(lo, Math.min(hi, ms)) - lo) / (hi - lo) * (right - left); };
    var inv = function (px) { return lo + (Math.max(left, Math.min(right, px)) - left) / (right - left) * (hi - lo); };
    this._x = x; this._inv = inv; this._unit = unit;
    // Histogram of main incidents, stacked by type.
    var bins = {};
    this.main.forEach(function (it) {
      var b = floorTo(it.t0, unit);
      var bin = bins[b] = bins[b] || { total: 0, types: {} };
      bin.total++; bin.types[it.type] = (bin.types[it.type] || 0) + 1;
    });
    var maxCount = Math.max.apply(null, Object.keys(bins).map(function (b) { return bins[b].total; }).concat([1]));
    var gBars = T.svg('g', { 'class': 'bars' }, svg);
    Object.keys(bins).forEach(function (b) {
      b = +b;
      var bin = bins[b], x0 = x(b), x1 = x(next(b, unit)), y = barBottom;
      var bw = Math.max(2, x1 - x0 - 1);
      Object.keys(bin.types).sort().forEach(function (type) {
        var hgt = bin.types[type] / maxCount * (barBottom - top - 10);
        var r = T.svg('rect', { 'class': 'bar', x: x0, y: y - hgt, width: bw, height: Math.max(1, hgt), fill: T.typeColour(type) }, gBars);
        var title = T.svg('title', null, r);
        title.textContent = label(b, unit) + ': ' + bin.types[type] + ' ' + T.typeLabel(type).toLowerCase();
        y -= hgt;
      });
    });
    T.svg('line', { 'class': 'baseline', x1: left, x2: right, y1: barBottom + 0.5, y2: barBottom + 0.5 }, svg);
    var ml = T.svg('text', { 'class': 'lane-label', x: left, y: top + 6 }, svg);
    var wide = w > 560;
    ml.textContent = 'Incidents' + (this.undated ? (wide ? ' (' + this.undated + ' undated not shown)' : ' (+' + this.undated + ' undated)') : '');
    // Background events lane.
    var bl = T.svg('text', { 'class': 'lane-label', x: left, y: bgY - 6 }, svg);
    bl.textContent = this.background.length ? (wide ? 'Background events' + (hidden ? ' (' + hidden + ' outside this span not shown)' : '') : 'Background') : '';
    var gBg = T.svg('g', null, svg);
    this.background.forEach(function (it) {
      if (it.t0 < lo || it.t0 > hi) { return; }
      var a = T.svg('a', { href: '/incidents/' + it.id, 'aria-label': 'Background event: ' + it.title }, gBg);
      var cx = x(it.t0), s = 4;
      T.svg('path', { 'class': 'bg-event', d: 'M' + cx + ',' + (bgY - s) + 'l' + s + ',' + s + 'l-' + s + ',' + s + 'l-' + s + ',-' + s + 'Z' }, a);
      var title = T.svg('title', null, a); title.textContent = (it.date || '') + ' \u00b7 ' + it.title;
    });
    // Axis.
    var gAxis = T.svg('g', { 'class': 'axis' }, svg);
    T.svg('line', { x1: left, x2: right, y1: axisY + 0.5, y2: axisY + 0.5 }, gAxis);
    var tickUnit = spanDays <= 45 ? 'week' : spanDays <= 900 ? 'month' : 'year';
    var tick = next(floorTo(lo, tickUnit), tickUnit), lastX = -100, first = true;
    if (floorTo(lo, tickUnit) === lo) { tick = lo; }
    while (tick <= hi) {
      var tx = x(tick);
      if (tx - lastX > 64 && tx < right - 20) {
        T.svg('line', { x1: tx, x2: tx, y1: axisY, y2: axisY + 4 }, gAxis);
        var lab = T.svg('text', { x: tx, y: axisY + 16, 'text-anchor': tx < left + 30 ? 'start' : 'middle' }, gAxis);
        lab.textContent = tickLabel(tick, tickUnit, first);
        lastX = tx; first = false;
      }
      tick = next(tick, tickUnit);
    }
    // Brush.
    if (this.range) {
      var bx0 = x(this.range[0]), bx1 = x(this.range[1]);
      T.svg('rect', { 'class': 'outside', x: left, y: top, width: Math.max(0, bx0 - left), height: axisY - top }, svg);
      T.svg('rect', { 'class': 'outside', x: bx1, y: top, width: Math.max(0, right - bx1), height: axisY - top }, svg);
    }
    this.brush = T.svg('rect', { 'class': 'brush', x: 0, y: top, width: 0, height: axisY - top }, svg);
    if (this.range) { this._drawBrush(x(this.range[0]), x(this.range[1])); } else { this.brush.setAttribute('visibility', 'hidden'); }
    var overlay = T.svg('rect', { 'class': 'overlay', x: left, y: top, width: right - left, height: barBottom - top, tabindex: '0',
      role: 'slider', 'aria-label': 'Date range: drag to choose, Escape to clear', 'aria-valuetext': this.range ? T.isoDay(this.range[0]) + ' to ' + T.isoDay(this.range[1]) : 'all dates' }, svg);
    this._interact(svg, overlay);
  };

  Timeline.prototype._drawBrush = function (a, b) {
    this.brush.setAttribute('visibility', 'visible');
    this.brush.setAttribute('x', Math.min(a, b));
    this.brush.setAttribute('width', Math.max(1, Math.abs(b - a)));
  };

  Timeline.prototype._interact = function (svg, overlay) {
    var self = this, start = null;
    var px = function (e) { var r = svg.getBoundingClientRect(); return (e.clientX - r.left) * (self.el.clientWidth / r.width); };
    overlay.addEventListener('pointerdown', function (e) { start = px(e); overlay.setPointerCapture(e.pointerId); self._drawBrush(start, start); });
    overlay.addEventListener('pointermove', function (e) { if (start !== null) { self._drawBrush(start, px(e)); } });
    overlay.addEventListener('pointerup', function (e) {
      if (start === null) { return; }
      var end = px(e), a = Math.min(start, end), b = Math.max(start, end);
      start = null;
      var t0, t1;
      if (b - a < 3) {   // a click: the bucket under the pointer
        t0 = floorTo(self._inv(a), self._unit); t1 = next(t0, self._unit) - 1;
      } else {
        t0 = floorTo(self._inv(a), 'day'); t1 = floorTo(self._inv(b), 'day') + DAY - 1;
      }
      self.range = [t0, t1];
      self.render();
      if (self.opts.onBrush) { self.opts.onBrush(self.range); }
    });
    overlay.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && self.range) { e.preventDefault(); self.range = null; self.render(); if (self.opts.onBrush) { self.opts.onBrush(null); } }
    });
  };

  function rangeText(r) {
    return (isFinite(r[0]) ? T.isoDay(r[0]) : 'the start') + ' to ' + (isFinite(r[1]) ? T.isoDay(r[1]) : 'the end');
  }
  function label(ms, unit) {
    var d = new Date(ms);
    if (unit === 'year') { return String(d.getUTCFullYear()); }
    if (unit === 'month') { return MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear(); }
    return (unit === 'week' ? 'week of ' : '') + T.isoDay(ms);
  }
  function tickLabel(ms, unit, first) {
    var d = new Date(ms);
    if (unit === 'year') { return String(d.getUTCFullYear()); }
    if (unit === 'month') { return MONTHS[d.getUTCMonth()] + (d.getUTCMonth() === 0 || first ? ' ' + d.getUTCFullYear() : ''); }
    return MONTHS[d.getUTCMonth()] + ' ' + d.getUTCDate() + (first ? ', ' + d.getUTCFullYear() : '');
  }

  T.Timeline = Timeline;
})();
