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
 * - `__tellusBench.opened()`: a promise of the time from the click to the interactive dialog
 *   (null after 30 s), resolved in a task after the frame check found it, so waiting for it
 *   adds no polling task to the page.
 * - `__tellusBench.fetched()`: what was downloaded from the hover (or the click) on, as
 *   [span in ms, bytes]; `__tellusBench.centre(selector)`: the middle of the widget's
 *   launcher, where the bench clicks.
 * - Every function the bench calls from outside (`centre`, `quiet`, `opened`, `fetched`) first
 *   marks `bench-command`: the task that evaluates the bench's command is then known in the
 *   trace and counted for no widget.
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
    centre: centre,
    opened: opened,
    fetched: fetched,
  });
  var whenOpened = []; // resolvers of opened(), answered by release()
  function command() {
    performance.mark('bench-command');
  }
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

  function centre(selector) {
    command();
    var r = find(selector).getBoundingClientRect();
    return [r.x + r.width / 2, r.y + r.height / 2];
  }

  function fetched() {
    command();
    var from = bench.hover || bench.click;
    var after = performance.getEntriesByType('resource').filter(function (e) {
      return e.startTime >= from;
    });
    if (!after.length) return [0, 0];
    var end = Math.max.apply(null, after.map(function (e) { return e.responseEnd; }));
    var start = Math.min.apply(null, after.map(function (e) { return e.startTime; }));
    return [end - start, after.reduce(function (sum, e) { return sum + e.encodedBodySize; }, 0)];
  }

  function opened() {
    command();
    return new Promise(function (resolve) {
      if (bench.interactive || (bench.click && performance.now() - bench.click >= 30000)) settle(resolve);
      else whenOpened.push(resolve);
    });
  }
  function settle(resolve) {
    resolve(bench.interactive ? bench.interactive - bench.click : null);
  }

  function quiet() {
    command();
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
      setTimeout(release);
    } else if (performance.now() - bench.click < 30000) {
      requestAnimationFrame(check);
    } else {
      setTimeout(release);
    }
  }
  // Answers opened() in a task of its own, marked as the bench's, not in the widget's frame.
  function release() {
    command();
    whenOpened.splice(0).forEach(settle);
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
