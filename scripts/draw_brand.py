"""Draw the integration's brand images into custom_components/ev_load_balancer/brand/.

The picture is the product: three phase bars, each the building's load (grey)
plus the EVs' share (green), under the fuse (a red line) that none crosses.
Icons are square on a transparent background, logos add the name beside the
icon; dark_ variants are for dark themes. Sizes as Home Assistant's brands
expect: icon 256 and icon@2x 512 px; logo 256 and logo@2x 512 px high.

Usage: .venv/ha-2025.4/bin/python scripts/draw_brand.py   (Pillow, matplotlib's font)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFont

BRAND = (
    Path(__file__).resolve().parent.parent / "custom_components/ev_load_balancer/brand"
)
NAME = ("EV Load", "Balancer")
# Building load and EV share per phase, as fractions of the fuse.
PHASES = ((0.34, 0.44), (0.52, 0.28), (0.22, 0.56))


@dataclass(frozen=True)
class Palette:
    building: str
    ev: str
    fuse: str
    text: str
    plate: str


LIGHT = Palette("#78909c", "#2e9d4f", "#d93025", "#1f2a33", "#e8eef2")
DARK = Palette("#b0bec5", "#4cc970", "#ff5a4e", "#eef2f5", "#26323a")


def _icon(size: int, palette: Palette) -> Image.Image:
    scale = 4  # drawn large, then scaled down: smooth edges
    side = size * scale
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = side / 32
    draw.rounded_rectangle(
        (unit, unit, side - unit, side - unit), radius=6 * unit, fill=palette.plate
    )
    floor, top = side - 6 * unit, 9 * unit
    height = floor - top
    width = 5.2 * unit
    for index, (building, ev) in enumerate(PHASES):
        left = 6.2 * unit + index * 7.4 * unit
        right = left + width
        middle = floor - building * height
        draw.rounded_rectangle(
            (left, middle - ev * height, right, floor), radius=unit, fill=palette.ev
        )
        draw.rounded_rectangle(
            (left, middle, right, floor), radius=unit, fill=palette.building
        )
    draw.line(
        (4.5 * unit, top - 1.2 * unit, side - 4.5 * unit, top - 1.2 * unit),
        fill=palette.fuse,
        width=round(1.6 * unit),
    )
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _logo(height: int, palette: Palette) -> Image.Image:
    font_path = font_manager.findfont(
        font_manager.FontProperties(family="DejaVu Sans", weight="bold")
    )
    font = ImageFont.truetype(font_path, round(height * 0.34))
    icon = _icon(height, palette)
    measure = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    text_width = max(round(measure.textlength(line, font=font)) for line in NAME)
    image = Image.new(
        "RGBA", (height + round(height * 0.12) + text_width + 8, height), (0, 0, 0, 0)
    )
    image.paste(icon, (0, 0), icon)
    draw = ImageDraw.Draw(image)
    left = height + round(height * 0.12)
    for index, line in enumerate(NAME):
        draw.text(
            (left, height * (0.14 + 0.38 * index)), line, font=font, fill=palette.text
        )
    return image


def main() -> None:
    BRAND.mkdir(exist_ok=True)
    for prefix, palette in (("", LIGHT), ("dark_", DARK)):
        _icon(256, palette).save(BRAND / f"{prefix}icon.png", optimize=True)
        _icon(512, palette).save(BRAND / f"{prefix}icon@2x.png", optimize=True)
        _logo(256, palette).save(BRAND / f"{prefix}logo.png", optimize=True)
        _logo(512, palette).save(BRAND / f"{prefix}logo@2x.png", optimize=True)


if __name__ == "__main__":
    main()
