// The hosted feedback page (/f/{site}): opens the feedback dialog at once. This plain script
// runs before the async loader, so it leaves 'open' in the loader's queue stub (the page's CSP
// allows no inline script, hence a file).
(window.tellus =
  window.tellus ||
  function () {
    (window.tellus.q = window.tellus.q || []).push(arguments);
  })('open');
