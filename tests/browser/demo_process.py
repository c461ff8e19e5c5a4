"""A demo run for the browser test: started on free ports, stopped with Ctrl-C."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

REPOSITORY = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 600.0  # the first start of a fresh Home Assistant included
STOP_TIMEOUT_S = 120.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class DemoRun:
    """The demo's output, line by line, as it comes."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, text: str, timeout_s: float) -> str:
        """The first line (from now on) containing `text`."""
        deadline = time.monotonic() + timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {text!r} in time:\n" + "\n".join(self.lines))
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise RuntimeError(
                    f"the demo ended ({self.process.wait()}) before {text!r}:\n"
                    + "\n".join(self.lines)
                )
            self.lines.append(line)
            if text in line:
                return line


@dataclass(frozen=True, slots=True)
class DemoAddress:
    """Where a demo answers, and the page its "Open ..." line sends users to."""

    url: str  # http://127.0.0.1:port
    landing: str  # a path: "" where the dashboard is the default panel

    @classmethod
    def parse(cls, address: str) -> DemoAddress:
        parts = urlsplit(address)
        return cls(f"{parts.scheme}://{parts.netloc}", parts.path.rstrip("/"))


@contextmanager
def demo(config_dir: Path, *arguments: str) -> Iterator[tuple[DemoRun, DemoAddress]]:
    """Run `python -m evlb_sim.demo` until it is ready; Ctrl-C it afterwards."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [
            sys.executable,
            "-m",
            "evlb_sim.demo",
            "--port",
            str(port),
            "--ocpp-port",
            str(free_port()),
            "--meter-port",
            str(free_port()),
            "--config-dir",
            str(config_dir),
            *arguments,
        ],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    run = DemoRun(process)
    try:
        # "Open http://localhost:8123[/ev-garage/garage] and log in as ..."
        printed = run.wait_for("Open http://", START_TIMEOUT_S).split()[1]
        landing = DemoAddress.parse(printed).landing
        yield run, DemoAddress(f"http://127.0.0.1:{port}", landing)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
