"""Headless Chromium logs in to a running demo and watches its dashboard.

`make browser-test` runs this with the demo's environment (Playwright is
installed there) and the system's Chromium; the test runs elsewhere too, and
skips, saying why. By default it starts its own small demo on free ports;
EVLB_DEMO_URL=http://localhost:8123 points it at a running `make demo`
instead. The screenshot goes to build/browser/dashboard.png, or to
EVLB_SCREENSHOT.
"""

from __future__ import annotations

from collections.abc import Iterator
import os
from pathlib import Path
import time
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("EVLB_CHROMIUM", "/usr/bin/chromium"))
if not CHROMIUM.exists():
    pytest.skip(
        f"Chromium is not installed ({CHROMIUM}; apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright is not in this environment: `make browser-test` runs "
    "this test in the demo's",
)

from .demo_process import REPOSITORY, demo  # noqa: E402

pytestmark = pytest.mark.browser

# A small garage on a tight fuse: limits follow the building's load, so the
# chargers' values move within seconds.
DEMO_ARGUMENTS = ("--chargers", "6", "--fuse", "35", "--speed", "30")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USERNAME, PASSWORD = "demo", "demo"
CHANGE_TIMEOUT_S = 180.0
UI_TIMEOUT_MS = 60_000

# Text of every charger card (a card titled like a charger: CP001...),
# through the frontend's shadow roots.
CHARGER_CARDS_JS = """
() => {
  const cards = [];
  const walk = (node) => {
    if (node.tagName === 'HUI-ENTITIES-CARD') {
      const root = node.shadowRoot;
      const title = root && root.querySelector('.card-header, h1');
      const name = title ? title.textContent.trim() : '';
      if (/^CP\\d+/.test(name)) {
        const rows = [];
        const collect = (n) => {
          if (n.nodeType === Node.TEXT_NODE && n.textContent.trim()) {
            rows.push(n.textContent.trim());
          }
          if (n.shadowRoot) { n.shadowRoot.childNodes.forEach(collect); }
          n.childNodes && n.childNodes.forEach(collect);
        };
        collect(root);
        cards.push([name, rows.join(' | ')]);
      }
    }
    if (node.shadowRoot) { node.shadowRoot.childNodes.forEach(walk); }
    node.childNodes && node.childNodes.forEach(walk);
  };
  walk(document.body);
  return cards;
}
"""


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    running = os.environ.get("EVLB_DEMO_URL")
    if running:
        yield running.rstrip("/")
        return
    config_dir = tmp_path_factory.mktemp("browser") / "demo-config"
    with demo(config_dir, *DEMO_ARGUMENTS) as (_, url):
        yield url


def _screenshot_path() -> Path:
    path = Path(
        os.environ.get(
            "EVLB_SCREENSHOT", REPOSITORY / "build" / "browser" / "dashboard.png"
        )
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_the_dashboard_shows_live_charger_values(demo_url: str) -> None:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1100})
            page.set_default_timeout(UI_TIMEOUT_MS)
            page.goto(demo_url)
            page.locator("input[name=username]").fill(USERNAME)
            page.locator("input[name=password]").fill(PASSWORD)
            page.locator("input[name=password]").press("Enter")
            page.wait_for_url("**/ev-garage/**")
            page.wait_for_function(f"({CHARGER_CARDS_JS})().length > 0")
            first = dict(page.evaluate(CHARGER_CARDS_JS))
            assert all(" A" in text and " W" in text for text in first.values()), first
            changed = _wait_for_a_change(page, first)
            assert changed, f"no charger card changed in {CHANGE_TIMEOUT_S:.0f} s"
            charging = _wait_for_charging(page)
            assert charging, f"no EV charged within {CHANGE_TIMEOUT_S:.0f} s"
            page.screenshot(path=str(_screenshot_path()), full_page=True)
        finally:
            browser.close()


def _wait_for_a_change(page: Any, first: dict[str, str]) -> list[str]:
    """The chargers whose card reads differently, once some do."""
    deadline = time.monotonic() + CHANGE_TIMEOUT_S
    while time.monotonic() < deadline:
        page.wait_for_timeout(2000)
        now = dict(page.evaluate(CHARGER_CARDS_JS))
        changed = [name for name, text in now.items() if first.get(name) != text]
        if changed:
            return changed
    return []


def _wait_for_charging(page: Any) -> list[str]:
    """The chargers whose card shows an EV charging with power, once some do."""
    deadline = time.monotonic() + CHANGE_TIMEOUT_S
    while time.monotonic() < deadline:
        cards = dict(page.evaluate(CHARGER_CARDS_JS))
        charging = [
            name
            for name, text in cards.items()
            if "| Charging |" in text and f"{name} Power | 0 W" not in text
        ]
        if charging:
            return charging
        page.wait_for_timeout(2000)
    return []
