"""python -m evlb_sim.demo [--chargers N] [--speed X] [--fuse A] [--port P]"""

from __future__ import annotations

import asyncio
import logging
import sys

from .options import parse
from .runner import run


def main() -> int:
    options = parse()
    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    # Every OCPP frame is logged at INFO by the library.
    logging.getLogger("ocpp").setLevel(logging.WARNING)
    return asyncio.run(run(options))


if __name__ == "__main__":
    sys.exit(main())
