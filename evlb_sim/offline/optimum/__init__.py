"""The hindsight optimum: what a clairvoyant controller could deliver at best."""

from .solve import OptimumResult, hindsight_optimum

__all__ = ["OptimumResult", "hindsight_optimum"]
