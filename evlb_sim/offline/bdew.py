"""The BDEW H25 household standard load profile (see data/README.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

H25_CSV = Path(__file__).resolve().parent.parent / "data" / "bdew_h25.csv"
# The profile's values are kWh per quarter hour for this yearly consumption.
PROFILE_ANNUAL_KWH = 1_000_000.0
DAY_TYPES = ("sat", "sun", "wd")


@dataclass(frozen=True, slots=True)
class H25Profile:
    """kWh per quarter hour, by month (0-11), day type and quarter hour (0-95)."""

    values: tuple[tuple[tuple[float, ...], ...], ...]

    def power_kw(self, when: datetime, annual_kwh: float) -> float:
        """Mean power of households using `annual_kwh` a year, at `when`.

        Sundays count as holidays; other public holidays are not modelled.
        """
        weekday = when.weekday()
        day_type = 0 if weekday == 5 else 1 if weekday == 6 else 2
        quarter = when.hour * 4 + when.minute // 15
        kwh = self.values[when.month - 1][day_type][quarter]
        scale = annual_kwh / PROFILE_ANNUAL_KWH
        return kwh * 4.0 * scale * dynamisation(when.timetuple().tm_yday)


def dynamisation(day_of_year: int) -> float:
    """BDEW's seasonal factor for the household profiles (about 1.24 in January)."""
    day = float(day_of_year)
    return -3.92e-10 * day**4 + 3.2e-7 * day**3 - 7.02e-5 * day**2 + 0.0021 * day + 1.24


@cache
def load_h25(path: Path = H25_CSV) -> H25Profile:
    """Read the profile file (comment lines start with #)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(line for line in handle if not line.startswith("#")))
    header, body = rows[0], rows[1:]
    if len(body) != 96 or len(header) != 1 + 12 * len(DAY_TYPES):
        raise ValueError(f"{path}: expected 96 quarter hours x 36 columns")
    columns = list(
        zip(*(tuple(float(v) for v in row[1:]) for row in body), strict=True)
    )
    return H25Profile(
        tuple(
            tuple(columns[month * 3 + day_type] for day_type in range(3))
            for month in range(12)
        )
    )
