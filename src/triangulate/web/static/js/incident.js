/* Incident page: hovering a value in the source matrix outlines every cell that agrees with it. */
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var matrix = document.getElementById('source-matrix');
    if (!matrix) { return; }
    var lit = [];
    function clear() { lit.forEach(function (c) { c.classList.remove('hover-match'); }); lit = []; }
    matrix.addEventListener('mouseover', function (e) {
      var chip = e.target.closest('.chip[data-cand]');
      clear();
      if (!chip) { return; }
      lit = Array.prototype.slice.call(matrix.querySelectorAll('.chip[data-cand="' + chip.getAttribute('data-cand') + '"]'));
      lit.forEach(function (c) { c.classList.add('hover-match'); });
    });
    matrix.addEventListener('mouseleave', clear);
  });
})();
