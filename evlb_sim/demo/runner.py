"""`make demo`: the simulated site, a real Home Assistant, the integration set
up through its own flows, a dashboard, and a summary line every minute.

Processes and ports: this process runs the simulated meter (Modbus TCP,
127.0.0.1:meter_port, on a thread and event loop of its own, so that it
answers whatever the chargers are doing) and the simulated chargers (OCPP
1.6J clients of the integration's server on 127.0.0.1:ocpp_port); Home
Assistant is a child process on 127.0.0.1:port with the config directory
made for the run.
Ctrl-C stops the chargers, then Home Assistant, then the meter.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from contextlib import suppress
import errno
import signal
import socket
import time
from typing import Any

import aiohttp

from custom_components.ev_load_balancer.meter.meter_models import SDM630
from evlb_sim.live.meter_thread import MeterThread
from evlb_sim.live.modbus_meter import SimulatedMeter
from evlb_sim.live.site import LiveSite, SiteSpec

from . import config_dir
from .dashboard import find_entities, lovelace_config, save_dashboard
from .energy import save_energy_preferences
from .ha_api import HaApiError, HomeAssistantApi, poll_until
from .hass_process import HassProcess
from .onboarding import DemoUser, onboard, remove_online_services
from .options import DemoOptions
from .site_setup import adopt_chargers, configure_site
from .summary import final_line, minute_line, setup_line

START_TIMEOUT_S = 600.0  # a first start compiles translations, makes the database
RECONNECT_WAIT_S = 60.0
POLL_S = 0.5


class DemoError(Exception):
    """The demo cannot go on; the message says why."""


def say(text: str) -> None:
    print(text, flush=True)


def _check_ports(options: DemoOptions) -> None:
    for name, port in (
        ("Home Assistant", options.port),
        ("OCPP", options.ocpp_port),
        ("Modbus", options.meter_port),
    ):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            # As the servers bind: a previous run's closed connections don't count.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError as err:
                if err.errno != errno.EADDRINUSE:
                    raise
                raise DemoError(
                    f"port {port} ({name}) is in use: is another demo or Home "
                    "Assistant running? Pick other ports (see README, Demo)."
                ) from err


class Demo:
    """One run, from an empty config directory to Ctrl-C."""

    def __init__(self, options: DemoOptions) -> None:
        self.options = options
        self.user = DemoUser()
        self.spec = SiteSpec(
            chargers=options.chargers, fuse_a=options.fuse_a, speed=options.speed
        )
        self.meter = SimulatedMeter(
            max_registers_per_read=SDM630.max_registers_per_read
        )
        self.meter_server = MeterThread(self.meter, port=options.meter_port)
        self.site = LiveSite(
            self.spec,
            ocpp_url=f"ws://127.0.0.1:{options.ocpp_port}/ocpp",
            meter=self.meter,
            on_links=self._links_changed,
        )
        self._watching_links = False  # from the end of the setup on
        self._all_online = True
        self._links_moved = asyncio.Event()
        directory = options.config_dir
        self.hass = HassProcess(
            directory, directory / "hass-console.log", skip_pip=options.skip_pip
        )
        self.stopping = asyncio.Event()

    async def run(self) -> int:
        options = self.options
        _check_ports(options)
        config_dir.prepare(options.config_dir, port=options.port)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signum, self.stopping.set)
        say(
            f"EV load balancer demo: {options.chargers} chargers, "
            f"{options.fuse_a:g} A main fuse, time x{options.speed:g}"
        )
        await self.meter_server.start()
        say(f"  meter     SDM630 on Modbus TCP 127.0.0.1:{options.meter_port}")
        site_task = asyncio.create_task(self.site.run(), name="simulated site")
        say(
            f"  chargers  OCPP 1.6J, to ws://127.0.0.1:{options.ocpp_port}/ocpp/"
            f"{self.site.chargers[0].spec.charger_id}.."
            f"{self.site.chargers[-1].spec.charger_id}"
        )
        try:
            await self.hass.start()
            say(f"  Home Assistant starting (logs in {options.config_dir})")
            async with aiohttp.ClientSession() as session:
                api = HomeAssistantApi(options.api_url, session)
                if await self._until_stopped(self._set_up(api), site_task):
                    await self._until_stopped(self._report(), site_task)
        finally:
            await self._shut_down(site_task)
        return 0

    async def _until_stopped(
        self, work: Awaitable[Any], site_task: asyncio.Task[None]
    ) -> bool:
        """Run `work` unless Ctrl-C, Home Assistant or the site end first.

        True when `work` finished.
        """
        working = asyncio.ensure_future(work)
        stopping = asyncio.ensure_future(self.stopping.wait())
        hass_exit = asyncio.ensure_future(self.hass.wait())
        try:
            await asyncio.wait(
                {working, stopping, hass_exit, site_task},
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            for task in (stopping, hass_exit):
                task.cancel()
            if not working.done():
                working.cancel()
                with suppress(asyncio.CancelledError):
                    await working
        if site_task.done():
            site_task.result()  # a simulator bug: let it be seen
            raise DemoError("the simulated site stopped")
        if hass_exit.done() and not hass_exit.cancelled():
            raise DemoError(
                f"Home Assistant exited ({hass_exit.result()}); see "
                f"{self.hass.console_log} and home-assistant.log next to it"
            )
        if working.done() and not working.cancelled():
            working.result()
            return True
        return False

    async def _set_up(self, api: HomeAssistantApi) -> None:
        options = self.options
        started = time.monotonic()
        async with asyncio.timeout(START_TIMEOUT_S):
            await poll_until(api.is_up, every_s=POLL_S)
            await onboard(api, self.user)
            await poll_until(api.is_running, every_s=POLL_S)
        say(f"  Home Assistant up in {time.monotonic() - started:.0f} s, onboarded")
        self.site.stats.take_window()  # from here on: the setup's own load
        setting_up = time.monotonic()
        entry_id = await configure_site(api, options)
        say("  site configured through the integration's config flow")
        await adopt_chargers(api, entry_id, self.spec, progress=say)
        await self._all_chargers_back()
        say(
            setup_line(
                time.monotonic() - setting_up,
                self.site.stats.take_window(),
                fuse_a=options.fuse_a,
                chargers=options.chargers,
            )
        )
        async with api.websocket() as websocket:
            found = await find_entities(websocket, entry_id)
            dashboard = await save_dashboard(
                websocket, lovelace_config(found, entry_id=entry_id)
            )
            in_energy = await save_energy_preferences(websocket, found)
        say(
            f"  dashboard with {len(found.chargers)} chargers saved; Energy "
            f"dashboard: the site meter as the grid, {in_energy} chargers as devices"
        )
        # Onboarding adds it in the background: by now it is there.
        await remove_online_services(api)
        say("")
        # Where users do not land on it after logging in, its own address.
        address = options.url if dashboard.default else options.url + dashboard.path
        say(
            f"Open {address} and log in as {self.user.username} / "
            f"{self.user.password}. Ctrl-C stops everything."
        )
        say("")

    async def _all_chargers_back(self) -> None:
        """Chargers adopted by id before they were back: wait until all are."""
        with suppress(TimeoutError):
            async with asyncio.timeout(RECONNECT_WAIT_S):
                while not all(link.accepted for link in self.site.links):
                    self._links_moved.clear()
                    await self._links_moved.wait()

    def _links_changed(self) -> None:
        """Say once when chargers lose Home Assistant, and once when all are back."""
        self._links_moved.set()
        if not self._watching_links:
            return
        online = sum(1 for link in self.site.links if link.accepted)
        total = len(self.site.links)
        if self._all_online and online < total:
            say(f"  {total - online} of {total} chargers lost the OCPP server")
        elif not self._all_online and online == total:
            say(f"  all {total} chargers are back on the OCPP server")
        self._all_online = online == total

    async def _report(self) -> None:
        """A summary line every minute, until stopped (or for --duration)."""
        self.site.stats.take_window()  # the setup's minutes are not the demo's
        self._watching_links = True
        self._links_changed()
        with suppress(TimeoutError):
            async with asyncio.timeout(self.options.duration_s):
                await self._summaries()

    async def _summaries(self) -> None:
        while True:
            await asyncio.sleep(self.options.summary_every_s)
            say(
                minute_line(
                    self.site.snapshot(),
                    self.site.stats.take_window(),
                    fuse_a=self.options.fuse_a,
                    chargers=self.options.chargers,
                )
            )

    async def _shut_down(self, site_task: asyncio.Task[None]) -> None:
        self._watching_links = False  # chargers going offline now is the plan
        say("Stopping: chargers, Home Assistant, meter ...")
        site_task.cancel()
        await asyncio.gather(site_task, return_exceptions=True)
        await self.hass.stop()
        await self.meter_server.stop()
        say(
            final_line(
                self.site.snapshot(),
                self.site.stats.total,
                fuse_a=self.options.fuse_a,
                sessions=sum(c.counters.sessions for c in self.site.chargers),
            )
        )


async def run(options: DemoOptions) -> int:
    """The demo; an exit status."""
    try:
        return await Demo(options).run()
    except (DemoError, HaApiError, config_dir.ConfigDirError) as err:
        say(f"demo: {err}")
        return 1
