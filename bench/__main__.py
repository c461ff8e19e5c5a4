"""Run every benchmark: `python -m bench` (or `make bench`)."""

from __future__ import annotations

from . import allocate

allocate.main()
