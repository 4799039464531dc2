/* Search over the site's own index (pipeline/site/search.py), for a slow link: a query is sent
   when the reader asks (Enter or the button); it fetches the index's list of shards, the shards
   of its words, and the texts of the first results only. Without JavaScript the page says where
   else to look. */
(function () {
  "use strict";
  var base = new URL(document.currentScript.getAttribute("data-indeks"), document.baseURI).href;
  var root = new URL("../../", base).href; /* the index is at <site>/cari/indeks/ */
  var form = document.getElementById("cari-form");
  var input = document.getElementById("cari-q");
  var status = document.getElementById("cari-status");
  var list = document.getElementById("cari-hasil");
  var more = document.getElementById("cari-lagi");
  var PAGE = 3; /* results whose texts are fetched at a time: about a phone screen */
  var AROUND = 24; /* words of an excerpt */
  var cache = {};
  var found = [];
  var shown = 0;
  var asked = [];

  function get(name) {
    if (!cache[name]) {
      cache[name] = fetch(base + name).then(function (r) {
        if (!r.ok) { throw new Error(name); }
        return r.json();
      });
    }
    return cache[name];
  }

  /* As search.py's words(): lower case, accents dropped, letters and digits. */
  function words(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").match(/[\p{L}\p{N}]+/gu) || [];
  }

  /* Each page that has a word beginning with `word` -> its best score for it (BM25's idf and
     weight; a longer word that merely begins with it counts less than the word itself). */
  function scores(word, info, shards) {
    var out = {};
    shards.forEach(function (shard) {
      Object.keys(shard).forEach(function (term) {
        if (term !== word && (word.length < 3 || term.indexOf(word) !== 0)) { return; }
        var codes = shard[term];
        var idf = Math.log(1 + (info.halaman - codes.length + 0.5) / (codes.length + 0.5));
        var exact = term === word ? 1 : 0.6;
        var page = 0;
        codes.forEach(function (code) {
          var weight = code % 8;
          page += (code - weight) / 8;
          var score = exact * idf * weight * 2.2 / (weight + 1.2);
          if (!(out[page] >= score)) { out[page] = score; }
        });
      });
    });
    return out;
  }

  /* The shards that may hold the word, or (from three letters) a word it begins. */
  function shardsOf(word, info) {
    return info.kata.filter(function (name) {
      return word.indexOf(name) === 0 || (word.length > 2 && name.indexOf(word) === 0);
    });
  }

  function rank(query) {
    return get("info.json").then(function (info) {
      return Promise.all(query.map(function (word) {
        return Promise.all(shardsOf(word, info).map(function (name) { return get("kata-" + name + ".json"); }))
          .then(function (shards) { return scores(word, info, shards); });
      }));
    }).then(function (each) {
      var total = each[0];
      Object.keys(total).forEach(function (page) {
        for (var i = 1; i < each.length; i++) {
          if (!(page in each[i])) { delete total[page]; return; }
          total[page] += each[i][page];
        }
      });
      return Object.keys(total).map(Number).sort(function (a, b) { return total[b] - total[a] || a - b; });
    });
  }

  /* AROUND words of the text from a little before the first word asked for, the words found marked. */
  function excerpt(text, into) {
    var parts = text.split(/\s+/);
    var hit = function (part) {
      return words(part).some(function (w) {
        return asked.some(function (q) { return w === q || (q.length > 2 && w.indexOf(q) === 0); });
      });
    };
    var first = parts.findIndex(hit);
    var start = Math.max(0, first - 6);
    if (start > 0) { into.appendChild(document.createTextNode("… ")); }
    parts.slice(start, start + AROUND).forEach(function (part, i) {
      if (i) { into.appendChild(document.createTextNode(" ")); }
      if (hit(part)) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        into.appendChild(mark);
      } else {
        into.appendChild(document.createTextNode(part));
      }
    });
    if (start + AROUND < parts.length) { into.appendChild(document.createTextNode(" …")); }
  }

  function item(page) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = new URL(page.u, root).href;
    a.textContent = page.t;
    li.appendChild(a);
    if (page.d) {
      var time = document.createElement("time");
      time.dateTime = page.d;
      time.textContent = " · " + new Date(page.d + "T12:00:00").toLocaleDateString("id-ID", { day: "numeric", month: "long", year: "numeric" });
      li.appendChild(time);
    }
    var p = document.createElement("p");
    excerpt(page.x, p);
    li.appendChild(p);
    return li;
  }

  function showMore() {
    var next = found.slice(shown, shown + PAGE);
    shown += next.length;
    more.hidden = true;
    return Promise.all(next.map(function (n) { return get("naskah-" + n + ".json"); })).then(function (pages) {
      pages.forEach(function (page) { list.appendChild(item(page)); });
      more.hidden = shown >= found.length;
    });
  }

  function search(text) {
    list.textContent = "";
    found = [];
    shown = 0;
    more.hidden = true;
    asked = words(text);
    if (!asked.length) { status.textContent = ""; return; }
    status.textContent = "Mencari…";
    rank(asked).then(function (pages) {
      found = pages;
      status.textContent = found.length
        ? found.length + " halaman memuat “" + text + "”."
        : "Tidak ada hasil untuk “" + text + "”. Coba kata lain, atau buka arsip berita.";
      return showMore();
    }).catch(function () {
      cache = {};
      status.textContent = "Pencarian tidak dapat dimuat. Periksa sambungan, lalu coba lagi.";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    history.replaceState(null, "", "?q=" + encodeURIComponent(text));
    search(text);
  });
  more.addEventListener("click", showMore);
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; search(q.trim()); }
})();
