"""字数 in Chromium agrees with the server on every code point (0..0x10FFFF without surrogates).

Each code point is counted alone and between two letters ("a" + ch + "a"), by the page's real
ZuofengWordCount.count and by word_count: the two numbers tell a break (0, 2), a character counted
on its own (1, 3), a letter or digit (1, 1) and a mark that counts nothing (0, 1) apart. One page
evaluation per chunk of 65,536 code points keeps the whole sweep to a few seconds.
"""

import time
from pathlib import Path

import pytest

from zuofeng.core.wordcount import word_count

pytestmark = pytest.mark.browser

JS_FILE = Path(__file__).parents[2] / "zuofeng" / "static" / "zuofeng" / "wordcount.js"
CHUNK = 0x10000
SURROGATES = range(0xD800, 0xE000)

SIGNATURES_JS = """([first, last]) => {
  const count = window.ZuofengWordCount.count;
  let out = "";
  for (let cp = first; cp < last; cp++) {
    if (cp >= 0xd800 && cp < 0xe000) continue;
    const ch = String.fromCodePoint(cp);
    out += count(ch) + "" + count("a" + ch + "a");
  }
  return out;
}"""


def signatures(first: int, last: int) -> str:
    return "".join(
        f"{word_count(chr(cp))}{word_count('a' + chr(cp) + 'a')}" for cp in range(first, last) if cp not in SURROGATES
    )


def test_browser_and_server_count_every_code_point_alike(browser):
    page = browser.new_page()
    page.set_content("<!DOCTYPE html><title>字数</title>")
    page.add_script_tag(content=JS_FILE.read_text("utf-8"))
    started, checked, differing = time.monotonic(), 0, []
    for first in range(0, 0x110000, CHUNK):
        last = first + CHUNK
        in_page = page.evaluate(SIGNATURES_JS, [first, last])
        on_server = signatures(first, last)
        points = [cp for cp in range(first, last) if cp not in SURROGATES]
        assert len(in_page) == len(on_server) == 2 * len(points)
        if in_page != on_server:
            differing += [
                f"U+{cp:04X} 页面 {in_page[2 * i : 2 * i + 2]} 服务器 {on_server[2 * i : 2 * i + 2]}"
                for i, cp in enumerate(points)
                if in_page[2 * i : 2 * i + 2] != on_server[2 * i : 2 * i + 2]
            ][:20]
        checked += len(points)
    page.close()
    print(f"all code points: {checked} checked in {time.monotonic() - started:.1f} s")
    assert (checked, differing) == (0x110000 - 0x800, [])
