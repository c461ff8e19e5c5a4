"""The brand images HACS and Home Assistant look for, at the sizes they expect."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
import pytest

BRAND = Path(__file__).parent.parent / "custom_components/ev_load_balancer/brand"


@pytest.mark.parametrize("prefix", ["", "dark_"])
def test_icons_and_logos(prefix: str) -> None:
    for name, size in (("icon", 256), ("icon@2x", 512)):
        with Image.open(BRAND / f"{prefix}{name}.png") as image:
            assert image.format == "PNG"
            assert image.size == (size, size), name
            assert image.mode == "RGBA"
            # Transparent corners: the plate is rounded, the theme shows around it.
            assert image.getpixel((0, 0))[3] == 0
    for name, height in (("logo", 256), ("logo@2x", 512)):
        with Image.open(BRAND / f"{prefix}{name}.png") as image:
            width, high = image.size
            assert high == height, name
            assert width > high  # the name beside the icon
