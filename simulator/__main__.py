"""A simulated LPR camera of the TCP type that pushes a random plate every few seconds.

    python -m simulator --port 5555 --interval 5

scripts/demo runs it; the pictures need Pillow (in requirements_demo.txt).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging

from custom_components.lpr_camera.lpr.tcp_codec import FIRMWARES

from .reads import random_read
from .tcp import CameraSimulator

_LOGGER = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> None:
    """Serve a simulated camera that pushes a random plate every few seconds."""
    parser = argparse.ArgumentParser(description="A simulated LPR camera of the TCP type.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=5555)
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="1234")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between reads")
    parser.add_argument("--firmware", choices=FIRMWARES, default="1.6")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_demo(args))


async def _serve_demo(args: argparse.Namespace) -> None:
    camera = CameraSimulator(args.username, args.password, args.host, args.port)
    await camera.start()
    _LOGGER.info("Camera listening on %s:%d, user %s", args.host, camera.port, args.username)
    try:
        while True:
            await asyncio.sleep(args.interval)
            read = random_read()
            await camera.push(read, firmware=args.firmware)
            _LOGGER.info(
                "Pushed %s, %s, to %d client(s)", read.plate, read.direction, camera.client_count
            )
    finally:
        await camera.stop()


if __name__ == "__main__":
    main()
