// Exempelbanken: small progressive enhancements. The site works without it.
(function () {
  "use strict";
  // Esc hides a glossary definition that is shown on hover or focus
  // (WCAG 1.4.13 Content on Hover or Focus: dismissible).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    document.querySelectorAll(".term:hover, .term:focus-within").forEach(function (t) {
      t.classList.add("term--dismissed");
    });
  });
  document.addEventListener("focusin", function (e) {
    var t = e.target.closest && e.target.closest(".term");
    document.querySelectorAll(".term--dismissed").forEach(function (d) {
      if (d !== t) d.classList.remove("term--dismissed");
    });
  });
  document.addEventListener("mouseover", function (e) {
    var t = e.target.closest && e.target.closest(".term");
    if (!t) {
      document.querySelectorAll(".term--dismissed").forEach(function (d) { d.classList.remove("term--dismissed"); });
    }
  });
})();
