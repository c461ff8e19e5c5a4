"""The demo's Home Assistant configuration directory, made fresh every run.

Only configuration.yaml is written, plus a link to the integration's code;
everything else (users, config entries, dashboards) is created through Home
Assistant's own APIs once it runs.
"""

from __future__ import annotations

from pathlib import Path
import shutil

REPOSITORY = Path(__file__).resolve().parents[2]
INTEGRATION = REPOSITORY / "custom_components" / "ev_load_balancer"
MARKER = ".evlb-demo"  # only a directory carrying this is ever wiped

CONFIGURATION = """\
# Written by `make demo` (evlb_sim/demo/config_dir.py); remade on every run.
homeassistant:
  name: EV demo garage
  unit_system: metric
  currency: NOK
  country: "NO"
  time_zone: {time_zone}
  latitude: 63.43
  longitude: 10.40
  elevation: 20

http:
  server_host: 127.0.0.1
  server_port: {port}

frontend:
energy:
history:
logbook:
recorder:
  purge_keep_days: 2

logger:
  default: warning
  logs:
    custom_components.ev_load_balancer: info
    # Its C library is optional and the demo has no cameras.
    homeassistant.components.camera.img_util: critical
"""


class ConfigDirError(Exception):
    """The directory exists and is not the demo's to overwrite."""


def host_time_zone() -> str:
    """The machine's IANA time zone, or UTC when it cannot be told."""
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        parts = localtime.resolve().parts
        if "zoneinfo" in parts:
            return "/".join(parts[parts.index("zoneinfo") + 1 :])
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        name = timezone_file.read_text(encoding="utf-8").strip()
        if name:
            return name
    return "UTC"


def prepare(directory: Path, *, port: int) -> Path:
    """(Re)create `directory` for a fresh Home Assistant; returns it."""
    if directory.exists():
        if not (directory / MARKER).exists() and any(directory.iterdir()):
            raise ConfigDirError(
                f"{directory} exists and was not made by the demo; "
                "remove it or pass another --config-dir"
            )
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    (directory / MARKER).write_text("made by make demo\n", encoding="utf-8")
    (directory / "configuration.yaml").write_text(
        CONFIGURATION.format(port=port, time_zone=host_time_zone()),
        encoding="utf-8",
    )
    custom = directory / "custom_components"
    custom.mkdir()
    (custom / INTEGRATION.name).symlink_to(INTEGRATION, target_is_directory=True)
    return directory
