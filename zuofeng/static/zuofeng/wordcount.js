/* 字数 counted the way Word counts a Chinese document — the same rules as zuofeng/core/wordcount.py
 * (both tested on tests/data/wordcount_cases.json). Plain ES2019, no build step.
 *
 * Usage: <textarea data-max-chars="500" data-counter="#id-of-counter"> — the counter shows
 * "已写 N / 500 字" and turns red over the limit. ZuofengWordCount.count(text) is the function.
 */
(function () {
  "use strict";

  var SINGLE_RANGES = [
    [0x00b7, 0x00b7], [0x1100, 0x11ff], [0x2010, 0x2027], [0x2030, 0x205e], [0x2460, 0x24ff],
    [0x2e80, 0x2fff], [0x3001, 0x303f], [0x3040, 0x33ff], [0x3400, 0x4dbf], [0x4dc0, 0x9fff],
    [0xa960, 0xa97f], [0xac00, 0xd7ff], [0xf900, 0xfaff], [0xfe10, 0xfe1f], [0xfe30, 0xfe6f],
    [0xff01, 0xff60], [0xff61, 0xffdc], [0xffe0, 0xffe6], [0x1f200, 0x1f2ff], [0x20000, 0x3ffff]
  ];
  var WHITESPACE = /^[\t\n\u000b\u000c\r\u0085\p{Zs}\p{Zl}\p{Zp}]$/u;
  var SYMBOL = /^\p{So}$/u;
  var IGNORED = /^[\p{M}\p{Cf}\p{Cc}\p{Cs}\p{Sk}]$/u;
  var ALNUM = /^[\p{L}\p{N}]$/u;

  function single(cp) {
    for (var i = 0; i < SINGLE_RANGES.length; i++) {
      if (cp < SINGLE_RANGES[i][0]) return false;
      if (cp <= SINGLE_RANGES[i][1]) return true;
    }
    return false;
  }

  function count(text) {
    var total = 0;
    var inRun = false;
    var hasAlnum = false;
    // for…of walks code points, so a surrogate pair (𠀀, 😀) is one character, as in Python.
    for (var ch of String(text || "")) {
      var isSingle;
      if (WHITESPACE.test(ch)) {
        isSingle = false;
      } else if (single(ch.codePointAt(0)) || SYMBOL.test(ch)) {
        isSingle = true;
      } else if (IGNORED.test(ch)) {
        continue;
      } else {
        inRun = true;
        hasAlnum = hasAlnum || ALNUM.test(ch);
        continue;
      }
      if (inRun && hasAlnum) total += 1;
      inRun = hasAlnum = false;
      if (isSingle) total += 1;
    }
    if (inRun && hasAlnum) total += 1;
    return total;
  }

  function attach(field) {
    var max = parseInt(field.getAttribute("data-max-chars"), 10);
    var counter = document.querySelector(field.getAttribute("data-counter"));
    if (!counter) return;
    function update() {
      var n = count(field.value);
      var over = max && n > max;
      counter.textContent = "已写 " + n + " / " + max + " 字" + (over ? "，超出 " + (n - max) + " 字" : "");
      counter.classList.toggle("text-danger", Boolean(over));
      counter.classList.toggle("fw-bold", Boolean(over));
      counter.classList.toggle("text-muted", !over);
    }
    field.addEventListener("input", update);
    update();
  }

  function attachAll(root) {
    (root || document).querySelectorAll("textarea[data-max-chars]").forEach(attach);
  }

  window.ZuofengWordCount = { count: count, attachAll: attachAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { attachAll(); });
  } else {
    attachAll();
  }
})();
