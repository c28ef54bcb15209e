"""Drive the real headless Chromium (Debian's /usr/bin/chromium) for report tests.

Chromium is pointed at a proxy that is only a loopback listener counting
connection attempts: a page that tried to fetch anything (a font, a script, an
image, a beacon) would make one, so "no request leaves the page" is measured,
not assumed. The page's own self-check (``#selfcheck``) records console errors,
CSP violations and resource loads in the DOM that ``--dump-dom`` returns.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import threading

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# Chromium's own background services (time sync, component updater, sign-in):
# they call out even for about:blank, so they are told apart from page requests.
# A font or script CDN is not in this list, so a page loading one still fails.
BROWSER_SERVICE_HOSTS = {"clients2.google.com", "update.googleapis.com", "accounts.google.com",
                         "redirector.gvt1.com", "optimizationguide-pa.googleapis.com",
                         "safebrowsingohttpgateway.googleapis.com", "content-autofill.googleapis.com"}


def request_host(first_line: str) -> str:
    """The host of a proxy request line (``CONNECT h:443 …`` or ``GET http://h/… …``)."""
    parts = first_line.split()
    target = parts[1] if len(parts) > 1 else ""
    target = target.split("://", 1)[-1]
    return target.split("/", 1)[0].rsplit(":", 1)[0].lower()


class ConnectionCounter:
    """A loopback listener used as Chromium's proxy; it records and drops every request."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hosts: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn.settimeout(2)
            try:
                head = conn.recv(1024).decode("latin-1").split("\r\n", 1)[0]
            except OSError:
                head = ""
            self.hosts.append(request_host(head) or "(unreadable request)")
            conn.close()

    def page_requests(self) -> list[str]:
        """Hosts asked for by anything but Chromium's own background services."""
        return [h for h in self.hosts if h not in BROWSER_SERVICE_HOSTS]

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def run_chromium(url: str, extra: list[str], proxy_port: int, timeout: float = 60) -> str:
    """Run Chromium once with a fresh profile; return its stdout."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--proxy-server=http://127.0.0.1:{proxy_port}",
               "--proxy-bypass-list=<-loopback>", *extra, url]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "HOME": profile})
        if done.returncode != 0:
            raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
        return done.stdout


def dump_dom(path: str, proxy_port: int, fragment: str = "") -> str:
    """The DOM of the page after load and its scripts, as Chromium serialises it."""
    return run_chromium("file://" + os.path.abspath(path) + fragment, ["--virtual-time-budget=5000", "--dump-dom"],
                        proxy_port)


def screenshot(path: str, png: str, proxy_port: int, size: str = "1400,4000") -> None:
    """A full-width PNG of the page's top ``size`` pixels."""
    run_chromium("file://" + os.path.abspath(path), [f"--window-size={size}", "--hide-scrollbars",
                                                     f"--screenshot={png}"], proxy_port)
