"""A simulated LPR camera of the TCP type, for the tests, the benchmarks and the README demo.

    python -m custom_components.lpr_camera.lpr.simulator --port 5555 --interval 5

Pictures need Pillow, which only this module uses (imported where the pictures are drawn).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import io
import json
import logging
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .exceptions import ProtocolError
from .models import Colour, Direction, ListType, PlateBox, PlateRead, RadarData, VehicleType
from .tcp_codec import (
    COMM_LOGIN_REPLY,
    COMM_LOGIN_REQ,
    COMM_RECOG_POST,
    FIRMWARES,
    PacketDecoder,
    encode_packet,
    encode_recognition,
)

if TYPE_CHECKING:
    from PIL import Image

_LOGGER = logging.getLogger(__name__)

DEMO_PLATES = ("AB1234", "MS12345", "WOB ZK 512", "부산 02가 1234", "B-XY 4711", "KA 01 AB 1234")
SAMPLE_DEVICE_ID = "04f912bbce94654089afe83cd88f70be"
FULL_SIZE = (1280, 720)
PLATE_SIZE = (200, 50)
# Where the plate is on the full picture (in its pixels: the processing resolution is its size).
SAMPLE_PLATE_BOX = PlateBox(540, 500, 740, 550)
# Latin-1 and the Hangul of Korean plates (fonts/FONTLOG.txt), so no plate is drawn as boxes.
PICTURE_FONT = Path(__file__).parent / "fonts" / "LprSimulatorGothic.ttf"
# The text's share of the picture's width at most: a long plate is made smaller, never cut.
TEXT_WIDTH_SHARE = 0.9


class CameraSimulator:
    """The camera side of the TCP type: accepts logins and pushes recognitions."""

    def __init__(
        self,
        username: str = "admin",
        password: str = "1234",  # noqa: S107 - the vendor's example, for a test double
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """Set up the camera; port 0 picks a free port at start()."""
        self.username = username
        self.password = password
        # Answer every login with this status instead of checking the credentials.
        self.reply_status: str | None = None
        self.login_attempts = 0
        self._host = host
        self._port = port
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._connections: set[asyncio.StreamWriter] = set()
        self._logged_in: set[asyncio.StreamWriter] = set()
        self._client_logged_in = asyncio.Event()

    @property
    def port(self) -> int:
        """The port the camera listens on (the bound one once started)."""
        return self._port

    @property
    def client_count(self) -> int:
        """How many clients are connected, logged in or not."""
        return len(self._connections)

    async def start(self) -> None:
        """Listen for clients."""
        self._server = await asyncio.start_server(self._handle_client, self._host, self._port)
        self._port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Close every connection and stop listening."""
        if self._server is not None:
            self._server.close()
            await self.drop_clients()
            await self._server.wait_closed()
            self._server = None

    async def wait_for_client(self, timeout: float = 5) -> None:  # noqa: ASYNC109 - a test helper
        """Wait until a client is logged in; TimeoutError after timeout seconds."""
        async with asyncio.timeout(timeout):
            await self._client_logged_in.wait()

    async def drop_clients(self) -> None:
        """Close every connection, as a reboot of the camera does."""
        self._logged_in.clear()
        self._client_logged_in.clear()
        for writer in list(self._connections):
            writer.close()
        if self._handlers:
            await asyncio.wait(self._handlers)

    async def push(self, read: PlateRead, *, firmware: str = "1.6") -> None:
        """Send a recognition to every logged-in client."""
        await self.push_raw(
            encode_packet(COMM_RECOG_POST, encode_recognition(read, firmware=firmware))
        )

    async def push_raw(self, data: bytes) -> None:
        """Send arbitrary bytes to every logged-in client (for fault tests)."""
        for writer in list(self._logged_in):
            writer.write(data)
            with contextlib.suppress(ConnectionError):
                await writer.drain()

    async def _handle_client(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None  # noqa: S101 - the server runs each handler in a task
        self._handlers.add(task)
        self._connections.add(writer)
        decoder = PacketDecoder()
        try:
            while chunk := await reader.read(65536):
                for packet in decoder.feed(chunk):
                    if packet.command == COMM_LOGIN_REQ:
                        await self._answer_login(packet.data, writer)
        except (ConnectionError, ProtocolError) as err:
            _LOGGER.debug("Client left: %s", err)
        finally:
            self._forget(writer)
            self._handlers.discard(task)

    async def _answer_login(self, data: bytes, writer: asyncio.StreamWriter) -> None:
        self.login_attempts += 1
        status = self.reply_status or self._check_credentials(data)
        writer.write(encode_packet(COMM_LOGIN_REPLY, json.dumps({"result": status}).encode()))
        await writer.drain()
        if status == "200":
            self._logged_in.add(writer)
            self._client_logged_in.set()

    def _check_credentials(self, data: bytes) -> str:
        try:
            login = json.loads(data)
        except ValueError:
            return "400"
        credentials = (login.get("id"), login.get("password")) if isinstance(login, dict) else None
        return "200" if credentials == (self.username, self.password) else "401"

    def _forget(self, writer: asyncio.StreamWriter) -> None:
        writer.close()
        self._connections.discard(writer)
        self._logged_in.discard(writer)
        if not self._logged_in:
            self._client_logged_in.clear()


def make_jpeg(
    width: int, height: int, text: str, *, noise: bool = False, quality: int = 85
) -> bytes:
    """Draw the text on a picture of that size, as large as fits; noise makes a large JPEG.

    Sizes for benchmarks: 320x120 with noise is about 30 KB, 1280x720 with noise at
    quality 40 about 300 KB.
    """
    return _jpeg(_text_picture(width, height, text, noise=noise), quality)


def make_snapshot(plate: str, box: PlateBox = SAMPLE_PLATE_BOX) -> bytes:
    """The full picture of a read: the plate large, and its plate crop framed where box says.

    The plate log draws the read's plate box over the full picture: it surrounds a plate.
    """
    from PIL import ImageOps  # noqa: PLC0415 - a dev tool, not a runtime dependency

    picture = _text_picture(*FULL_SIZE, plate)
    size = (box.x2 - box.x1, box.y2 - box.y1)
    crop = _text_picture(*size, plate).crop((2, 2, size[0] - 2, size[1] - 2))
    picture.paste(ImageOps.expand(crop, border=2, fill="black"), (box.x1, box.y1))
    return _jpeg(picture)


def _text_picture(width: int, height: int, text: str, *, noise: bool = False) -> Image.Image:
    from PIL import Image, ImageDraw, ImageFont  # noqa: PLC0415 - a dev tool, not a runtime dependency

    size = (width, height)
    if noise:
        image = Image.frombytes("RGB", size, random.randbytes(width * height * 3))  # noqa: S311
    else:
        image = Image.new("RGB", size, "white")
    font = ImageFont.truetype(PICTURE_FONT, max(height // 3, 10))
    if (length := font.getlength(text)) > width * TEXT_WIDTH_SHARE:
        font = font.font_variant(size=max(int(font.size * width * TEXT_WIDTH_SHARE / length), 1))
    ImageDraw.Draw(image).text(
        (width // 2, height // 2), text, fill="black", font=font, anchor="mm"
    )
    return image


def _jpeg(image: Image.Image, quality: int = 85) -> bytes:
    output = io.BytesIO()
    image.save(output, "JPEG", quality=quality)
    return output.getvalue()


def sample_read(plate: str, *, time: datetime | None = None) -> PlateRead:
    """A firmware 1.6 read of an approaching white car: a 1280x720 snapshot and a plate crop."""
    return PlateRead(
        plate=plate,
        # The protocol carries milliseconds: a coarser time survives the round trip unchanged.
        time=_whole_milliseconds(time or datetime.now(UTC)),
        device_id=SAMPLE_DEVICE_ID,
        direction=Direction.APPROACHING,
        speed=30.0,
        vehicle_type=VehicleType.CAR,
        vehicle_colour=Colour.WHITE,
        plate_colour=Colour.YELLOW,
        list_type=ListType.VISITOR,
        region="WOB/ZK",
        detection_region=1,
        confidence=0.9,
        plate_box=SAMPLE_PLATE_BOX,
        resolution=FULL_SIZE,
        plate_image=make_jpeg(*PLATE_SIZE, plate),
        full_image=make_snapshot(plate),
    )


def random_read(rng: random.Random | None = None) -> PlateRead:
    """A read of a plate from DEMO_PLATES with random direction, vehicle and list."""
    rng = rng or random.Random()  # noqa: S311 - demo data, not cryptography
    return dataclasses.replace(
        sample_read(rng.choice(DEMO_PLATES)),
        direction=rng.choice([Direction.APPROACHING, Direction.DEPARTING]),
        speed=float(rng.randint(5, 60)),
        vehicle_type=rng.choice(list(VehicleType)),
        vehicle_colour=rng.choice(list(Colour)),
        list_type=rng.choice(list(ListType)),
        confidence=round(rng.uniform(0.6, 1.0), 2),
        radar=RadarData(rng.randint(5, 40), round(rng.uniform(-20, 20), 1), 1),
    )


def _whole_milliseconds(time: datetime) -> datetime:
    return time.replace(microsecond=time.microsecond // 1000 * 1000)


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
