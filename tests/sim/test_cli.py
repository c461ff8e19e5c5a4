"""The command line, end to end on short windows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evlb_sim.cli import main


def test_simulate_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        ["simulate", "63A-50ev", "--start", "2020-01-14", "--days", "1", "--quiet",
         "--strategies", "fcfs,ours,optimum"]
    )  # fmt: skip
    assert status == 0
    table = capsys.readouterr().out
    assert "Scenario 63A-50ev" in table
    assert "first come first served" in table
    assert "hindsight optimum" in table


def test_simulate_json_and_png(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.png"
    status = main(
        ["simulate", "100A-static-vs-dynamic", "--days", "1", "--json", "--quiet",
         "--report", str(report)]
    )  # fmt: skip
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["strategies"]) == {"no_control", "static", "ours", "optimum"}
    ours = data["strategies"]["ours"]
    assert 0 < ours["evs"]["energy_delivered_pct"] <= 100
    assert data["scenario"]["fuse_a"] == 100
    assert report.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_bad_scenario_exits_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nperiod: {start: 2024-01-08T00:00, days: 1}\n")
    assert main(["simulate", str(broken)]) == 2
    assert "site: is missing" in capsys.readouterr().err


def test_list_shows_the_shipped_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    assert "63A-50ev" in capsys.readouterr().out


def test_audit_answers_how_many_fit(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        ["audit", "100A-20ch", "--days", "1", "--max-chargers", "8", "--quiet"]
    )
    assert status == 0
    out = capsys.readouterr().out
    assert "chargers of 3 x 16 A fit" in out
    assert "static shares" in out
