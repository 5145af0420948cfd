// Exempelbanken: small progressive enhancements. The site works without it.
(function () {
  "use strict";
  // Esc hides a glossary definition shown on hover or focus (WCAG 1.4.13
  // Content on Hover or Focus: dismissible). It stays hidden until the
  // pointer leaves that term and focus moves away from it.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    document.querySelectorAll(".term:hover, .term:focus-within").forEach(function (t) {
      t.classList.add("term--dismissed");
    });
  });
  function restore(t) {
    if (!t.matches(":hover") && !t.matches(":focus-within")) t.classList.remove("term--dismissed");
  }
  document.addEventListener("focusout", function (e) {
    var t = e.target.closest && e.target.closest(".term--dismissed");
    if (t) setTimeout(function () { restore(t); }, 0);
  });
  document.addEventListener("mouseout", function (e) {
    var t = e.target.closest && e.target.closest(".term--dismissed");
    if (t && !t.contains(e.relatedTarget)) restore(t);
  });
})();
