"""Headless Chromium logs in to a running demo: the site card, the adoption
dialog and the Energy dashboard, as a new user sees them.

`make browser-test` runs this with the demo's environment (Playwright is
installed there) and the system's Chromium; the test runs elsewhere too, and
skips, saying why. By default it starts its own small demo on free ports;
EVLB_DEMO_URL=<the address a running `make demo` prints> points it at that
demo instead. Screenshots go to build/browser/ (or EVLB_SCREENSHOTS): dashboard,
card, adoption and energy .png.
"""

from __future__ import annotations

from collections.abc import Iterator
import os
from pathlib import Path
import re
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

from .demo_process import REPOSITORY, DemoAddress, demo  # noqa: E402

pytestmark = pytest.mark.browser

CHARGERS = 6
ROW_A = 20
NO_VALUE = "\N{EN DASH}"  # the card's text for a value not known yet
# A small garage on a tight fuse, half of it on a 20 A row: limits follow the
# building's load, so the chargers' values move within seconds.
DEMO_ARGUMENTS = (
    "--chargers",
    str(CHARGERS),
    "--fuse",
    "35",
    "--speed",
    "30",
    "--circuit",
    str(ROW_A),
)
CHROMIUM_FLAGS = [
    "--headless",
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
TRANSLATION_ERROR = "Translation error"

# What the site card shows, read through its shadow root.
CARD_JS = """
() => {
  const card = (function find(node) {
    if (node.tagName === 'EV-LOAD-BALANCER-CARD') return node;
    for (const child of [...(node.shadowRoot ? node.shadowRoot.children : []),
                         ...node.children]) {
      const found = find(child);
      if (found) return found;
    }
    return null;
  })(document.body);
  if (!card || !card.shadowRoot) return null;
  const root = card.shadowRoot;
  return {
    phases: [...root.querySelectorAll('.phase')].map((phase) => ({
      name: phase.dataset.phase,
      building: phase.querySelectorAll('[data-segment=building]').length,
      chargers: [...phase.querySelectorAll('[data-segment=charger]')]
        .map((s) => s.dataset.charger),
      fuse: phase.querySelectorAll('.marker.fuse').length,
      usable: phase.querySelectorAll('.marker.usable').length,
      value: phase.querySelector('.phase-value').textContent.trim(),
    })),
    circuits: [...root.querySelectorAll('.circuit')].map((circuit) => ({
      id: circuit.dataset.circuit,
      name: circuit.querySelector('.circuit-name').textContent
        .replace(/\\s+/g, ' ').trim(),
      phases: [...circuit.querySelectorAll('.circuit-phase')].map((phase) => ({
        name: phase.dataset.phase,
        load: phase.querySelectorAll('[data-segment=load]').length,
        fuse: phase.querySelectorAll('.marker.fuse').length,
        usable: phase.querySelectorAll('.marker.usable').length,
        value: phase.querySelector('.phase-value').textContent.trim(),
      })),
    })),
    chargers: [...root.querySelectorAll('.charger')].map((row) => ({
      id: row.dataset.charger,
      state: row.dataset.state,
      text: row.textContent.replace(/\\s+/g, ' ').trim(),
    })),
    text: root.textContent,
  };
}
"""

# Every text of the page, shadow roots included.
PAGE_TEXT_JS = """
() => {
  const parts = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent);
    if (node.shadowRoot) node.shadowRoot.childNodes.forEach(walk);
    node.childNodes && node.childNodes.forEach(walk);
  };
  walk(document.body);
  return parts.join(' ').replace(/\\s+/g, ' ');
}
"""


@pytest.fixture(scope="module")
def demo_address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoAddress]:
    running = os.environ.get("EVLB_DEMO_URL")
    if running:
        yield DemoAddress.parse(running)
        return
    config_dir = tmp_path_factory.mktemp("browser") / "demo-config"
    with demo(config_dir, *DEMO_ARGUMENTS) as (_, address):
        yield address


@pytest.fixture(scope="module")
def demo_url(demo_address: DemoAddress) -> str:
    return demo_address.url


@pytest.fixture(scope="module")
def page(demo_address: DemoAddress) -> Iterator[Any]:
    """A browser tab logged in at the address the demo prints: the dashboard."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            tab.set_default_timeout(UI_TIMEOUT_MS)
            tab.goto(demo_address.url + demo_address.landing)
            tab.locator("input[name=username]").fill(USERNAME)
            tab.locator("input[name=password]").fill(PASSWORD)
            tab.locator("input[name=password]").press("Enter")
            # Logged in once the frontend has its token and drops the code.
            tab.wait_for_url(
                lambda url: "/ev-garage/" in url and "auth_callback" not in url
            )
            yield tab
        finally:
            browser.close()


def _screenshot(name: str) -> Path:
    folder = Path(os.environ.get("EVLB_SCREENSHOTS", REPOSITORY / "build" / "browser"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def test_the_site_card_draws_every_phase_and_every_charger(
    page: Any, demo_url: str
) -> None:
    _open(page, f"{demo_url}/ev-garage/garage")
    page.wait_for_function(
        f"(() => {{ const c = ({CARD_JS})(); return c && c.chargers.length === "
        f"{CHARGERS}; }})()"
    )
    card = page.evaluate(CARD_JS)
    assert [phase["name"] for phase in card["phases"]] == ["L1", "L2", "L3"]
    for phase in card["phases"]:
        assert phase["building"] == 1, phase
        assert (phase["fuse"], phase["usable"]) == (1, 1), phase
        assert re.fullmatch(r"\d+\.\d A / 35 A", phase["value"]), phase
    for charger in card["chargers"]:
        assert re.search(r"CP00\d", charger["text"]), charger
        assert " A" in charger["text"], charger
    assert TRANSLATION_ERROR not in card["text"]
    # The row of the first three chargers, per phase against its own fuse.
    (row,) = card["circuits"]
    assert row["name"].startswith("Row A"), row
    assert [phase["name"] for phase in row["phases"]] == ["L1", "L2", "L3"]
    for phase in row["phases"]:
        assert (phase["fuse"], phase["usable"]) == (1, 1), phase
        assert re.fullmatch(rf"(\d+\.\d A|{NO_VALUE}) / {ROW_A} A", phase["value"])
    # The simulated EVs come home: one charges, and its share is in a bar.
    charging = _wait_for(page, _charging_share)
    assert charging, f"no EV's share showed in {CHANGE_TIMEOUT_S:.0f} s"
    row_load = _wait_for(page, _row_load)
    assert row_load, f"the row's load did not show in {CHANGE_TIMEOUT_S:.0f} s"
    assert all(value <= ROW_A for value in row_load), row_load
    assert TRANSLATION_ERROR not in page.evaluate(PAGE_TEXT_JS)
    page.locator("ev-load-balancer-card").screenshot(path=str(_screenshot("card")))
    page.screenshot(path=str(_screenshot("dashboard")), full_page=True)


def _charging_share(page: Any) -> list[str]:
    """Chargers that charge and have a segment in some phase bar."""
    card = page.evaluate(CARD_JS)
    in_bars = {c for phase in card["phases"] for c in phase["chargers"]}
    return [
        c["id"]
        for c in card["chargers"]
        if c["state"] == "charging" and c["id"] in in_bars
    ]


def _row_load(page: Any) -> list[float]:
    """The row's load per phase (A) once the loop has balanced on it."""
    (row,) = page.evaluate(CARD_JS)["circuits"]
    values = [phase["value"].split(" A")[0] for phase in row["phases"]]
    if NO_VALUE in values or not any(phase["load"] for phase in row["phases"]):
        return []
    return [float(value) for value in values]


def _wait_for(page: Any, check: Any) -> Any:
    deadline = time.monotonic() + CHANGE_TIMEOUT_S
    while time.monotonic() < deadline:
        found = check(page)
        if found:
            return found
        page.wait_for_timeout(2000)
    return None


def test_the_adoption_dialog_shows_where_to_point_a_charger(
    page: Any, demo_url: str
) -> None:
    _open(page, f"{demo_url}/config/integrations/integration/ev_load_balancer")
    add = page.get_by_text("Add OCPP charger", exact=True)
    add.first.wait_for(state="attached")
    if not add.first.is_visible():
        # Home Assistant 2025.4 lists it in the site's menu, not as a button.
        menu = page.locator("ha-md-button-menu", has=add)
        menu.get_by_role("button", name="Menu").first.click()
    add.first.click()
    dialog = page.get_by_text("Adopt an OCPP charger").first
    dialog.wait_for()
    page.wait_for_function(
        f"({PAGE_TEXT_JS})().includes('followed by / and its charge point id')"
    )
    text = page.evaluate(PAGE_TEXT_JS)
    assert TRANSLATION_ERROR not in text
    assert re.search(
        r"ws://[\d.]+:\d+/ocpp, followed by / and its charge point id", text
    )
    page.screenshot(path=str(_screenshot("adoption")))
    page.keyboard.press("Escape")


def test_the_energy_dashboard_has_the_grid_and_every_charger(
    page: Any, demo_url: str
) -> None:
    _open(page, f"{demo_url}/config/energy")
    names = [f"CP{n:03d}" for n in range(1, CHARGERS + 1)]
    page.wait_for_function(
        f"(() => {{ const t = ({PAGE_TEXT_JS})(); "
        f"return {names!r}.every((name) => t.includes(name)); }})()"
    )
    assert TRANSLATION_ERROR not in page.evaluate(PAGE_TEXT_JS)
    _open(page, f"{demo_url}/energy")
    page.wait_for_function(f"({PAGE_TEXT_JS})().includes('Grid')")
    text = page.evaluate(PAGE_TEXT_JS)
    assert TRANSLATION_ERROR not in text
    assert "Individual devices" in text
    page.screenshot(path=str(_screenshot("energy")), full_page=True)
