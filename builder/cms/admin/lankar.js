// Infoga länk: a picker for wiki links in the web editor's text. The text
// is markdown, where [[slug]] links to a case, term or page; this dialog
// lists them all (admin/lankar.json, written by portal build), filters as
// you type, and inserts the chosen link where the cursor was. No
// framework, no inline script: it runs beside Decap CMS.
(function () {
  "use strict";
  var items = null;
  var lastText = null; // the text field the editor last wrote in
  var lastRange = null; // and where its cursor was
  document.addEventListener("focusin", function (e) {
    var el = e.target;
    if (el && el.closest && el.closest(".cms-editor-raw")) lastText = el;
  });
  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    if (lastText && sel.rangeCount > 0 && lastText.contains(sel.anchorNode)) {
      lastRange = sel.getRangeAt(0).cloneRange();
    }
  });

  var fold = function (s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  };

  var button = document.createElement("button");
  button.type = "button";
  button.className = "eb-lank-knapp";
  button.textContent = "Infoga länk";
  button.setAttribute("aria-haspopup", "dialog");

  var dialog = document.createElement("dialog");
  dialog.className = "eb-lank-dialog";
  dialog.setAttribute("aria-labelledby", "eb-lank-rubrik");
  dialog.innerHTML =
    '<h2 id="eb-lank-rubrik">Länka till ett exempel, begrepp eller en sida</h2>' +
    '<label for="eb-lank-sok">Sök på namn</label>' +
    '<input id="eb-lank-sok" type="search" autocomplete="off">' +
    '<p class="eb-lank-tips">Länken infogas där markören stod i texten, som [[slug]], och kopieras också.</p>' +
    '<ul id="eb-lank-lista"></ul>' +
    '<p id="eb-lank-antal" role="status"></p>' +
    '<button type="button" class="eb-lank-stang">Stäng</button>';
  var search = dialog.querySelector("#eb-lank-sok");
  var list = dialog.querySelector("#eb-lank-lista");
  var count = dialog.querySelector("#eb-lank-antal");

  function render() {
    var q = fold(search.value.trim());
    var hits = items.filter(function (it) {
      return !q || fold(it.title).indexOf(q) >= 0 || it.slug.indexOf(q) >= 0;
    });
    list.textContent = "";
    hits.slice(0, 40).forEach(function (it) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = it.title + " (" + it.kind + ")";
      b.addEventListener("click", function () { choose(it); });
      li.appendChild(b);
      list.appendChild(li);
    });
    count.textContent = hits.length > 40 ? "Visar 40 av " + hits.length + "; skriv mer för att hitta fler." : hits.length + " träffar";
  }

  function choose(it) {
    var link = "[[" + it.link + "]]";
    dialog.close();
    if (lastText && document.contains(lastText)) {
      lastText.focus();
      if (lastText.setSelectionRange) {
        // a textarea keeps its own cursor
      } else if (lastRange) {
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(lastRange);
      }
      insertText(lastText, link);
    }
    if (navigator.clipboard) navigator.clipboard.writeText(link).catch(function () {});
  }

  // insertText types text at the cursor the way the editor expects:
  // a textarea through execCommand (it keeps undo), Decap's rich text
  // field (Slate) through a paste, which it handles as its own input.
  function insertText(el, text) {
    if (el.setSelectionRange) {
      document.execCommand("insertText", false, text);
      return;
    }
    var data = new DataTransfer();
    data.setData("text/plain", text);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }

  button.addEventListener("click", function () {
    var open = function () {
      search.value = "";
      render();
      dialog.showModal();
      search.focus();
    };
    if (items) return open();
    fetch("lankar.json").then(function (r) { return r.json(); }).then(function (data) {
      items = data;
      open();
    });
  });
  search.addEventListener("input", render);
  dialog.querySelector(".eb-lank-stang").addEventListener("click", function () { dialog.close(); });

  document.body.appendChild(button);
  document.body.appendChild(dialog);
})();
