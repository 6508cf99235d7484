(function () {
  function numberOf(cell) { var v = cell.getAttribute('data-v'); return v === null || v === '' ? null : parseFloat(v); }
  function textOf(cell) { var v = cell.getAttribute('data-v'); return (v === null ? cell.textContent : v).trim(); }
  function sort(table, th, col) {
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    var heads = th.parentNode.cells;
    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute('aria-sort');
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var numeric = th.classList.contains('num');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col], y = b.cells[col];
      if (numeric) {
        var p = numberOf(x), q = numberOf(y);
        if (p === null || q === null) return p === q ? 0 : p === null ? 1 : -1;
        return ascending ? p - q : q - p;
      }
      var s = textOf(x), t = textOf(y);
      if (s === '' || t === '') return s === t ? 0 : s === '' ? 1 : -1;
      return ascending ? s.localeCompare(t) : t.localeCompare(s);
    });
    for (var r = 0; r < rows.length; r++) body.appendChild(rows[r]);
  }
  var tables = document.querySelectorAll('table.sortable');
  for (var t = 0; t < tables.length; t++) {
    (function (table) {
      var heads = table.tHead.rows[table.tHead.rows.length - 1].cells;
      for (var c = 0; c < heads.length; c++) {
        (function (th, col) {
          th.tabIndex = 0;
          th.addEventListener('click', function () { sort(table, th, col); });
          th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(table, th, col); } });
        })(heads[c], c);
      }
    })(tables[t]);
  }
  // index.html#sort=4-desc opens sorted by the fifth column, largest first: a link can carry the order.
  var m = /^#sort=(\d+)(-desc)?$/.exec(location.hash);
  if (m && tables.length > 0) {
    var row = tables[0].tHead.rows[tables[0].tHead.rows.length - 1], col = parseInt(m[1], 10);
    if (col < row.cells.length) {
      if (m[2]) row.cells[col].setAttribute('aria-sort', 'ascending');
      sort(tables[0], row.cells[col], col);
    }
  }
})();
