"""The strategies compared with our balancer (which lives in the sizing package)."""

from .first_come import FirstComeFirstServed
from .no_control import NoControl
from .static_shares import StaticPlan, StaticShares, static_plan

__all__ = [
    "FirstComeFirstServed",
    "NoControl",
    "StaticPlan",
    "StaticShares",
    "static_plan",
]
