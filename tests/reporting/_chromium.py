"""A tiny Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (no packages).

Chromium reads JSON commands, each ending with a NUL byte, from file descriptor 3 and
writes replies and events to file descriptor 4. That is all a test needs to open a page,
record its console messages, exceptions and network requests, run a script in it and take
a screenshot, without websockets, selenium or a driver binary.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Flags every test run uses (the issue asks for these), plus the pipe.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


def find_chromium() -> str | None:
    """The Chromium binary: /usr/bin/chromium (Debian), else one on PATH."""
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


@dataclass
class PageLog:
    """What a page did: console messages, uncaught exceptions, requests."""

    console: list[dict[str, Any]] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    log_entries: list[dict[str, Any]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def errors(self) -> list[str]:
        """Console errors, exceptions and browser log errors, as text."""
        out = [
            " ".join(str(a.get("value", a.get("description", ""))) for a in m.get("args", []))
            for m in self.console
            if m.get("type") in ("error", "assert")
        ]
        out += self.exceptions
        out += [
            f"{e.get('source')}: {e.get('text')}"
            for e in self.log_entries
            if e.get("level") == "error"
        ]
        return out


class Browser:
    """One headless Chromium with a DevTools pipe, and one page (tab) in it."""

    def __init__(self, binary: str, profile: Path) -> None:
        ours_write, theirs_read = _pipe_pair()
        theirs_write, ours_read = _pipe_pair()

        def child_fds() -> None:
            read_fd = fcntl.fcntl(theirs_read, fcntl.F_DUPFD, 10)
            write_fd = fcntl.fcntl(theirs_write, fcntl.F_DUPFD, 10)
            os.dup2(read_fd, 3)
            os.dup2(write_fd, 4)

        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=child_fds,
        )
        os.close(theirs_read)
        os.close(theirs_write)
        self._out = ours_write
        self._in = ours_read
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self.session: str | None = None
        self.log = PageLog()

    # -- protocol -----------------------------------------------------------------------

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: bool = True,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        """Send a command and wait for its reply (events that arrive meanwhile are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            for reply in self._read(deadline):
                if reply.get("id") == self._next_id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply.get("result", {})
                self._record(reply)

    def _read(self, deadline: float) -> Iterator[dict[str, Any]]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("Chromium did not answer in time")
        ready, _, _ = select.select([self._in], [], [], remaining)
        if not ready:
            raise TimeoutError("Chromium did not answer in time")
        chunk = os.read(self._in, 1 << 20)
        if not chunk:
            raise RuntimeError("Chromium closed the DevTools pipe")
        self._buffer += chunk
        while b"\0" in self._buffer:
            raw, self._buffer = self._buffer.split(b"\0", 1)
            yield json.loads(raw)

    def _record(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        params = message.get("params", {})
        if method == "Runtime.consoleAPICalled":
            self.log.console.append(params)
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.log.exceptions.append(
                str(details.get("exception", {}).get("description") or details.get("text"))
            )
        elif method == "Log.entryAdded":
            self.log.log_entries.append(params.get("entry", {}))
        elif method == "Network.requestWillBeSent":
            self.log.requests.append(params.get("request", {}).get("url", ""))
        elif method == "Network.webSocketCreated":
            self.log.requests.append(params.get("url", ""))
        self._events.append(message)

    def wait_for(self, method: str, timeout: float = 30.0) -> dict[str, Any]:
        """Wait for an event (or return one already received)."""
        for i, event in enumerate(self._events):
            if event.get("method") == method:
                return self._events.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            for message in self._read(deadline):
                if message.get("id") is None:
                    self._record(message)
                    if message.get("method") == method:
                        self._events.remove(message)
                        return message

    # -- page ---------------------------------------------------------------------------

    def open_tab(self) -> None:
        """Create a page and attach to it; enable the domains the tests listen to."""
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.send(
            "Target.attachToTarget",
            {"targetId": target["targetId"], "flatten": True},
            session=False,
        )
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(f"{domain}.enable")

    def viewport(self, width: int, height: int, *, mobile: bool) -> None:
        """Emulate a screen (a phone when ``mobile``)."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )

    def navigate(self, url: str, timeout: float = 60.0) -> None:
        """Open ``url`` and wait for its load event."""
        self._events = [e for e in self._events if e.get("method") != "Page.loadEventFired"]
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired", timeout=timeout)

    def evaluate(self, expression: str) -> Any:
        """Run JavaScript in the page and return its (JSON) value."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait_until(self, expression: str, timeout: float = 30.0) -> Any:
        """Evaluate ``expression`` until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"still false after {timeout} s: {expression}")
            time.sleep(0.1)

    def screenshot(self, path: Path) -> None:
        """A PNG of the whole page (not only the viewport)."""
        metrics = self.send("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        shot = self.send(
            "Page.captureScreenshot",
            {"format": "png", "clip": clip, "captureBeyondViewport": True},
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send("Browser.close", session=False, timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        os.close(self._in)
        os.close(self._out)


def _pipe_pair() -> tuple[int, int]:
    """(write end, read end) of a new pipe, neither inherited by child processes."""
    read_fd, write_fd = os.pipe()
    os.set_inheritable(read_fd, False)
    os.set_inheritable(write_fd, False)
    return write_fd, read_fd


@contextlib.contextmanager
def browser(binary: str) -> Iterator[Browser]:
    """A fresh Chromium (own profile folder, removed afterwards) with one tab."""
    profile = Path(tempfile.mkdtemp(prefix="netanalysis-chromium-"))
    b = Browser(binary, profile)
    try:
        b.open_tab()
        yield b
    finally:
        b.close()
        shutil.rmtree(profile, ignore_errors=True)
