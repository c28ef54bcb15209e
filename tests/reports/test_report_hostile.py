"""Hostile file names in the HTML report, and its Content-Security-Policy, in a real headless Chromium.

The folder estate plants names made of markup and inline event handlers
(tests/reports/folder_estate.py). They must appear as text; and markup injected
into the page past escaping must be refused by the browser, while the page's own
script still runs.
"""

import re
from html import unescape

from reports.html import content_security_policy, script_hash
from tests.reports.folder_estate import HOSTILE_FOLDER, HOSTILE_HANDLER, HOSTILE_SVG


def test_hostile_names_are_printed_as_text(page):
    cells = page.js("Array.from(document.querySelectorAll('td.loc')).map(function (c) { return c.textContent; })")
    assert any(HOSTILE_SVG in c for c in cells) and any(HOSTILE_HANDLER in c for c in cells)
    labels = page.js("Array.from(document.querySelectorAll('g.box')).map(function (b) { return b.dataset.label; })")
    assert HOSTILE_FOLDER in labels
    assert page.js("document.querySelectorAll('main img, main svg:not([role=img])').length") == 0
    assert page.js("Array.from(document.querySelectorAll('main b')).filter(function (b) "
                   "{ return b.textContent.indexOf('bold') === 0; }).length") == 0


INJECTED = ("<script>document.documentElement.setAttribute('data-pwned','script')</script>"
            "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','handler')\">"
            "<button id=pwn onclick=\"document.documentElement.setAttribute('data-pwned','click')\">x</button>")


def open_injected(browser, folders, name, policy=None):
    """The folder estate's report with INJECTED inside <main> (and another policy, if given)."""
    with open(folders["out"], encoding="utf-8") as fh:
        page = fh.read().replace("<main>", "<main>" + INJECTED, 1)
    if policy is not None:
        page = re.sub(r'(http-equiv="Content-Security-Policy" content=")[^"]+', lambda m: m.group(1) + policy, page)
    path = str(folders["root"] / name)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(page)
    browser.events.clear()
    browser.open(path)


def test_csp_runs_the_page_script_and_nothing_injected(browser, folders):
    """Defence in depth: markup injected past escaping must not run, while the page's own script does."""
    open_injected(browser, folders, "injected.html")
    browser.click("#pwn")
    assert browser.js("document.documentElement.getAttribute('data-pwned')") is None
    assert browser.js("document.getElementById('selfcheck').dataset.done") == "1"      # the page's own script ran
    assert browser.js("typeof window.piisweepReport.filterFolder") == "function"
    blocked = [p for p in browser.problems() if "Content Security Policy" in p]
    assert len(blocked) >= 3, browser.problems()


def test_injected_markup_runs_under_a_permissive_policy(browser, folders):
    """Control: with inline scripts allowed, the same injection does run, so the test above can fail."""
    open_injected(browser, folders, "permissive.html", policy="default-src 'none'; script-src 'unsafe-inline'")
    assert browser.js("document.documentElement.getAttribute('data-pwned')") is not None


def test_policy_admits_only_the_page_scripts(folders):
    with open(folders["out"], encoding="utf-8") as fh:
        page = fh.read()
    policy = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2 and policy == content_security_policy(scripts)
    assert "unsafe-inline" not in policy.split("script-src ", 1)[1].split(";", 1)[0]
    assert "script-src-attr 'none'" in policy and "default-src 'none'" in policy
    assert script_hash(scripts[0]) != script_hash(scripts[0] + " ")
