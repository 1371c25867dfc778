// Print preview: ask the studio to lay out the PDF (it takes a few seconds), show progress meanwhile,
// then show the PDF in the frame. Without scripts the page still offers a link to the same PDF.
(function () {
  'use strict';
  var frame = document.getElementById('pdf-frame');
  var progress = document.getElementById('pdf-progress');
  var failure = document.getElementById('pdf-failure');
  if (!frame || !progress || !window.fetch) { return; }
  var url = frame.getAttribute('data-src');
  progress.hidden = false;
  var started = Date.now();
  var seconds = document.getElementById('pdf-seconds');
  var timer = window.setInterval(function () {
    if (seconds) { seconds.textContent = String(Math.round((Date.now() - started) / 1000)); }
  }, 1000);
  window.fetch(url, { credentials: 'same-origin' }).then(function (response) {
    window.clearInterval(timer);
    progress.hidden = true;
    if (response.ok) {
      frame.src = url;
      frame.hidden = false;
      document.body.setAttribute('data-pdf', 'ready');
    } else {
      failure.hidden = false;
      document.body.setAttribute('data-pdf', 'failed');
    }
  }, function () {
    window.clearInterval(timer);
    progress.hidden = true;
    failure.hidden = false;
    document.body.setAttribute('data-pdf', 'failed');
  });
}());
