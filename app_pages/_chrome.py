"""Streamlit's own texts in the user's language: ``apply(lang)``, once per run in ``main.py``.

Streamlit (1.67) has no setting for the language of its widgets' built-in texts: the file
uploader's "Upload" button, "Drag and drop a file here" and "200MB per file", the multiselect's
"Select all", "No results" and "Choose options", the date inputs' "Choose date", and the
"Page not found" dialog (streamlit/streamlit#13500 asks for it). :func:`apply` puts one small
script into the page (``st.html(..., unsafe_allow_javascript=True)``) that replaces exactly these
texts, in text nodes and in ``placeholder``/``aria-label`` attributes, whenever Streamlit draws
them (a ``MutationObserver``), and puts the originals back when the language turns to English.
The Czech texts are the ``chrome.*`` strings of :mod:`apk_geo.i18n`; a text not listed is left as
Streamlit wrote it. The script's element container is hidden, so it takes no room.
"""

from __future__ import annotations

import json
from typing import Final

import streamlit as st

from apk_geo.i18n import normalize_lang, t

__all__ = ["apply", "replacements"]

#: Streamlit's exact English text → the key of its translation.
EXACT: Final[dict[str, str]] = {
    "Upload": "chrome.upload",
    "Upload directories": "chrome.upload_directories",
    "Drag and drop a file here": "chrome.drop_file",
    "Drag and drop files here": "chrome.drop_files",
    "Drag and drop directories here": "chrome.drop_directories",
    "Select all": "chrome.select_all",
    "No results": "chrome.no_results",
    "Clear all": "chrome.clear_all",
    "Choose an option": "chrome.choose_option",
    "Choose options": "chrome.choose_options",
    "Choose date": "chrome.choose_date",
    "Choose date range": "chrome.choose_date_range",
    "Page not found": "chrome.page_not_found",
    # the data grid's toolbar and column menu
    "Show/hide columns": "chrome.grid_columns",
    "Download as CSV": "chrome.grid_download",
    "Search": "chrome.grid_search",
    "Fullscreen": "chrome.grid_fullscreen",
    "Close fullscreen": "chrome.grid_close_fullscreen",
    "Clear selection": "chrome.grid_clear_selection",
    "Sort ascending": "chrome.grid_sort_ascending",
    "Sort descending": "chrome.grid_sort_descending",
    "Autosize": "chrome.grid_autosize",
    "Pin column": "chrome.grid_pin",
    "Unpin column": "chrome.grid_unpin",
    "Hide column": "chrome.grid_hide",
}

_SCRIPT: Final = """<script id="apk-chrome">
(() => {
  window.__apkChrome = __CONFIG__;
  if (window.__apkChromeRefresh) { window.__apkChromeRefresh(); return; }
  const done = new WeakMap();
  const ATTRS = ["placeholder", "aria-label"];
  const SKIP = new Set(["SCRIPT", "STYLE", "TEXTAREA"]);
  const translate = (text) => {
    const c = window.__apkChrome, s = text.trim();
    if (!s) return null;
    if (Object.prototype.hasOwnProperty.call(c.exact, s)) return text.replace(s, c.exact[s]);
    for (const [p, r] of c.patterns) {
      const re = new RegExp(p);
      if (re.test(s)) return text.replace(s, s.replace(re, r));
    }
    return null;
  };
  const fixText = (node) => {
    if (!node.parentNode || SKIP.has(node.parentNode.nodeName)) return;
    const seen = done.get(node);
    const src = seen && node.nodeValue === seen.out ? seen.src : node.nodeValue;
    const out = translate(src);
    if (out !== null) {
      if (out !== node.nodeValue) { done.set(node, {src, out}); node.nodeValue = out; }
    } else if (seen && node.nodeValue === seen.out) {
      node.nodeValue = seen.src; done.delete(node);
    }
  };
  const fixAttrs = (el) => {
    for (const a of ATTRS) {
      if (!el.hasAttribute(a)) continue;
      const key = "apkOrig" + a.replace("-", "");
      const src = el.dataset[key] !== undefined && el.getAttribute(a) === el.dataset[key + "Out"]
        ? el.dataset[key] : el.getAttribute(a);
      const out = translate(src);
      const value = out === null ? src : out;
      el.dataset[key] = src; el.dataset[key + "Out"] = value;
      if (el.getAttribute(a) !== value) el.setAttribute(a, value);
    }
  };
  const fix = (node) => {
    if (node.nodeType === 3) { fixText(node); return; }
    if (node.nodeType !== 1) return;
    fixAttrs(node);
    const walk = document.createTreeWalker(node, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (n.nodeType === 3) fixText(n); else fixAttrs(n);
    }
  };
  window.__apkChromeRefresh = () => fix(document.body);
  new MutationObserver((changes) => {
    for (const m of changes) {
      if (m.type === "characterData") fixText(m.target);
      else if (m.type === "attributes") fixAttrs(m.target);
      else m.addedNodes.forEach(fix);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
                             attributes: true, attributeFilter: ATTRS});
  window.__apkChromeRefresh();
})();
</script>
<style>
  div[data-testid="stElementContainer"]:has(script#apk-chrome) { display: none; }
</style>
"""


def replacements(lang: str) -> dict[str, object]:
    """Return what the page script replaces in ``lang``: ``exact`` texts and regex ``patterns``.

    English (Streamlit's own language) replaces nothing.

    Examples
    --------
    >>> replacements("cs")["exact"]["Select all"]
    'Vybrat vše'
    >>> replacements("en")
    {'exact': {}, 'patterns': []}
    """
    if normalize_lang(lang) == "en":
        return {"exact": {}, "patterns": []}
    exact = {english: t(key, "cs") for english, key in EXACT.items()}
    patterns = [
        # "200MB per file" (the text before " • CSV, XLSX")
        [r"^(\d+(?:\.\d+)?)\s?([KMGT]?B) per file$", t("chrome.per_file", "cs", size="$1\u00a0$2")],
        [r"^Select (\d+) matches$", t("chrome.select_matches", "cs", n="$1")],
        [r"^The page that you have requested does not .*", t("chrome.page_not_found_text", "cs")],
    ]
    return {"exact": exact, "patterns": patterns}


def apply(lang: str) -> None:
    """Put Streamlit's built-in texts of this page into ``lang`` (call once per run)."""
    config = json.dumps(replacements(lang), ensure_ascii=False).replace("</", "<\\/")
    st.html(_SCRIPT.replace("__CONFIG__", config), unsafe_allow_javascript=True)
