"""Print an HTML report to PDF with a locally installed Chromium or Google Chrome.

The browser runs headless with a throw-away profile, prints the page with the
report's print stylesheet (a page per section, the folder map included) and
exits. It is told not to resolve any host name and not to start its background
services, so printing makes no network request; the report's own
Content-Security-Policy forbids the page to load anything anyway. Chromium is
the one program that prints the page exactly as the reader sees it, which is
why it is used rather than an HTML-to-PDF library.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

# Looked up on PATH in this order, then the usual application folders.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
BROWSER_PATHS = ("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
                 "/Applications/Chromium.app/Contents/MacOS/Chromium")
FLAGS = ("--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--host-resolver-rules=MAP * ~NOTFOUND", "--no-pdf-header-footer")
TIMEOUT = 300


class PdfError(Exception):
    """No browser to print with, or the browser failed."""


def find_browser() -> str | None:
    """The path of an installed Chromium or Chrome, or None."""
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in BROWSER_PATHS if os.access(p, os.X_OK)), None)


def missing_browser_message() -> str:
    """What to tell the user when no browser is installed."""
    return ("--pdf needs Chromium or Google Chrome, and none was found (looked for "
            + ", ".join(BROWSER_NAMES) + " on PATH). Install one (Debian/Ubuntu: apt-get install chromium), "
            "or open the HTML report in a browser and print it to PDF.")


def print_pdf(html_path: str, pdf_path: str, browser: str, timeout: float = TIMEOUT) -> int:
    """Print ``html_path`` to ``pdf_path`` with ``browser``; return the PDF's size in bytes."""
    partial = pdf_path + ".partial"
    # Chromium refuses to run as root inside its sandbox; a root jump host is common for scanners.
    sandbox = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with tempfile.TemporaryDirectory(prefix="piisweep-print-") as profile:
        cmd = [browser, *FLAGS, *sandbox, f"--user-data-dir={profile}", f"--print-to-pdf={os.path.abspath(partial)}",
               "file://" + os.path.abspath(html_path)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  env={**os.environ, "HOME": profile})
        except subprocess.TimeoutExpired:
            raise PdfError(f"{browser} did not finish printing within {timeout:.0f} s") from None
        except OSError as exc:
            raise PdfError(f"cannot run {browser}: {exc.strerror}") from None
    try:
        with open(partial, "rb") as fh:
            ok = fh.read(5) == b"%PDF-"
    except OSError:
        ok = False
    if done.returncode != 0 or not ok:
        if os.path.exists(partial):
            os.unlink(partial)
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise PdfError(f"{browser} could not print the report (exit {done.returncode}): {last}")
    os.replace(partial, pdf_path)
    return os.path.getsize(pdf_path)
