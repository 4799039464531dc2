// The Ruang Redaksi's little script: the Markdown toolbar and the live preview. The pages work
// without it (the preview is rendered when the page is made).
"use strict";
(function () {
  const body = document.getElementById("body");
  if (!body) return;
  const csrf = document.querySelector("input[name=csrf]").value;
  document.querySelectorAll(".alat button[data-md]").forEach(function (button) {
    button.addEventListener("click", function () {
      const [before, after] = button.dataset.md.replace(/\\n/g, "\n").split("|");
      const start = body.selectionStart, end = body.selectionEnd;
      const chosen = body.value.slice(start, end);
      body.setRangeText(before + chosen + after, start, end, "end");
      body.selectionStart = body.selectionEnd = start + before.length + chosen.length;
      body.focus();
      body.dispatchEvent(new Event("input"));
    });
  });
  const target = document.getElementById("pratinjau");
  let timer = null, asked = 0;
  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      const mine = ++asked;
      const form = new FormData();
      form.append("body", body.value);
      fetch(body.dataset.preview, { method: "POST", body: form, headers: { "X-Laman-CSRF": csrf } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html !== null && mine === asked) target.innerHTML = html; });
    }, 250);
  });
})();
