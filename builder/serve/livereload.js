// Live reload for portal serve: added before </body> of every page the
// preview serves (never to built files). Events come from /__livereload.
(function () {
  // Tells the search page that it runs in the preview (search.js merges
  // the index of the pages edited since the preview started).
  document.documentElement.setAttribute("data-forhandsgranskning", "");
  if (!window.EventSource) return;
  var es = new EventSource("/__livereload");
  // A new build is being served.
  es.addEventListener("reload", function () { location.reload(); });
  // Only the stylesheet changed: swap it without reloading the page.
  es.addEventListener("css", function (e) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var u = new URL(l.href);
      if (u.pathname.indexOf("/css/") !== 0) return;
      u.searchParams.set("v", e.data);
      l.href = u.pathname + u.search;
    });
  });
  // The build failed: show (or replace) the box with its errors.
  es.addEventListener("errors", function (e) {
    var t = document.createElement("div");
    t.innerHTML = e.data;
    var n = t.firstElementChild, o = document.getElementById("portal-byggfel");
    if (o) o.replaceWith(n); else document.body.appendChild(n);
  });
  // The search index was rebuilt: reload the search page.
  es.addEventListener("search", function () {
    if (location.pathname.indexOf("/sok/") === 0) location.reload();
  });
})();
