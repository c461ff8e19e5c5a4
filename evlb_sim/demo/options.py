"""What `make demo` can be asked for, from the command line."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .config_dir import REPOSITORY

MAX_CHARGERS = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoOptions:
    """One demo run."""

    chargers: int = 12
    speed: float = 10.0
    fuse_a: float = 63.0
    margin_a: float = 4.0
    port: int = 8123  # Home Assistant's web server
    ocpp_port: int = 9000  # the integration's OCPP server
    meter_port: int = 5020  # the simulated meter's Modbus TCP server
    config_dir: Path = REPOSITORY / "demo-config"
    summary_every_s: float = 60.0
    skip_pip: bool = False  # Home Assistant installs nothing
    duration_s: float | None = None  # stop this long after the setup
    # A circuit of this rating (A) without a meter for the first half of the
    # chargers (a row on its own breaker); None: every charger on the main fuse.
    circuit_a: float | None = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _chargers(text: str) -> int:
    count = int(text)
    if not 1 <= count <= MAX_CHARGERS:
        raise argparse.ArgumentTypeError(f"from 1 to {MAX_CHARGERS} chargers")
    return count


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def _port(text: str) -> int:
    port = int(text)
    if not 1024 <= port <= 65535:
        raise argparse.ArgumentTypeError("a TCP port from 1024 to 65535")
    return port


def parse(argv: Sequence[str] | None = None) -> DemoOptions:
    parser = argparse.ArgumentParser(
        prog="python -m evlb_sim.demo",
        description="A real Home Assistant with the integration on a simulated "
        "site: a Modbus meter and OCPP chargers with EVs.",
    )
    defaults = DemoOptions()
    parser.add_argument(
        "--chargers", type=_chargers, default=defaults.chargers, help="1 to 200"
    )
    parser.add_argument(
        "--speed",
        type=_positive,
        default=defaults.speed,
        help="simulated seconds per real second (EV arrivals, charging, the "
        "evening); the control loop always runs in real time",
    )
    parser.add_argument(
        "--fuse", type=_positive, default=defaults.fuse_a, help="main fuse, A"
    )
    parser.add_argument(
        "--margin", type=float, default=defaults.margin_a, help="safety margin, A"
    )
    parser.add_argument("--port", type=_port, default=defaults.port)
    parser.add_argument("--ocpp-port", type=_port, default=defaults.ocpp_port)
    parser.add_argument("--meter-port", type=_port, default=defaults.meter_port)
    parser.add_argument("--config-dir", type=Path, default=defaults.config_dir)
    parser.add_argument(
        "--summary-every",
        type=_positive,
        default=defaults.summary_every_s,
        help="seconds between summary lines",
    )
    parser.add_argument(
        "--skip-pip",
        action="store_true",
        help="Home Assistant installs nothing (what onboarding adds and needs "
        "a package for stays off): for runs outside the demo's environment",
    )
    parser.add_argument(
        "--duration",
        type=_positive,
        default=None,
        help="stop this many seconds after the setup (default: at Ctrl-C)",
    )
    parser.add_argument(
        "--circuit",
        type=_positive,
        default=None,
        help="put the first half of the chargers on a row with a fuse of this "
        "many A (a circuit without a meter)",
    )
    args = parser.parse_args(argv)
    if not 0 <= args.margin < args.fuse:
        parser.error("the margin must be at least 0 and below the fuse")
    return DemoOptions(
        chargers=args.chargers,
        speed=args.speed,
        fuse_a=args.fuse,
        margin_a=args.margin,
        port=args.port,
        ocpp_port=args.ocpp_port,
        meter_port=args.meter_port,
        config_dir=args.config_dir.resolve(),
        summary_every_s=args.summary_every,
        skip_pip=args.skip_pip,
        duration_s=args.duration,
        circuit_a=args.circuit,
    )
