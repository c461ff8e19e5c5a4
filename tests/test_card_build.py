"""The committed card is what its sources build to (`make card` after a change)."""

from __future__ import annotations

import os
from pathlib import Path
import subprocess

from custom_components.ev_load_balancer.frontend import CARD_FILE

from .frontend_tools import FRONTEND, NODE_TIMEOUT_S, require_node_packages


def test_the_committed_card_is_built_from_its_sources(tmp_path: Path) -> None:
    node = require_node_packages("esbuild", "lit")
    built = tmp_path / "card.js"
    done = subprocess.run(  # noqa: S603 (our own build script)
        [node, str(FRONTEND / "build.mjs")],
        cwd=FRONTEND,
        env={**os.environ, "CARD_OUTFILE": str(built)},
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert built.read_bytes() == CARD_FILE.read_bytes(), "run make card"
