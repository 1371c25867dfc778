// Live reload for the studio's pages: the studio tells every open page, over server-sent events
// from /events (same origin), when a profile, a content module, a template or a translation changed,
// and the page reloads. `data-generation` is the count of changes the page was made at, so a change
// made between drawing the page and opening the stream still reloads it.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!window.EventSource || !script) { return; }
  var made = script.getAttribute('data-generation');
  var source = new EventSource('/events');
  function reload() { source.close(); window.location.reload(); }
  source.addEventListener('hello', function (event) {
    if (made !== null && event.data !== made) { reload(); }
  });
  source.addEventListener('change', reload);
}());
