// Exempelbanken: the search page (/sok/). Pagefind does the searching in the
// browser; the query and the filters live in the URL (/sok/?q=missbruk&kommun=Ale),
// so a search can be shared and the back button works.
(function () {
  "use strict";
  var root = document.querySelector("[data-search]");
  if (!root) return;

  // URL parameter, Pagefind filter name, legend.
  var FILTERS = [
    ["kommun", "kommun", "Kommun"],
    ["lan", "län", "Län"],
    ["malgrupp", "målgrupp", "Målgrupp"],
    ["modell", "investeringsmodell", "Investeringsmodell"],
    ["fokus", "fokusområde", "Fokusområde"],
    ["status", "status", "Status"],
    ["typ", "typ", "Typ"]
  ];
  var PAGE = 20;
  // How much a match in each metadata field counts, body text being 1:
  // the parts of the title's compounds and its synonyms (titelord) as
  // much as a heading, the summary double, those of the body (sokord)
  // half, the kind of page (sort) not at all: "exempel" is in every case.
  var RANKING = { metaWeights: { titelord: 3, summary: 2, sokord: 0.5, status: 0.5, plats: 1, sort: 0 } };
  var form = root.querySelector("form");
  var input = root.querySelector("#sok-fraga");
  var layout = root.querySelector(".search-layout");
  var filtersEl = root.querySelector("#sok-filter");
  var statusEl = root.querySelector("#sok-status");
  var suggestEl = root.querySelector("#sok-menade");
  var resultsEl = root.querySelector("#sok-resultat");
  var moreBtn = root.querySelector("#sok-fler");
  var clearBtn = root.querySelector("#sok-rensa");
  var filterBox = root.querySelector("#sok-filterruta");
  var chosenEl = root.querySelector("#sok-valda");
  var chipsEl = root.querySelector("#sok-chips");
  // On narrow screens the filters start folded, so the results are near
  // the search field; on wide screens they stand open beside the results.
  if (window.matchMedia && !window.matchMedia("(min-width: 60em)").matches) filterBox.open = false;
  var state = { q: "", filters: {} };
  var shown = PAGE;
  var runId = 0;
  var pagefind;
  // In the preview (portal serve): the base index's entries of pages
  // edited since it was built, which a second index merged in replaces.
  var replaced = null;

  function readURL() {
    var p = new URLSearchParams(location.search);
    state.q = p.get("q") || "";
    state.filters = {};
    FILTERS.forEach(function (f) {
      var v = p.getAll(f[0]).filter(Boolean);
      if (v.length) state.filters[f[0]] = v;
    });
    input.value = state.q;
  }

  function url() {
    var p = new URLSearchParams();
    if (state.q.trim()) p.set("q", state.q.trim());
    FILTERS.forEach(function (f) {
      (state.filters[f[0]] || []).forEach(function (v) { p.append(f[0], v); });
    });
    var s = p.toString();
    return location.pathname + (s ? "?" + s : "");
  }

  function save(push) {
    var u = url();
    if (u === location.pathname + location.search) return;
    if (push) history.pushState(null, "", u); else history.replaceState(null, "", u);
  }

  function pagefindFilters() {
    var out = {};
    FILTERS.forEach(function (f) {
      var v = state.filters[f[0]];
      if (v && v.length) out[f[1]] = { any: v };
    });
    return out;
  }

  function hasFilters() { return Object.keys(state.filters).length > 0; }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function plural(n, one, many) { return n === 1 ? "1 " + one : n.toLocaleString("sv-SE") + " " + many; }

  function renderFilters(counts) {
    var focused = document.activeElement && document.activeElement.id;
    var html = "";
    FILTERS.forEach(function (f) {
      var values = counts[f[1]] || {};
      var selected = state.filters[f[0]] || [];
      selected.forEach(function (v) { if (!(v in values)) values[v] = 0; });
      var names = Object.keys(values).filter(function (v) { return values[v] > 0 || selected.indexOf(v) >= 0; });
      if (!names.length) return;
      names.sort(function (a, b) { return a.localeCompare(b, "sv"); });
      var id = "filter-" + f[0];
      html += '<fieldset class="filter-group"><legend>' + esc(f[2]) + "</legend><ul>";
      names.forEach(function (v, i) {
        var cid = id + "-" + i;
        var checked = selected.indexOf(v) >= 0 ? " checked" : "";
        html += '<li><input type="checkbox" id="' + cid + '" data-filter="' + f[0] + '" value="' + esc(v) + '"' + checked + ">" +
          '<label for="' + cid + '">' + esc(v) + ' <span class="count">' + values[v] + '<span class="visually-hidden"> träffar</span></span></label></li>';
      });
      html += "</ul></fieldset>";
    });
    filtersEl.innerHTML = html;
    clearBtn.hidden = !hasFilters();
    var n = Object.keys(state.filters).reduce(function (a, k) { return a + state.filters[k].length; }, 0);
    chosenEl.hidden = n === 0;
    chosenEl.textContent = n ? n + " valda" : "";
    // The chosen filters as chips above the results, each a button that
    // removes it: visible also when the filters are folded on a phone.
    var chips = "";
    FILTERS.forEach(function (f) {
      (state.filters[f[0]] || []).forEach(function (v) {
        chips += '<li><button type="button" class="chip" data-key="' + esc(f[0]) + '" data-value="' + esc(v) + '">' +
          '<span class="visually-hidden">Ta bort filtret </span>' + esc(f[2]) + ": " + esc(v) + ' <span aria-hidden="true">\u00d7</span></button></li>';
      });
    });
    chipsEl.innerHTML = chips;
    chipsEl.hidden = !chips;
    if (focused) {
      var el = document.getElementById(focused);
      if (el) el.focus();
    }
  }

  async function run() {
    var id = ++runId;
    var q = state.q.trim();
    var filters = pagefindFilters();
    if (!q && !hasFilters()) {
      var all = await pagefind.filters();
      if (id !== runId) return;
      renderFilters(all);
      resultsEl.innerHTML = "";
      moreBtn.hidden = true;
      statusEl.textContent = "Skriv en sökfråga eller välj filter för att se exempel.";
      return;
    }
    var opts = { filters: filters };
    if (!q) opts.sort = { datum: "desc" };
    // Small words ("hos", "bland", "i") are left out of the search: a page
    // about "psykisk ohälsa hos unga" need not say "hos".
    var words = q ? content(q) : "";
    var search = await find(words || null, opts);
    if (id !== runId || !search) return;
    // No dead ends: when all the words together find nothing, search
    // again with fewer, keeping the rarest; failing that, suggest the
    // closest title or term and show what it finds.
    // fallback: what was searched instead; fewer: whether it is some of
    // the words (else other forms of them, or the suggestion).
    var fallback = "", fewer = false, suggestion = "";
    if (q && search.results.length === 0) {
      // The words in their base forms ("landstingets" → "landsting"),
      // which Pagefind's stemmer does not always reach.
      var base = baseForms(words);
      var again = base !== words ? await find(base, opts) : null;
      if (id !== runId) return;
      if (again && again.results.length) {
        fallback = base;
        search = again;
      }
    }
    if (q && search.results.length === 0) {
      var some = await fewerWords(words, opts);
      if (id !== runId) return;
      if (some) {
        fallback = some.words;
        fewer = true;
        search = some.search;
      } else {
        suggestion = await closest(q);
        if (id !== runId) return;
        var guess = suggestion ? await find(suggestion, opts) : null;
        if (id !== runId) return;
        if (guess && guess.results.length) {
          fallback = suggestion;
          search = guess;
        }
      }
    }
    suggestEl.hidden = !suggestion;
    suggestEl.innerHTML = suggestion ? 'Menade du <a href="/sok/?q=' + encodeURIComponent(suggestion) + '">' + esc(suggestion) + "</a>?" : "";
    renderFilters(search.filters || {});
    var total = search.results.length;
    var data = await Promise.all(search.results.slice(0, shown).map(function (r) { return r.data(); }));
    if (id !== runId) return;
    resultsEl.innerHTML = data.map(function (d, i) {
      var m = d.meta || {};
      // What the hit is, where, and its status with the year it held.
      var meta = [m.sort, m.plats, m.status].filter(Boolean).map(esc).join(" · ");
      // Pagefind's score: hits with equal scores come in page order (by
      // address), which the search-table test takes into account.
      var score = search.results[i].score;
      return '<li class="result" data-poang="' + (typeof score === "number" ? score.toFixed(6) : "") + '"><h3><a href="' + esc(d.url) + '">' + esc(m.title || d.url) + "</a></h3>" +
        (meta ? '<p class="result__meta">' + meta + "</p>" : "") +
        (m.summary ? '<p class="result__summary">' + esc(m.summary) + "</p>" : "") +
        (q && d.excerpt ? '<p class="result__excerpt">' + d.excerpt + "</p>" : "") + "</li>";
    }).join("");
    moreBtn.hidden = total <= shown;
    var what = q ? " för \u201d" + q + "\u201d" : "";
    if (fallback && !fewer) {
      statusEl.textContent = "Inga träffar" + what + " \u2013 visar " + plural(total, "träff", "träffar") + " på \u201d" + fallback + "\u201d" +
        (hasFilters() ? " med valda filter" : "") + ".";
    } else if (fallback) {
      statusEl.textContent = "Inga träffar på alla orden \u2013 visar " + plural(total, "träff", "träffar") + " på \u201d" + fallback + "\u201d" +
        (hasFilters() ? " med valda filter" : "") + ".";
    } else {
      statusEl.textContent = total ? plural(total, "träff", "träffar") + what + (hasFilters() ? " med valda filter" : "") + "."
        : "Inga träffar" + what + ". Pröva ett annat ord eller ta bort filter.";
    }
  }

  // SMALL are Swedish words too common to tell pages apart.
  var SMALL = ("och i på av för med till som en ett den det de om att är hos bland hur vad vilka vilken vilket " +
    "från inom kring vid sin sina sitt sig man när där så än eller men under över mot utan efter").split(" ");

  // content returns the words of q without SMALL ones, or q when it has
  // nothing else.
  function content(q) {
    var all = q.split(/\s+/).filter(Boolean);
    var kept = all.filter(function (w) { return SMALL.indexOf(w.toLowerCase()) < 0; });
    return (kept.length ? kept : all).join(" ");
  }

  // ENDINGS are the endings of definite, plural and genitive forms,
  // longest first.
  var ENDINGS = ["ernas", "arnas", "ornas", "erna", "arna", "orna", "ets", "ens", "et", "en", "na", "s"];

  // baseForms takes one ending off each word that has one, keeping at
  // least four letters: "landstingets" → "landsting".
  function baseForms(q) {
    return q.split(/\s+/).map(function (w) {
      for (var i = 0; i < ENDINGS.length; i++) {
        var e = ENDINGS[i];
        if (w.length - e.length >= 4 && w.toLowerCase().slice(-e.length) === e) return w.slice(0, -e.length);
      }
      return w;
    }).join(" ");
  }

  // find is pagefind.search without the entries the preview replaced.
  async function find(q, opts) {
    var r = await pagefind.search(q, opts);
    if (r && replaced) r.results = r.results.filter(function (x) { return !replaced.has(x.id); });
    return r;
  }

  // preview merges the index of the pages edited since the preview's
  // full index was built (livereload.js marks the page as a preview).
  async function preview() {
    if (!document.documentElement.hasAttribute("data-forhandsgranskning")) return;
    var info = await fetch("/pagefind/ersatta.json").then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
    if (!info) return;
    replaced = new Set(info.ersatta || []);
    if (info.andrat) await pagefind.mergeIndex("/pagefind/andrat/");
  }

  // fewerWords searches again with fewer of the query's words: each word
  // alone first, then the words that find something, rarest first, as many
  // as still find something together. Null when no word finds anything.
  async function fewerWords(q, opts) {
    var words = q.split(/\s+/).filter(Boolean);
    if (words.length < 2) return null;
    var counts = await Promise.all(words.map(function (w) {
      return find(w, opts).then(function (r) { return r ? r.results.length : 0; });
    }));
    var found = words.map(function (w, i) { return { w: w, n: counts[i] }; })
      .filter(function (x) { return x.n > 0; })
      .sort(function (a, b) { return a.n - b.n; });
    for (var k = found.length; k >= 1; k--) {
      var sub = found.slice(0, k).map(function (x) { return x.w; });
      // Keep the reader's word order.
      sub = words.filter(function (w) { return sub.indexOf(w) >= 0; });
      var r = await find(sub.join(" "), opts);
      if (r && r.results.length) return { words: sub.join(" "), search: r };
    }
    return null;
  }

  // closest returns the title or term of the site nearest to q (edit
  // distance, ignoring case), from /sok/forslag.json.
  var names = null;
  async function closest(q) {
    if (!names) {
      names = await fetch("/sok/forslag.json").then(function (r) { return r.json(); }).catch(function () { return []; });
    }
    var want = q.toLowerCase();
    var best = "", bestD = Infinity;
    names.forEach(function (n) {
      var low = n.toLowerCase();
      // Compare with the whole name and with each of its words.
      // Single words of three letters or fewer ("ny", "och") are too
      // easy to be near anything.
      [low].concat(low.split(/\s+/).filter(function (w) { return w.length > 3; })).forEach(function (cand) {
        var d = distance(want, cand);
        if (d < bestD) { bestD = d; best = cand === low ? n : cand; }
      });
    });
    return best;
  }

  function distance(a, b) {
    if (Math.abs(a.length - b.length) > 12) return Infinity;
    var prev = [], cur = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = input.value; shown = PAGE; save(false); run(); }, 200);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    state.q = input.value; shown = PAGE; save(true); run();
  });
  filtersEl.addEventListener("change", function (e) {
    var cb = e.target;
    if (!cb.matches("input[data-filter]")) return;
    var k = cb.getAttribute("data-filter");
    var list = (state.filters[k] || []).filter(function (v) { return v !== cb.value; });
    if (cb.checked) list.push(cb.value);
    if (list.length) state.filters[k] = list; else delete state.filters[k];
    shown = PAGE; save(true); run();
  });
  chipsEl.addEventListener("click", function (e) {
    var b = e.target.closest("button.chip");
    if (!b) return;
    var k = b.getAttribute("data-key"), v = b.getAttribute("data-value");
    var list = (state.filters[k] || []).filter(function (x) { return x !== v; });
    if (list.length) state.filters[k] = list; else delete state.filters[k];
    shown = PAGE; save(true);
    run().then(function () {
      var next = chipsEl.querySelector("button.chip");
      (next || input).focus();
    });
  });
  clearBtn.addEventListener("click", function () {
    state.filters = {}; shown = PAGE; save(true); run(); input.focus();
  });
  moreBtn.addEventListener("click", function () {
    var first = shown;
    shown += PAGE;
    run().then(function () {
      var next = resultsEl.querySelectorAll(".result a")[first];
      if (next) next.focus();
    });
  });
  window.addEventListener("popstate", function () { readURL(); shown = PAGE; run(); });

  readURL();
  import("/pagefind/pagefind.js").then(function (pf) {
    pagefind = pf;
    return pagefind.options({ excerptLength: 24, ranking: RANKING });
  }).then(preview).then(function () {
    // Load the filter index first: without it a search returns no counts.
    return pagefind.filters();
  }).then(function () {
    layout.hidden = false;
    return run();
  }).catch(function () {
    layout.hidden = false;
    statusEl.textContent = "Sökningen kunde inte laddas. Bläddra bland exemplen via menyn i stället.";
  });
})();
