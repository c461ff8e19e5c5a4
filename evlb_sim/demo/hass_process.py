"""Home Assistant as a child process: started on the demo's config directory,
its console output in a file, stopped (politely, then firmly) at the end.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import signal
import sys

STOP_TIMEOUT_S = 60.0


class HassProcess:
    """One `python -m homeassistant` on a config directory."""

    def __init__(
        self, config_dir: Path, console_log: Path, *, skip_pip: bool = False
    ) -> None:
        self.config_dir = config_dir
        self.console_log = console_log
        self._skip_pip = skip_pip  # install nothing (what is missing stays off)
        self._process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def exited(self) -> int | None:
        """The exit status once it has stopped, else None."""
        return None if self._process is None else self._process.returncode

    async def start(self) -> None:
        with self.console_log.open("wb") as console:
            # Its own session: Ctrl-C reaches the demo, which stops Home
            # Assistant after the chargers, not in the middle of them.
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "homeassistant",
                "--config",
                str(self.config_dir),
                *(["--skip-pip"] if self._skip_pip else []),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=console,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )

    async def wait(self) -> int:
        """Until it exits by itself; its exit status."""
        assert self._process is not None
        return await self._process.wait()

    async def stop(self) -> int | None:
        """SIGTERM, then SIGKILL if it has not stopped in time."""
        process = self._process
        if process is None or process.returncode is not None:
            return None if process is None else process.returncode
        process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(STOP_TIMEOUT_S):
                return await process.wait()
        except TimeoutError:
            process.kill()
            return await process.wait()
