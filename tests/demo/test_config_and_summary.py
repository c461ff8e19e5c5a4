"""The demo's config directory, options and summary lines."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from evlb_sim.demo import config_dir
from evlb_sim.demo.options import parse
from evlb_sim.demo.summary import final_line, minute_line, setup_line
from evlb_sim.live.site import SiteSnapshot
from evlb_sim.live.site_stats import LoadStats


def test_the_config_directory_is_remade_but_never_someone_elses(tmp_path: Path) -> None:
    made = config_dir.prepare(tmp_path / "demo-config", port=8124)
    configuration = (made / "configuration.yaml").read_text(encoding="utf-8")
    assert "server_port: 8124" in configuration
    assert (made / "custom_components" / "ev_load_balancer").resolve() == (
        config_dir.INTEGRATION
    )
    (made / "leftover").write_text("x", encoding="utf-8")
    config_dir.prepare(made, port=8124)
    assert not (made / "leftover").exists()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "precious.yaml").write_text("x", encoding="utf-8")
    with pytest.raises(config_dir.ConfigDirError):
        config_dir.prepare(foreign, port=8124)


def test_options_and_their_limits() -> None:
    options = parse(["--chargers", "200", "--speed", "60", "--fuse", "100"])
    assert (options.chargers, options.speed, options.fuse_a) == (200, 60.0, 100.0)
    assert options.url == "http://localhost:8123"
    with pytest.raises(SystemExit):
        parse(["--chargers", "201"])
    with pytest.raises(SystemExit):
        parse(["--fuse", "10", "--margin", "10"])
    assert (options.duration_s, options.skip_pip) == (None, False)
    timed = parse(["--duration", "90", "--skip-pip"])
    assert (timed.duration_s, timed.skip_pip) == (90.0, True)
    with pytest.raises(SystemExit):
        parse(["--duration", "0"])


def test_summary_lines_show_peaks_against_the_fuse() -> None:
    stats = LoadStats(fuse_a=63)
    stats.record((40.0, 30.0, 20.0), 1.0)
    stats.record((64.0, 30.0, 20.0), 2.0)
    window = stats.take_window()
    snapshot = SiteSnapshot(
        sim_time=datetime.fromisoformat("2026-01-14T18:05"),
        wall_s=600.0,
        feed_a=(40.0, 30.0, 20.0),
        building_a=(20.0, 15.0, 10.0),
        charging=5,
        waiting=2,
        full=1,
        ev_power_w=22_080.0,
        delivered_kwh=12.34,
        online=12,
    )
    line = minute_line(snapshot, window, fuse_a=63, chargers=12)
    assert line.startswith("[Wed 18:05] peak L1  64.0 L2  30.0 L3  20.0 A (fuse 63 A)")
    assert "ABOVE THE FUSE 2 s" in line
    assert "5 charging, 2 waiting, 1 full, 22.1 kW | 12.3 kWh" in line
    assert stats.take_window().seconds == 0
    end = final_line(snapshot, stats.total, fuse_a=63, sessions=9)
    assert "Ran 10.0 min" in end
    assert "2 s above it" in end


def test_the_setup_line_says_how_long_and_how_far_above_the_fuse() -> None:
    stats = LoadStats(fuse_a=63)
    stats.record((50.0, 40.0, 30.0), 70.0)
    stats.record((66.0, 40.0, 30.0), 3.0)
    line = setup_line(73.4, stats.take_window(), fuse_a=63, chargers=200)
    assert line.startswith("  set up in 73 s (200 chargers adopted and online)")
    assert "peak L1  66.0 L2  40.0 L3  30.0 A" in line
    assert line.endswith("3 s above the 63 A fuse")
