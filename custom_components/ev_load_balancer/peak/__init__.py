"""Peak shaving for capacity tariffs (no Home Assistant import here).

tariff.py (how the bill is made), window.py (window averages and the
month's peaks), forecast.py (the building's own load by weekday and hour),
sessions.py (departures and energy learnt per charger), planner.py (the
lowest flat level that meets every EV), controller.py (target and cap),
host.py (fed from the loop's inputs, applied as peak shaving's own cap,
merged with the user's temporary limit in loop/runtime.py).
"""

from .controller import PeakController, PeakDecision, PeakMode
from .forecast import BaselineForecast
from .host import PeakHost
from .planner import EvNeed, planned_level_kw
from .sessions import SessionLearner
from .tariff import Tariff
from .window import WindowTracker

__all__ = [
    "BaselineForecast",
    "EvNeed",
    "PeakController",
    "PeakDecision",
    "PeakHost",
    "PeakMode",
    "SessionLearner",
    "Tariff",
    "WindowTracker",
    "planned_level_kw",
]
