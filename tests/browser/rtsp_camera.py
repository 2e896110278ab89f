"""A camera of the RTSP type as a process, for the browser tests: the simulator's RTSP server and
web server on free ports of 127.0.0.1, sending a plate event with its picture path every few
seconds while Home Assistant plays the metadata track.

    python -m tests.browser.rtsp_camera PLATE [--interval S]

Prints one line of JSON once listening: {"rtsp_port": ..., "http_port": ..., "path": ...}.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
from datetime import UTC, datetime

from simulator.camera_web import CameraWebServer
from simulator.onvif_documents import SEED_PICTURE, metadata_stream, seed_event
from simulator.reads import PLATE_SIZE, make_jpeg
from simulator.rtsp_server import PATH, RtspTestServer


async def serve(plate: str, interval: float) -> None:
    """Serve until SIGTERM or SIGINT."""
    rtsp = RtspTestServer()
    web = CameraWebServer(auth=None, pictures={SEED_PICTURE: make_jpeg(*PLATE_SIZE, plate)})
    await rtsp.start()
    await web.start()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    print(json.dumps({"rtsp_port": rtsp.port, "http_port": web.port, "path": PATH}), flush=True)  # noqa: T201
    try:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)
            if rtsp.playing:
                now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                await rtsp.send_document(metadata_stream(seed_event(plate, time=now)))
    finally:
        await web.stop()
        await rtsp.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plate")
    parser.add_argument("--interval", type=float, default=2.0)
    args = parser.parse_args()
    asyncio.run(serve(args.plate, args.interval))


if __name__ == "__main__":
    main()
