"""One loop: the only place a Balancer is made, and no Home Assistant in it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = (ROOT / "custom_components/ev_load_balancer", ROOT / "evlb_sim")
LOOP = ROOT / "custom_components/ev_load_balancer/loop"


def _calls_of(name: str) -> list[str]:
    found = []
    for top in PRODUCT:
        for path in sorted(top.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == name
                ):
                    found.append(str(path.relative_to(ROOT)))
    return found


def test_only_the_loop_constructs_a_balancer() -> None:
    """Home Assistant, the simulator and the audit all run the same loop."""
    assert _calls_of("Balancer") == [
        "custom_components/ev_load_balancer/loop/control_loop.py"
    ]


def test_the_loop_has_no_home_assistant_import() -> None:
    for path in sorted(LOOP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n.startswith("homeassistant") for n in names), path
