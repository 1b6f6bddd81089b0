/*
 * tellus loader: the one script a host page includes.
 *
 *   <script src="https://TELLUS-HOST/tellus.js" data-site="SITE_ID" async></script>
 *
 * Optional attributes: data-lang, data-touchpoint, data-position="bottom-left" (default
 * bottom-right), data-trigger="manual" (no launcher; the host calls tellus('open')).
 *
 * What it does, and deliberately nothing more (every byte here is paid by every host page):
 * - reads its data-* attributes; the API endpoint is the origin of this script's src;
 * - adds <tellus-widget> to the body with an open shadow root holding the stylesheet (a
 *   constructable stylesheet, so a strict CSP without 'unsafe-inline' styles is fine), a
 *   launcher button named in the customer's language (en, et, fi, pl, ru or ar), an empty
 *   mount <div> and a hidden alert for a failure to load;
 * - requests nothing else until the customer shows interest: the pointer on the launcher,
 *   focus or a click imports /w/tellus_widget.js, initialises its wasm (compiled and
 *   instantiated then, not on the click) and calls mount(div, options), which prepares the
 *   dialog closed and fetches the site's configuration; a click and tellus('open') call
 *   open(), which only has to draw. The load promise is cached and dropped on failure, so the
 *   next click retries; a failure is announced in the customer's language ("Couldn't load.");
 * - when localStorage has the "tellus" key (an entry saved offline or the receipt of the
 *   customer's last failure), imports the app at once and calls flush(mountPoint, options);
 * - replaces the queue stub window.tellus and replays the queued calls in order:
 *   tellus('open'), tellus('context', {touchpoint, agent, order}), tellus('identify',
 *   {name, email}). Including the script twice is harmless (the second copy stops at once).
 *
 * The launcher has no aria-haspopup: its "dialog" value is announced as a menu by screen
 * readers that predate it, and the dialog announces itself when it opens.
 *
 * Build: widget.css is minified and its JSON string replaces the __TELLUS_CSS__ string
 * literal below, quotes included; then terser minifies this file into tellus.js (as it is:
 * it wraps itself), with non-ASCII written as escapes, which gzip better here than UTF-8.
 * It is plain ES2019 (arrows, spread, catch without a binding) plus import(), which every
 * browser with WebAssembly ESM support has. Budget: 1,500 bytes gzip, enforced by
 * `cargo xtask build`; terser with ASCII output is 22 bytes smaller than esbuild's.
 */
(function () {
  var w = window;
  var d = document;
  var t = w.tellus;
  if (t && t.l) return;
  // The host may call tellus() before we are ready: keep a stub so those calls are queued.
  if (!t) {
    t = w.tellus = function () {
      (t.q = t.q || []).push(arguments);
    };
  }
  t.l = 1; // claimed: a second copy of this script returns above

  var script = d.currentScript;
  var data = script.dataset;
  var endpoint = new URL(script.src).origin;
  // What mount() reads: site, lang and touchpoint from the data-* attributes (the app ignores
  // the others), the endpoint, and what host code gives through tellus('context'|'identify').
  var options = { ...data, endpoint: endpoint, context: {}, identify: {} };
  var loading; // promise of the initialised module, cached; reset on failure
  var app; // the module once mount() was called
  var mountPoint;
  var message;
  var words; // [the launcher's name, what the customer sees when the app cannot load]

  function load() {
    return (loading =
      loading ||
      // The glue finds its wasm next to itself (tellus_widget_bg.wasm).
      import(endpoint + '/w/tellus_widget.js')
        .then((mod) => mod.default().then(() => mod))
        .catch((error) => {
          loading = 0;
          throw error;
        }));
  }

  // The module, initialised, with the dialog mounted (closed) once.
  function ready() {
    return load().then((mod) => (app || mod.mount(mountPoint, options), (app = mod)));
  }

  async function open() {
    try {
      var mod = await ready();
      message.hidden = true;
      mod.open();
    } catch {
      // Offline, or something (an extension, a CSP) blocks us: clicking again retries.
      message.textContent = words[1];
      message.hidden = false;
    }
  }

  function api(command, argument) {
    if (command == 'open') {
      open();
    } else if (command == 'context' || command == 'identify') {
      options[command] = { ...options[command], ...argument };
      if (app) app.configure(options);
    }
  }

  function element(tag, className) {
    var node = d.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  function init() {
    var host = element('tellus-widget');
    var shadow = host.attachShadow({ mode: 'open' });
    var css = "__TELLUS_CSS__";
    // A constructable stylesheet: no <style>, so a CSP without 'unsafe-inline' styles is fine
    // (every browser that runs the app has them: Safari 16.4, Firefox 101, Chrome 73).
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [sheet];
    var root = element('div', data.position == 'bottom-left' ? 'root left' : 'root');
    // The customer's language, chosen as the app chooses: the first of data-lang and
    // navigator.languages whose primary subtag (up to "-", "_" or the end) we have, else
    // English. Its words before the app loads, "name|failure": the launcher's name (the app's
    // Text::Title; a widget test checks both tables agree) and the failure to load. A failure
    // says only that: the launcher stays, and clicking it again retries.
    var lang = (root.lang = (([data.lang, ...navigator.languages] + '')
      .toLowerCase()
      .match(/(^|,)(e[nt]|fi|pl|ru|ar)(?![a-z])/) || [, , 'en'])[2]);
    words = {
      en: "Feedback|Couldn't load.",
      et: 'Tagasiside|Laadimine ebaõnnestus.',
      fi: 'Palaute|Lataus epäonnistui.',
      pl: 'Opinia|Nie udało się wczytać.',
      ru: 'Отзыв|Не удалось загрузить.',
      ar: 'ملاحظاتك|تعذّر التحميل.',
    }[lang].split('|');
    if (data.trigger != 'manual') {
      // Outside any form, so a plain <button> (type "submit") submits nothing. Its text is its
      // accessible name.
      var launcher = element('button', 'launcher');
      launcher.textContent = words[0];
      launcher.onclick = open;
      // Interest shown: fetch, compile, instantiate and mount now, so the click only draws.
      // Errors surface on click.
      launcher.onpointerenter = launcher.onfocus = () => ready().catch(() => {});
      root.appendChild(launcher);
    }
    mountPoint = root.appendChild(element('div'));
    message = root.appendChild(element('p', 'panel error'));
    message.setAttribute('role', 'alert');
    message.dir = 'auto';
    message.hidden = true;
    shadow.appendChild(root);
    d.body.appendChild(host);

    api.l = 1;
    w.tellus = api;
    (t.q || []).forEach((call) => api(...call));

    // Only a returning customer has the "tellus" key (an entry saved while offline, or the
    // receipt of their last failure): then load the app now to send it and to check for news.
    // Everyone else downloads nothing more. Storage can throw in privacy modes: then skip.
    try {
      if (localStorage.tellus)
        load().then(
          (mod) => mod.flush(mountPoint, options),
          () => {},
        );
    } catch {}
  }

  if (d.body) init();
  else d.addEventListener('DOMContentLoaded', init);
})();
