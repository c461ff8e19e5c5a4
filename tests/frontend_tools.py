"""Node and the frontend's npm packages (frontend/node_modules), for tests.

`make test` installs them (`npm ci` in frontend/) before pytest runs, and
sets EVLB_REQUIRE_NODE=1: there a missing node or package fails the test.
Elsewhere (a quick `pytest` in a fresh checkout) such tests skip, saying why.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
import shutil
import subprocess
from typing import Any

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
FRONTEND = REPOSITORY / "frontend"
NODE_TIMEOUT_S = 120


def require_node_packages(*packages: str) -> str:
    """The path of node, once the packages are installed; else skip or fail."""
    node = shutil.which("node")
    missing = [p for p in packages if not (FRONTEND / "node_modules" / p).is_dir()]
    if node is not None and not missing:
        return node
    why = (
        "node is not installed"
        if node is None
        else f"npm packages missing in frontend/node_modules: {', '.join(missing)} "
        "(make card installs them)"
    )
    if os.environ.get("EVLB_REQUIRE_NODE"):
        pytest.fail(why)
    pytest.skip(why)


def run_node(script: str, payload: Any, *packages: str) -> Any:
    """Run a script of frontend/ with JSON in and JSON out."""
    node = require_node_packages(*packages)
    done = subprocess.run(  # noqa: S603 (our own script)
        [node, str(FRONTEND / script)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=FRONTEND,
        timeout=NODE_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout else None
