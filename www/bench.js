/*
 * Helper of the benchmark host page (bench.html), for `cargo xtask bench` only.
 *
 * - Records every long task (> 50 ms on the main thread) from the start of the page, for Total
 *   Blocking Time and the longest task.
 * - With ?site=ID, adds the tellus script tag exactly as an owner writes it (async, data-site),
 *   at the end of the body.
 * - On the first click, times the path to an interactive dialog: a frame-by-frame check for the
 *   rating buttons inside tellus's shadow root (at most 30 s of frames).
 */
(function () {
  var bench = (window.__tellusBench = { longtasks: [], click: 0, interactive: 0 });
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (entry) {
        bench.longtasks.push([entry.startTime, entry.duration]);
      });
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {
    bench.longtasks = null; // not supported: the xtask reports it as missing
  }
  var site = new URLSearchParams(location.search).get('site');
  if (!site) return;
  var script = document.createElement('script');
  script.src = '/tellus.js';
  script.async = true;
  script.dataset.site = site;
  script.dataset.touchpoint = '/bench';
  document.body.appendChild(script);
  addEventListener(
    'click',
    function () {
      if (bench.click) return;
      bench.click = performance.now();
      (function check() {
        var host = document.querySelector('tellus-widget');
        var root = host && host.shadowRoot;
        if (root && root.querySelector('[name=tl-rating]')) {
          bench.interactive = performance.now();
        } else if (performance.now() - bench.click < 30000) {
          requestAnimationFrame(check);
        }
      })();
    },
    true
  );
})();
