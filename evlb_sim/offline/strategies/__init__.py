"""The strategies compared with our balancer (which lives in the sizing package)."""

from .first_come import FirstComeFirstServed
from .no_control import NoControl
from .static_shares import StaticShares, static_share_a

__all__ = ["FirstComeFirstServed", "NoControl", "StaticShares", "static_share_a"]
