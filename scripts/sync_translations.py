"""Copy strings.json to translations/en.json (HA loads translations/, not strings.json).

Usage: python scripts/sync_translations.py   (tests fail while they differ)
"""

from __future__ import annotations

from pathlib import Path
import shutil

COMPONENT = (
    Path(__file__).resolve().parent.parent / "custom_components/ev_load_balancer"
)

if __name__ == "__main__":
    shutil.copyfile(COMPONENT / "strings.json", COMPONENT / "translations/en.json")
