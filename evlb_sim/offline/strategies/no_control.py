"""No control: every charger offers its maximum, whatever the fuse says."""

from __future__ import annotations

from custom_components.ev_load_balancer.sizing import UnlimitedController


class NoControl(UnlimitedController):
    """What a garage without load management does (overloads are counted)."""

    name = "no_control"
