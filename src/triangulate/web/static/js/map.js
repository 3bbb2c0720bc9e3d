/* Incident map: SVG, Web Mercator, offline base layer (world-atlas TopoJSON served by the app),
   optional online tiles. Points are sized by casualties and coloured by type; dense points cluster;
   region-precise incidents are translucent rings, country-precise ones shade their country. */
(function () {
  'use strict';
  var T = window.Tri;
  var W = 1024;                 // the projected world is a W x W square
  var MAXLAT = 85.05113;
  var CELL = 46;                // clustering grid, in screen pixels
  var LAND_110 = '/static/vendor/world-atlas/countries-110m.json';
  var LAND_50 = '/static/vendor/world-atlas/countries-50m.json';

  function project(lon, lat) {
    var la = Math.max(-MAXLAT, Math.min(MAXLAT, lat)) * Math.PI / 180;
    return [(lon + 180) / 360 * W, (0.5 - Math.log(Math.tan(Math.PI / 4 + la / 2)) / (2 * Math.PI)) * W];
  }

  /* Path data of one ring, unwrapping longitudes across the antimeridian so no stripe crosses the map. */
  function ringPath(ring) {
    var d = '', prev = null, offset = 0;
    for (var i = 0; i < ring.length; i++) {
      var lon = ring[i][0] + offset;
      if (prev !== null) {
        if (lon - prev > 180) { offset -= 360; lon -= 360; } else if (lon - prev < -180) { offset += 360; lon += 360; }
      }
      prev = lon;
      var p = project(lon, ring[i][1]);
      d += (i ? 'L' : 'M') + p[0].toFixed(2) + ',' + p[1].toFixed(2);
    }
    return d + 'Z';
  }

  function ringCentroid(ring) {
    var a = 0, cx = 0, cy = 0, pts = ring.map(function (p) { return project(p[0], p[1]); });
    for (var i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      var f = pts[j][0] * pts[i][1] - pts[i][0] * pts[j][1];
      a += f; cx += (pts[j][0] + pts[i][0]) * f; cy += (pts[j][1] + pts[i][1]) * f;
    }
    var xs = pts.map(function (p) { return p[0]; }), ys = pts.map(function (p) { return p[1]; });
    var box = { x0: Math.min.apply(null, xs), x1: Math.max.apply(null, xs), y0: Math.min.apply(null, ys), y1: Math.max.apply(null, ys) };
    if (Math.abs(a) < 1e-9) { return { area: 0, x: pts[0][0], y: pts[0][1], box: box }; }
    return { area: Math.abs(a / 2), x: cx / (3 * a), y: cy / (3 * a), box: box };
  }

  function featureGeometry(f) {
    var polys = f.geometry ? (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) : [];
    var d = '', best = null;
    polys.forEach(function (poly) {
      poly.forEach(function (ring) { d += ringPath(ring); });
      var c = ringCentroid(poly[0]);
      if (!best || c.area > best.area) { best = c; }
    });
    return { d: d, centroid: best };
  }

  function Map(el, opts) {
    this.el = el;
    this.opts = opts || {};
    this.items = [];
    this.range = null;
    this.k = 1; this.tx = 0; this.ty = 0;
    this.countries = {};      // numeric id -> {path, centroid, name}
    this.detail = false;
    this.tiles = {};
    this._build();
  }

  Map.prototype._build = function () {
    var self = this;
    this.el.textContent = '';
    if (this.opts.tiles) { this.el.classList.add('has-tiles'); }
    this.svg = T.svg('svg', { role: 'group', 'aria-label': 'Map of incidents', tabindex: '0' }, this.el);
    var title = T.svg('title', null, this.svg); title.textContent = 'Map of incidents; arrow keys pan, plus and minus zoom';
    this.world = T.svg('g', { 'class': 'world' }, this.svg);
    this.gTiles = T.svg('g', { 'class': 'tiles' }, this.world);
    this.gLand = T.svg('g', { 'class': 'landlayer' }, this.world);
    this.gOverlay = T.svg('g', { 'class': 'overlay-layer' }, this.svg);
    var controls = T.el('div', { 'class': 'map-controls' }, null, this.el);
    [['+', 'Zoom in', function () { self.zoomBy(2); }], ['\u2212', 'Zoom out', function () { self.zoomBy(0.5); }],
     ['\u2922', 'Show all incidents', function () { self.fit(); }]].forEach(function (b) {
      var btn = T.el('button', { type: 'button', 'class': 'btn', 'aria-label': b[1], title: b[1] }, b[0], controls);
      btn.addEventListener('click', b[2]);
    });
    this.tip = T.el('div', { 'class': 'map-tip', role: 'tooltip', hidden: '' }, null, this.el);
    this.status = T.el('div', { 'class': 'map-status' }, '', this.el);
    var attrib = this.opts.tiles ? 'Tiles: ' + (function () { try { return new URL(self.opts.tiles.replace(/\{[a-z]\}/g, '0')).host; } catch (e) { return 'online'; } })()
      : 'Outlines: Natural Earth (world-atlas)';
    T.el('div', { 'class': 'map-attrib' }, attrib, this.el);
    this._interactions();
    this._resize();
    if (window.ResizeObserver) { new ResizeObserver(function () { self._resize(); self.render(); }).observe(this.el); }
  };

  Map.prototype._resize = function () {
    var oldW = this.w, oldH = this.h;
    this.w = this.el.clientWidth || 600;
    this.h = this.el.clientHeight || 400;
    this.svg.setAttribute('viewBox', '0 0 ' + this.w + ' ' + this.h);
    this.kMin = Math.min(this.w, this.h) / W * 0.9;
    if (oldW && (oldW !== this.w || oldH !== this.h)) {
      // Keep the same place in the middle when the map changes size (phone rotation, window resize).
      this.setView(this.k, this.tx + (this.w - oldW) / 2, this.ty + (this.h - oldH) / 2);
    }
  };

  Map.prototype.loadLand = function (url) {
    var self = this;
    return fetch(url || LAND_110).then(function (r) { return r.json(); }).then(function (topo) {
      var features = window.topojson.feature(topo, topo.objects.countries).features;
      while (self.gLand.firstChild) { self.gLand.removeChild(self.gLand.firstChild); }
      var old = self.countries;
      self.countries = {};
      features.forEach(function (f) {
        if (f.id === '010') { return; } // Antarctica: no news incidents, and it distorts the projection
        var g = featureGeometry(f);
        var path = T.svg('path', { d: g.d, 'class': 'land' }, self.gLand);
        var t = T.svg('title', null, path); t.textContent = (f.properties && f.properties.name) || '';
        self.countries[f.id] = { path: path, centroid: (old[f.id] && old[f.id].centroid) || g.centroid, name: t.textContent };
      });
      self.render();
    });
  };

  Map.prototype.setData = function (columns, rows) {
    var idx = {};
    columns.forEach(function (c, i) { idx[c] = i; });
    this.items = rows.map(function (r) {
      var it = { id: r[idx.id], precision: r[idx.precision] || 'unknown', type: r[idx.type] || 'OTHER', killed: r[idx.killed],
        date: r[idx.date] || '', status: r[idx.status], country: r[idx.country], title: r[idx.title] || ('Incident ' + r[idx.id]),
        kind: r[idx.kind] };
      var lat = r[idx.lat], lon = r[idx.lon];
      var range = T.dateRange(it.date);
      it.t0 = range ? range[0] : null; it.t1 = range ? range[1] : null;
      if (lat !== null && lon !== null && lat !== undefined && it.precision !== 'country') {
        var p = project(lon, lat);
        it.x = p[0]; it.y = p[1];
        it.layer = it.precision === 'admin1' ? 'region' : 'point';
        // A region is drawn as a ring of about 120 km.
        it.rw = 120 / 40075 * W / Math.cos(Math.max(-80, Math.min(80, lat)) * Math.PI / 180);
      } else if (it.country) {
        it.layer = 'country';
      } else {
        it.layer = 'none';
      }
      return it;
    });
  };

  Map.prototype.setRange = function (range) { this.range = range; this.render(); };

  Map.prototype.visible = function () {
    var r = this.range;
    return this.items.filter(function (it) {
      if (!r) { return true; }
      return it.t0 !== null && it.t1 >= r[0] && it.t0 <= r[1];
    });
  };

  Map.prototype._countryXY = function (it) {
    var c = this.countries[it.country];
    return c && c.centroid ? [c.centroid.x, c.centroid.y] : null;
  };

  Map.prototype.fit = function () {
    var self = this, xs = [], ys = [];
    this.visible().forEach(function (it) {
      var p = it.layer === 'country' ? self._countryXY(it) : (it.layer === 'none' ? null : [it.x, it.y]);
      if (p) { xs.push(p[0]); ys.push(p[1]); }
    });
    if (!xs.length) { this.setView(this.kMin, (this.w - W * this.kMin) / 2, (this.h - W * this.kMin) / 2 - 40 * this.kMin); return; }
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var span = Math.max(x1 - x0, y1 - y0, W / 90);
    var k = Math.min((this.w - 120) / Math.max(x1 - x0, span), (this.h - 120) / Math.max(y1 - y0, span * this.h / this.w));
    k = Math.max(this.kMin, Math.min(k, 4000));
    this.setView(k, this.w / 2 - k * (x0 + x1) / 2, this.h / 2 - k * (y0 + y1) / 2);
  };

  Map.prototype.setView = function (k, tx, ty) {
    this.k = Math.max(this.kMin, Math.min(k, 20000));
    this.tx = tx; this.ty = ty;
    this.world.setAttribute('transform', 'translate(' + this.tx.toFixed(2) + ',' + this.ty.toFixed(2) + ') scale(' + this.k.toFixed(5) + ')');
    if (!this.detail && this.k * W > 5000) { this.detail = true; this.loadLand(LAND_50); }
    this._schedule();
  };

  Map.prototype.zoomBy = function (f, cx, cy) {
    cx = cx === undefined ? this.w / 2 : cx; cy = cy === undefined ? this.h / 2 : cy;
    var k = Math.max(this.kMin, Math.min(this.k * f, 20000)), r = k / this.k;
    this.setView(k, cx - (cx - this.tx) * r, cy - (cy - this.ty) * r);
  };

  Map.prototype._schedule = function () {
    var self = this;
    if (this._raf) { return; }
    this._raf = window.requestAnimationFrame(function () { self._raf = null; self.render(); });
    clearTimeout(this._tileTimer);
    if (this.opts.tiles) { this._tileTimer = setTimeout(function () { self._renderTiles(); }, 120); }
  };

  Map.prototype._renderTiles = function () {
    var z = Math.max(0, Math.min(18, Math.round(Math.log2(this.k * W / 256)))), n = Math.pow(2, z), ts = W / n;
    var x0 = Math.floor(-this.tx / this.k / ts), x1 = Math.floor((this.w - this.tx) / this.k / ts);
    var y0 = Math.floor(-this.ty / this.k / ts), y1 = Math.floor((this.h - this.ty) / this.k / ts);
    var keep = {}, count = 0;
    for (var x = x0; x <= x1 && count < 80; x++) {
      for (var y = Math.max(0, y0); y <= Math.min(n - 1, y1) && count < 80; y++) {
        var xx = ((x % n) + n) % n, key = z + '/' + x + '/' + y;
        keep[key] = true; count++;
        if (this.tiles[key]) { continue; }
        var href = this.opts.tiles.replace('{z}', z).replace('{x}', xx).replace('{y}', y).replace('{s}', 'abc'.charAt((xx + y) % 3));
        this.tiles[key] = T.svg('image', { href: href, x: x * ts, y: y * ts, width: ts * 1.002, height: ts * 1.002, preserveAspectRatio: 'none' }, this.gTiles);
      }
    }
    var self = this;
    Object.keys(this.tiles).forEach(function (key) {
      if (!keep[key]) { self.gTiles.removeChild(self.tiles[key]); delete self.tiles[key]; }
    });
  };

  Map.prototype._tipShow = function (lines, sx, sy) {
    var tip = this.tip;
    tip.textContent = '';
    T.el('strong', null, lines[0], tip);
    lines.slice(1).forEach(function (l) { T.el('div', null, l, tip); });
    tip.hidden = false;
    var left = Math.min(Math.max(8, sx + 14), this.w - tip.offsetWidth - 8), top = sy + 14;
    if (top + tip.offsetHeight > this.h - 8) { top = sy - tip.offsetHeight - 14; }
    tip.style.left = left + 'px';
    tip.style.top = Math.max(8, top) + 'px';
  };

  Map.prototype._tipHide = function () { this.tip.hidden = true; };

  function describe(it) {
    return [it.title, (it.date || 'undated') + ' \u00b7 ' + T.typeLabel(it.type) + ' \u00b7 ' + String(it.status || '').replace('-', ' '),
      (it.killed !== null && it.killed !== undefined ? it.killed + ' killed \u00b7 ' : '') + 'located to ' + (it.precision === 'unknown' ? 'a point' : it.precision)];
  }

  Map.prototype._hover = function (node, lines, sx, sy) {
    var self = this;
    node.addEventListener('pointerenter', function () { self._tipShow(lines, sx, sy); });
    node.addEventListener('pointerleave', function () { self._tipHide(); });
    node.addEventListener('focus', function () { self._tipShow(lines, sx, sy); });
    node.addEventListener('blur', function () { self._tipHide(); });
  };

  Map.prototype.render = function () {
    var self = this, k = this.k, tx = this.tx, ty = this.ty, w = this.w, h = this.h;
    var g = this.gOverlay;
    while (g.firstChild) { g.removeChild(g.firstChild); }
    Object.keys(this.countries).forEach(function (id) {
      var c = self.countries[id];
      if (c.hl) { c.path.classList.remove('hl'); c.path.style.fill = ''; c.path.style.fillOpacity = ''; c.hl = false; }
    });
    var vis = this.visible(), byCountry = {}, regions = [], points = [], none = 0;
    // Country names where there is room for them, under everything else.
    var labels = T.svg('g', { 'class': 'labels', 'aria-hidden': 'true' }, g);
    Object.keys(this.countries).forEach(function (id) {
      var c = self.countries[id], b = c.centroid && c.centroid.box;
      if (!b || !c.name) { return; }
      var width = k * (b.x1 - b.x0), sx = tx + k * c.centroid.x, sy = ty + k * c.centroid.y;
      if (width < Math.max(60, c.name.length * 7.5) || sx < 0 || sy < 0 || sx > w || sy > h) { return; }
      var t = T.svg('text', { 'class': 'country-label', x: sx, y: sy + 22 }, labels);
      t.textContent = c.name;
    });
    vis.forEach(function (it) {
      if (it.layer === 'country') { (byCountry[it.country] = byCountry[it.country] || []).push(it); }
      else if (it.layer === 'region') { regions.push(it); }
      else if (it.layer === 'point') { points.push(it); }
      else { none++; }
    });
    // Country precision: shade the country and mark its centre with a hollow ring and the count.
    Object.keys(byCountry).forEach(function (id) {
      var list = byCountry[id], c = self.countries[id];
      if (!c) { none += list.length; return; }
      var colour = T.typeColour(dominant(list));
      c.path.classList.add('hl'); c.path.style.fill = colour; c.path.style.fillOpacity = '0.22'; c.hl = true;
      if (!c.centroid) { return; }
      var sx = tx + k * c.centroid.x, sy = ty + k * c.centroid.y;
      var a = T.svg('a', { href: list.length === 1 ? '/incidents/' + list[0].id : '#', 'class': 'country-mark',
        'aria-label': list.length + ' incident' + (list.length > 1 ? 's' : '') + ' located only to ' + c.name }, g);
      T.svg('circle', { cx: sx, cy: sy, r: 13 + Math.min(10, 3 * Math.log2(list.length)), fill: colour, stroke: colour }, a);
      var t = T.svg('text', { x: sx, y: sy }, a); t.textContent = String(list.length);
      var lines = [c.name + ': ' + list.length + ' incident' + (list.length > 1 ? 's' : '') + ' known only to the country'];
      list.slice(0, 4).forEach(function (it) { lines.push(it.title); });
      if (list.length > 4) { lines.push('\u2026 zoom the list to see them all'); }
      self._hover(a, lines, sx, sy);
      if (list.length > 1) { a.addEventListener('click', function (e) { e.preventDefault(); self.zoomBy(2, sx, sy); }); }
    });
    // Region precision: translucent rings of about 120 km, not pins.
    regions.forEach(function (it) {
      var sx = tx + k * it.x, sy = ty + k * it.y;
      if (sx < -200 || sy < -200 || sx > w + 200 || sy > h + 200) { return; }
      var colour = T.typeColour(it.type);
      var a = T.svg('a', { href: '/incidents/' + it.id, 'class': 'marker region', 'aria-label': it.title + ' (located to a region)' }, g);
      T.svg('circle', { cx: sx, cy: sy, r: Math.max(12, k * it.rw), fill: colour, stroke: colour }, a);
      self._hover(a, describe(it), sx, sy);
    });
    // Points: cluster on a screen grid; a single point is sized by casualties.
    var cells = {};
    points.forEach(function (it) {
      var sx = tx + k * it.x, sy = ty + k * it.y;
      if (sx < -CELL || sy < -CELL || sx > w + CELL || sy > h + CELL) { return; }
      var key = Math.floor(sx / CELL) + ':' + Math.floor(sy / CELL);
      (cells[key] = cells[key] || []).push({ it: it, sx: sx, sy: sy });
    });
    Object.keys(cells).forEach(function (key) {
      var list = cells[key];
      if (list.length === 1) {
        var p = list[0], it = p.it;
        var a = T.svg('a', { href: '/incidents/' + it.id, 'class': 'marker point', 'aria-label': it.title }, g);
        var r = 5 + Math.min(16, 2.2 * Math.sqrt(Math.max(0, it.killed || 0)));
        T.svg('circle', { 'class': 'pt', cx: p.sx, cy: p.sy, r: r, fill: T.typeColour(it.type) }, a);
        self._hover(a, describe(it), p.sx, p.sy);
        return;
      }
      var sx = 0, sy = 0, killed = 0;
      list.forEach(function (p) { sx += p.sx; sy += p.sy; killed += p.it.killed || 0; });
      sx /= list.length; sy /= list.length;
      var c = T.svg('g', { 'class': 'cluster', tabindex: '0', role: 'button',
        'aria-label': list.length + ' incidents here; activate to zoom in' }, g);
      T.svg('circle', { cx: sx, cy: sy, r: 12 + Math.min(14, 3 * Math.log2(list.length)) }, c);
      var t = T.svg('text', { x: sx, y: sy }, c); t.textContent = String(list.length);
      self._hover(c, [list.length + ' incidents', killed + ' killed in all', 'Click to zoom in'], sx, sy);
      var zoom = function () { self.zoomBy(2.5, sx, sy); };
      c.addEventListener('click', zoom);
      c.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); zoom(); } });
    });
    var shown = vis.length - none;
    this.status.textContent = shown + ' on the map' + (none ? ' \u00b7 ' + none + ' without a location' : '');
  };

  function dominant(list) {
    var counts = {};
    list.forEach(function (it) { counts[it.type] = (counts[it.type] || 0) + 1; });
    return Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; })[0];
  }

  Map.prototype._interactions = function () {
    var self = this, svg = this.svg, drag = null, moved = false;
    svg.addEventListener('wheel', function (e) {
      e.preventDefault();
      var rect = svg.getBoundingClientRect();
      self.zoomBy(Math.exp(-e.deltaY * 0.0015), e.clientX - rect.left, e.clientY - rect.top);
    }, { passive: false });
    svg.addEventListener('pointerdown', function (e) {
      if (e.button !== 0) { return; }
      drag = { x: e.clientX, y: e.clientY, tx: self.tx, ty: self.ty, id: e.pointerId };
      moved = false;
    });
    svg.addEventListener('pointermove', function (e) {
      if (!drag || e.pointerId !== drag.id) { return; }
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!moved && Math.abs(dx) + Math.abs(dy) < 4) { return; }
      if (!moved) { moved = true; svg.setPointerCapture(e.pointerId); svg.classList.add('dragging'); self._tipHide(); }
      self.setView(self.k, drag.tx + dx, drag.ty + dy);
    });
    var end = function () { drag = null; svg.classList.remove('dragging'); };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', end);
    svg.addEventListener('click', function (e) { if (moved) { e.preventDefault(); e.stopPropagation(); moved = false; } }, true);
    svg.addEventListener('dblclick', function (e) {
      e.preventDefault();
      var rect = svg.getBoundingClientRect();
      self.zoomBy(2, e.clientX - rect.left, e.clientY - rect.top);
    });
    svg.addEventListener('keydown', function (e) {
      if (e.target !== svg) { return; }
      var step = 60, map = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (map[e.key]) { e.preventDefault(); self.setView(self.k, self.tx + map[e.key][0], self.ty + map[e.key][1]); }
      else if (e.key === '+' || e.key === '=') { e.preventDefault(); self.zoomBy(2); }
      else if (e.key === '-' || e.key === '_') { e.preventDefault(); self.zoomBy(0.5); }
      else if (e.key === '0') { e.preventDefault(); self.fit(); }
    });
  };

  T.Map = Map;
  T.project = project;
})();
