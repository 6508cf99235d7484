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
    record();
    document.body.setAttribute('data-checked', 'true');
  });
})();
