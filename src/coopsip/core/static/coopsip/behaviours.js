/* Behaviours asked for in the markup with data attributes, so that no page needs inline JavaScript: the
   Content-Security-Policy (settings.py, docs/operations.md) refuses onclick="…", hx-on and <script> blocks
   without the page's nonce.
   - <button data-print hidden>: prints the page; shown only once this script runs.
   - <dialog data-open-on-swap>: opens as a modal dialog when htmx puts new content in it. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var dialog = event.target instanceof Element && event.target.closest("dialog[data-open-on-swap]");
    if (dialog && !dialog.open) {
      dialog.showModal();
    }
  });
})();
