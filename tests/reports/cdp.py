"""Drive the real headless Chromium over the DevTools protocol, for report tests that click.

Chromium is started with ``--remote-debugging-pipe``: it reads protocol
messages (JSON, each ended by a NUL byte) on file descriptor 3 and answers on
4, so no port is opened and no WebSocket library is needed. The test attaches
to the page, clicks with real mouse events at a box's on-screen position, and
reads the DOM back with ``Runtime.evaluate``. Console messages, uncaught
exceptions and the browser's own log (CSP violations land there) are
collected, so "no console errors" is what the browser saw, not what the page
says about itself. Like :mod:`tests.reports.browser`, the browser's proxy is a
loopback connection counter, so any outside request is caught.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import tempfile
import time

from tests.reports.browser import CHROMIUM, FLAGS


def _above_nine(fd: int) -> int:
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class PageError(Exception):
    """The protocol answered with an error, or the page did not do what was awaited."""


class Browser:
    """One headless Chromium with one page, driven over a pipe."""

    def __init__(self, proxy_port: int, size: tuple[int, int] = (1400, 1000)):
        self._profile = tempfile.TemporaryDirectory(prefix="chromium-cdp-")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # bash moves the pipes to fds 3 and 4 (a preexec_fn would not be safe beside
        # the proxy's thread) and then becomes Chromium; the child's ends are first put
        # above 9, so that moving one to 3 or 4 cannot overwrite the other.
        to_chrome_r, from_chrome_w = (_above_nine(to_chrome_r), _above_nine(from_chrome_w))
        self.proc = subprocess.Popen(
            ["/bin/bash", "-c", f'exec "$@" 3<&{to_chrome_r} 4>&{from_chrome_w}', "bash",
             CHROMIUM, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self._profile.name}",
             f"--window-size={size[0]},{size[1]}", f"--proxy-server=http://127.0.0.1:{proxy_port}",
             "--proxy-bypass-list=<-loopback>", "about:blank"],
            pass_fds=(to_chrome_r, from_chrome_w), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, env={**os.environ, "HOME": self._profile.name})
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)

    def call(self, method: str, params: dict | None = None, session: bool = False, timeout: float = 30) -> dict:
        """Send one command and wait for its answer (events meanwhile are kept in ``events``)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise PageError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise PageError("Chromium did not answer in time")
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                raise PageError("Chromium closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def open(self, path: str) -> None:
        """Load a local file and wait for its load event."""
        start = len(self.events)
        self.call("Page.navigate", {"url": "file://" + os.path.abspath(path)}, session=True)
        deadline = time.monotonic() + 30
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events[start:]):
            self.events.append(self._read(deadline))

    def js(self, expression: str):
        """Evaluate ``expression`` in the page and return its (JSON) value."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        if "exceptionDetails" in result:
            raise PageError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """Scroll the element into view and click its centre with real mouse events."""
        box = self.js(f"""(function () {{
            var el = document.querySelector({json.dumps(selector)});
            if (!el) {{ return null; }}
            el.scrollIntoView({{block: "center"}});
            var r = el.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2];
        }})()""")
        if box is None:
            raise PageError(f"nothing matches {selector}")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left",
                                                   "clickCount": 1}, session=True)

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors seen so far."""
        out = []
        for e in self.events:
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append("exception: " + params["exceptionDetails"].get("text", ""))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                out.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                out.append("log: " + params["entry"]["text"])
        return out

    def close(self) -> None:
        """End the browser and remove its profile."""
        try:
            self.call("Browser.close", timeout=5)
        except (PageError, OSError):
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)
        self._profile.cleanup()
