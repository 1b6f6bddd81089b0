/*
 * Helper of the benchmark host page (bench.html), for `cargo xtask bench` only.
 *
 * - Records every long task (> 50 ms on the main thread) from the start of the page, for Total
 *   Blocking Time and the longest task.
 * - Adds one feedback widget, exactly as its owner's documentation has it: with ?site=ID the
 *   tellus script tag (async, data-site) at the end of the body; with ?peer=sentry or
 *   ?peer=feedbackfin that peer's bundle (built by the bench from its npm package, see
 *   bench-peers/), plus, for Feedback Fin, the button it opens from. Without either, the plain
 *   page.
 * - Marks what the customer does and sees in the page's timeline (User Timing, so the marks are
 *   in the Chromium trace too): `bench-hover` when the pointer first enters the widget's
 *   launcher, `bench-click` at the first click, `bench-interactive` in the first animation frame
 *   after the click in which the widget's dialog shows its first control (tellus: the rating
 *   radios; Sentry: the message box; Feedback Fin: the first feedback type; present and not
 *   hidden by `display` or `visibility`), checked frame by frame for at most 30 s. The check
 *   never runs inside the click's task (its forced style pass would count as the widget's),
 *   and its functions are run once at load so none is compiled on the click.
 * - `__tellusBench.quiet()`: a promise that resolves once the page has fetched nothing for
 *   300 ms and the main thread is idle (at most 10 s), so the bench can let a hover finish what
 *   it starts before it clicks, as a customer who reads the launcher before clicking would.
 */
(function () {
  var query = new URLSearchParams(location.search);
  var site = query.get('site');
  var peer = query.get('peer');
  // Where each widget's launcher and its dialog's first control are: [shadow host or null,
  // launcher, first control].
  var widgets = {
    tellus: ['tellus-widget', '.launcher', '[name=tl-rating]'],
    sentry: ['#sentry-feedback', '.widget__actor', 'textarea[name=message]'],
    feedbackfin: [null, '[data-feedbackfin-button]', '#feedbackfin__radio--issue'],
  };
  var kind = site ? 'tellus' : widgets[peer] ? peer : null;
  var bench = (window.__tellusBench = {
    kind: kind,
    longtasks: [],
    hover: 0,
    click: 0,
    interactive: 0,
    lastFetch: 0,
    find: find,
    quiet: quiet,
  });
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (entry) {
        bench.longtasks.push([entry.startTime, entry.duration]);
      });
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {
    bench.longtasks = null; // not supported: the xtask reports it as missing
  }
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (entry) {
      bench.lastFetch = Math.max(bench.lastFetch, entry.responseEnd);
    });
  }).observe({ type: 'resource', buffered: true });
  if (!kind) return;

  /* The element matching `selector` in the widget (inside its shadow root if it has one). */
  function find(selector) {
    var host = widgets[kind][0];
    if (!host) return document.querySelector(selector);
    var node = document.querySelector(host);
    return node && node.shadowRoot ? node.shadowRoot.querySelector(selector) : null;
  }

  function quiet() {
    var t0 = performance.now();
    return new Promise(function (resolve) {
      (function check() {
        requestIdleCallback(function () {
          var now = performance.now();
          if (now - Math.max(bench.lastFetch, t0) >= 300 || now - t0 > 10000) resolve(now - t0 <= 10000);
          else setTimeout(check, 50);
        });
      })();
    });
  }

  if (kind == 'tellus') {
    var script = document.createElement('script');
    script.src = '/tellus.js';
    script.async = true;
    script.dataset.site = site;
    script.dataset.touchpoint = '/bench';
    document.body.appendChild(script);
  } else {
    if (kind == 'feedbackfin') {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Feedback';
      button.setAttribute('data-feedbackfin-button', '');
      button.style.cssText = 'position:fixed;right:16px;bottom:16px;padding:11px 19px';
      document.body.appendChild(button);
    }
    var bundle = document.createElement('script');
    bundle.src = '/bench-peers/' + kind + '.js';
    bundle.async = true;
    document.body.appendChild(bundle);
  }

  addEventListener(
    'pointerover',
    function (event) {
      var launcher = find(widgets[kind][1]);
      if (bench.hover || !launcher || event.composedPath().indexOf(launcher) < 0) return;
      bench.hover = performance.now();
      performance.mark('bench-hover');
    },
    true
  );
  // The click's own listener only marks the click; whether the dialog shows is checked in
  // animation frames from the next one on, where the frame's style pass runs anyway, so the
  // check forces no extra style pass inside any widget's click task. Both functions run once at
  // load (the check finds nothing to mark then), so neither is compiled on the click.
  function check() {
    if (!bench.click || bench.interactive) return;
    // Shown, not merely present (tellus draws its dialog hidden on hover).
    var control = find(widgets[kind][2]);
    if (control && control.checkVisibility({ visibilityProperty: true })) {
      bench.interactive = performance.now();
      performance.mark('bench-interactive');
    } else if (performance.now() - bench.click < 30000) {
      requestAnimationFrame(check);
    }
  }
  function onClick(event) {
    if (bench.click || !event) return;
    bench.click = performance.now();
    performance.mark('bench-click');
    requestAnimationFrame(check);
  }
  check();
  onClick();
  addEventListener('click', onClick, true);
})();
