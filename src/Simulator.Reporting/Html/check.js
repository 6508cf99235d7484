(function () {
  var errors = [];
  function record() { if (document.body) document.body.setAttribute('data-script-errors', errors.join('\n')); }
  window.addEventListener('error', function (e) {
    if (e instanceof ErrorEvent) { errors.push((e.message || 'error') + ' (line ' + (e.lineno || 0) + ')'); record(); }
  });
  window.addEventListener('unhandledrejection', function (e) { errors.push('unhandled rejection: ' + e.reason); record(); });
  window.addEventListener('load', function () {
    var broken = 0, images = document.images;
    for (var i = 0; i < images.length; i++) { if (!images[i].complete || images[i].naturalWidth === 0) broken++; }
    document.body.setAttribute('data-images', String(images.length));
    document.body.setAttribute('data-broken-images', String(broken));
    // A table wider than the page scrolls inside its frame, and a reader may never see its last columns.
    var clipped = [], frames = document.querySelectorAll('.table-wrap');
    for (var j = 0; j < frames.length; j++) {
      if (frames[j].scrollWidth <= frames[j].clientWidth + 1) continue;
      var table = frames[j].querySelector('table');
      clipped.push(table && table.id ? table.id : 'table ' + (j + 1));
    }
    document.body.setAttribute('data-clipped-tables', clipped.join(' '));
    record();
    document.body.setAttribute('data-checked', 'true');
  });
})();
