/* Search over Pagefind's index, for a slow link: a query is sent when the reader asks (Enter or
   the button), only the first results' texts are fetched, and there is no image gutter. Without
   JavaScript the page says where else to look. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(script.getAttribute("data-pagefind"), document.baseURI).href;
  var form = document.getElementById("cari-form");
  var input = document.getElementById("cari-q");
  var status = document.getElementById("cari-status");
  var list = document.getElementById("cari-hasil");
  var more = document.getElementById("cari-lagi");
  var PAGE = 3; /* results whose texts are fetched at a time: about a phone screen */
  var pagefind = null;
  var found = [];
  var shown = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(base + "pagefind.js").then(function (pf) {
        return pf.options({ excerptLength: 24, noWorker: true }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  function item(data) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = data.url;
    a.textContent = (data.meta && data.meta.title) || data.url;
    var p = document.createElement("p");
    p.innerHTML = data.excerpt; /* Pagefind's excerpt: escaped text with <mark> around the words */
    li.appendChild(a);
    li.appendChild(p);
    return li;
  }

  function showMore() {
    var next = found.slice(shown, shown + PAGE);
    shown += next.length;
    more.hidden = true;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (pages) {
      pages.forEach(function (data) { list.appendChild(item(data)); });
      more.hidden = shown >= found.length;
    });
  }

  function search(words) {
    list.textContent = "";
    found = [];
    shown = 0;
    more.hidden = true;
    if (!words) { status.textContent = ""; return; }
    status.textContent = "Mencari…";
    load().then(function (pf) { return pf.search(words); }).then(function (answer) {
      found = answer.results;
      status.textContent = found.length
        ? found.length + " halaman memuat “" + words + "”."
        : "Tidak ada hasil untuk “" + words + "”. Coba kata lain, atau buka arsip berita.";
      return showMore();
    }).catch(function () {
      status.textContent = "Pencarian tidak dapat dimuat. Periksa sambungan, lalu coba lagi.";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var words = input.value.trim();
    history.replaceState(null, "", "?q=" + encodeURIComponent(words));
    search(words);
  });
  more.addEventListener("click", showMore);
  var asked = new URLSearchParams(location.search).get("q");
  if (asked) { input.value = asked; search(asked.trim()); }
})();
