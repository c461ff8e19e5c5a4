"""Wiring detection: which site phase each charger conductor loads, measured.

HA-free. `WiringWatch` takes a loop host's round inputs; `WiringDetector`
keeps the evidence; `WiringEstimate` is what it concludes per charger.
"""

from .detector import DetectorSettings, WiringDetector
from .evidence import WiringEstimate
from .feed import WiringWatch, sample_of
from .samples import ChargerSample

__all__ = [
    "ChargerSample",
    "DetectorSettings",
    "WiringDetector",
    "WiringEstimate",
    "WiringWatch",
    "sample_of",
]
