// The header search box's dropdown, on top of htmx (which fetches it as you type).
// Progressive enhancement only: without JavaScript the box is a plain GET form.
// - ArrowDown from the box enters the results; ArrowUp/ArrowDown move between them;
// - Escape closes the dropdown and returns to the box;
// - the dropdown closes when focus or a click leaves the search form, and opens again
//   when the box gets focus back or new results arrive.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-site-search]");
    var box = document.getElementById("search-suggestions");
    if (!form || !box) return;
    var input = form.querySelector("input[name=q]");

    function links() { return Array.prototype.slice.call(box.querySelectorAll("a")); }
    function hasResults() { return box.children.length > 0; }
    function open() { if (hasResults()) box.hidden = false; }
    function close() { box.hidden = true; }

    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target === box) {
        if (document.activeElement === input || form.contains(document.activeElement)) open();
      }
    });

    input.addEventListener("focus", open);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && hasResults() && links().length) {
        event.preventDefault();
        open();
        links()[0].focus();
      } else if (event.key === "Escape" && !box.hidden && hasResults()) {
        event.preventDefault();  // keep the typed text: the first Escape only closes the dropdown
        close();
      }
    });

    box.addEventListener("keydown", function (event) {
      var all = links();
      var index = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = index + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) input.focus();
        else if (next < all.length) all[next].focus();
      } else if (event.key === "Escape") {
        event.preventDefault();
        input.focus();  // (which would reopen it: close after)
        close();
      }
    });

    // A click on the dropdown's text (not a link) keeps the focus, and the dropdown, where it was.
    box.addEventListener("mousedown", function (event) {
      if (!event.target.closest("a")) event.preventDefault();
    });
    form.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !form.contains(event.relatedTarget)) close();
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
  });
})();
