/* Shared helpers for every page. No inline scripts anywhere (strict CSP). */
(function () {
  'use strict';
  var T = window.Tri = window.Tri || {};
  var SVGNS = 'http://www.w3.org/2000/svg';

  /* Create an SVG element with attributes (values set as attributes, never as HTML). */
  T.svg = function (name, attrs, parent) {
    var el = document.createElementNS(SVGNS, name);
    if (attrs) { Object.keys(attrs).forEach(function (k) { if (attrs[k] !== null && attrs[k] !== undefined) { el.setAttribute(k, attrs[k]); } }); }
    if (parent) { parent.appendChild(el); }
    return el;
  };
  /* Create an HTML element with text content (user data only ever goes through textContent). */
  T.el = function (name, attrs, text, parent) {
    var el = document.createElement(name);
    if (attrs) { Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    if (parent) { parent.appendChild(el); }
    return el;
  };
  T.TYPE_COLOURS = {
    ASSAULT: '#c0392b', FIGHT: '#d35400', PROTEST: '#2471a3', ARREST: '#7d3c98', CAPTURE: '#0e7c6b',
    RELEASE: '#2e8b57', PROPAGANDA: '#6c7a89', THREATEN: '#a67c00', ACCUSE: '#8e6c4e', OTHER: '#5d6d7e'
  };
  T.typeColour = function (t) { return T.TYPE_COLOURS[t] || T.TYPE_COLOURS.OTHER; };
  T.typeLabel = function (t) { t = String(t || 'OTHER').toLowerCase(); return t.charAt(0).toUpperCase() + t.slice(1); };
  /* 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' -> [start ms, end ms] (UTC), or null. */
  T.dateRange = function (s) {
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(s || '');
    if (!m) { return null; }
    var y = +m[1], mo = m[2] ? +m[2] - 1 : null, d = m[3] ? +m[3] : null;
    if (mo === null) { return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1) - 1]; }
    if (d === null) { return [Date.UTC(y, mo, 1), Date.UTC(y, mo + 1, 1) - 1]; }
    return [Date.UTC(y, mo, d), Date.UTC(y, mo, d + 1) - 1];
  };
  T.isoDay = function (ms) { return new Date(ms).toISOString().slice(0, 10); };

  /* Collapse the filter panel on narrow screens so results come first. */
  document.addEventListener('DOMContentLoaded', function () {
    var details = document.querySelector('details.collapse-narrow');
    if (details && window.matchMedia('(max-width: 900px)').matches) { details.removeAttribute('open'); }
  });
})();
