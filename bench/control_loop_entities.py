"""Run the benchmarks that need the Home Assistant test harness (bench/ha/)."""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys

HA_BENCHES = Path(__file__).parent / "ha"


def main() -> None:
    result = subprocess.run(  # noqa: S603 (our own pytest, fixed arguments)
        [
            sys.executable,
            "-m",
            "pytest",
            str(HA_BENCHES),
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("BENCH ")]
    if result.returncode or not lines:
        print(result.stdout[-3000:], result.stderr[-3000:], file=sys.stderr)
        raise SystemExit("benchmarks in the Home Assistant harness failed")
    print("\n".join(lines), flush=True)
