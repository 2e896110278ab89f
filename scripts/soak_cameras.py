"""The soak's cameras: simulated cameras of the three types, the plates they read, hostile bodies.

Each camera runs in the soak's own event loop: the TCP type's camera (simulator/tcp.py), the RTSP
type's server and picture web server (simulator/rtsp_server.py, camera_web.py), and, for the HTTP
type, a client that posts to the camera's webhook as the camera's firmware does. `send` says
whether a read went out as a valid read: only those are expected as bus events.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import random
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from http import HTTPStatus
from typing import Any, ClassVar

import aiohttp

from custom_components.lpr_camera.const import CONNECTION_HTTP, CONNECTION_RTSP, CONNECTION_TCP
from custom_components.lpr_camera.lpr.http_push import MAX_BODY_BYTES, MAX_JSON_VALUES
from custom_components.lpr_camera.lpr.models import Direction
from scripts.demo_api import CAMERA_PASSWORD, CAMERA_USERNAME, LOOPBACK
from simulator.camera_web import CameraWebServer
from simulator.onvif_documents import metadata_stream, seed_event
from simulator.reads import PLATE_SIZE, make_jpeg, make_snapshot, sample_read
from simulator.rtsp_server import PATH as RTSP_PATH
from simulator.rtsp_server import RtspTestServer
from simulator.tcp import CameraSimulator

# A read's identity: the camera's entry id, the plate, the camera's time in milliseconds.
type ReadKey = tuple[str, str, int]
# The shares of known vehicles and of repeats (a car waiting at the gate); the rest pass by.
KNOWN_SHARE = 0.15
REPEAT_SHARE = 0.25
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
# The RTSP type's camera keeps its 10 latest pictures (README, the RTSP type).
PICTURES_KEPT = 10
# Reads posted at once by an HTTP camera in a flood; a 503 is sent again after Retry-After.
POSTS_AT_ONCE = 32
BUSY_RETRIES = 30
EVIDENCE_PICTURES = 5000
# Keys of pictures that do not decode, in one body (the 936,000 took 62 MiB per read):
# within the values a body may have, and far past them (refused before it is parsed).
UNDECODABLE_PICTURES = MAX_JSON_VALUES - 1_000
TOO_MANY_VALUES = 4 * MAX_JSON_VALUES
# A camera's clock gone wrong: beyond the margin, the read is filed by when it arrived.
FAR_FUTURE = datetime(9998, 6, 30, 12, tzinfo=UTC)
SAME_PLATE = "SAME 1"
NESTING = 100_000


@dataclass(frozen=True)
class Pictures:
    """A read's plate crop and full snapshot, as JPEG."""

    plate: bytes
    full: bytes


@lru_cache(maxsize=256)
def pictures_of(plate: str) -> Pictures:
    """The pictures of a plate (drawn once: known vehicles and repeats come back)."""
    return Pictures(make_jpeg(*PLATE_SIZE, plate), make_snapshot(plate))


@dataclass(frozen=True)
class Read:
    """One read a camera sends."""

    plate: str
    time: datetime  # aware, whole milliseconds
    direction: Direction
    pictures: Pictures | None  # None: the camera's pictures are turned off


def epoch_ms(time: datetime) -> int:
    """A time as whole milliseconds since 1970 (UTC)."""
    return round(time.timestamp() * 1000)


def key_of(fields: dict[str, Any]) -> ReadKey:
    """The identity of a read as Home Assistant tells it: a bus event's data or a plate log row.

    The time is ISO 8601 (an event, a websocket row) or seconds since 1970 (the database).
    """
    time = fields["time"]
    stamp = (
        datetime.fromisoformat(time) if isinstance(time, str) else datetime.fromtimestamp(time, UTC)
    )
    return (str(fields["config_entry_id"]), str(fields["plate"]), epoch_ms(stamp))


class PlateMix:
    """The plates of a busy gate: known vehicles now and then, repeats, mostly passers-by."""

    def __init__(self, rng: random.Random, known: Sequence[str]) -> None:
        """Known plates are the site's; every other plate is made up."""
        self._rng = rng
        self._known = known
        self._last: dict[str, str] = {}

    def next_plate(self, camera: str) -> str:
        """The plate a camera reads next."""
        draw = self._rng.random()
        if draw < KNOWN_SHARE:
            plate = self._rng.choice(self._known)
        elif draw < KNOWN_SHARE + REPEAT_SHARE and camera in self._last:
            plate = self._last[camera]
        else:
            plate = self.passer_by()
        self._last[camera] = plate
        return plate

    def passer_by(self) -> str:
        """A plate never seen before, in one of a few countries' ways of writing."""
        rng = self._rng

        def letters(count: int) -> str:
            return "".join(rng.choice(LETTERS) for _ in range(count))

        digits = rng.randint(1, 9999)
        return rng.choice(
            (
                f"{letters(2)}-{letters(2)} {digits}",  # German
                f"{letters(2)}{digits % 100:02d} {letters(3)}",  # British
                f"{letters(2)}-{digits % 1000:03d}-{letters(2)}",  # French
                f"{digits % 1000:03d} {letters(3)}",  # a US state's
            )
        )

    def direction(self) -> Direction:
        """Arriving or leaving."""
        return self._rng.choice((Direction.APPROACHING, Direction.DEPARTING))


class Camera(ABC):
    """A simulated camera of one type, known to Home Assistant by its entry."""

    kind: ClassVar[str]

    def __init__(self, name: str) -> None:
        """The camera's name is its entry's title."""
        self.name = name
        self.entry_id = ""
        self._last_ms = 0

    def now(self) -> datetime:
        """The camera's clock: whole milliseconds, never the same twice (a flood's reads too)."""
        ms = max(epoch_ms(datetime.now(UTC)), self._last_ms + 1)
        self._last_ms = ms
        return datetime.fromtimestamp(ms / 1000, UTC)

    def now_after(self, time: datetime) -> None:
        """The camera's clock goes on after `time`, a read it sent with a time of its own."""
        self._last_ms = max(self._last_ms, epoch_ms(time))

    async def start(self) -> None:  # noqa: B027 - the HTTP type has nothing to start
        """Start serving (the TCP and RTSP types listen; the HTTP type only posts)."""

    async def stop(self) -> None:  # noqa: B027 - nor to stop
        """Stop serving, as a camera that reboots or is switched off."""

    @property
    @abstractmethod
    def connected(self) -> bool:
        """Whether a read sent now reaches Home Assistant."""

    @abstractmethod
    def form(self) -> dict[str, Any]:
        """What the config flow's form of this type is filled in with."""

    @abstractmethod
    async def send(self, read: Read) -> bool:
        """Send a read; whether it went out as a valid read."""


class TcpCamera(Camera):
    """The TCP type: Home Assistant logs in, the camera pushes each read."""

    kind = CONNECTION_TCP

    def __init__(self, name: str) -> None:
        """A camera on a free port, once started."""
        super().__init__(name)
        self.server = CameraSimulator(CAMERA_USERNAME, CAMERA_PASSWORD)
        self._template = replace(sample_read("AB1234"), plate_image=None, full_image=None)

    async def start(self) -> None:
        """Listen; after a restart on the same port."""
        await self.server.start()

    async def stop(self) -> None:
        """Close the session and stop listening."""
        await self.server.stop()

    @property
    def connected(self) -> bool:
        """Whether Home Assistant is logged in."""
        return self.server.logged_in

    def form(self) -> dict[str, Any]:
        """Host, port and the credentials."""
        return {
            "host": LOOPBACK,
            "port": self.server.port,
            "username": CAMERA_USERNAME,
            "password": CAMERA_PASSWORD,
        }

    async def send(self, read: Read) -> bool:
        """Push the read to the logged-in session."""
        if not self.server.logged_in:
            return False
        pictures = read.pictures
        await self.server.push(
            replace(
                self._template,
                plate=read.plate,
                time=read.time,
                direction=read.direction,
                plate_image=pictures.plate if pictures else None,
                full_image=pictures.full if pictures else None,
            )
        )
        return True


class RtspCamera(Camera):
    """The RTSP type: ONVIF metadata in the stream, the picture fetched from the web server."""

    kind = CONNECTION_RTSP

    def __init__(self, name: str) -> None:
        """A stream and a web server on free ports, once started."""
        super().__init__(name)
        self.server = RtspTestServer()
        self.web = CameraWebServer(auth=None, pictures={})
        self._stream_port = 0  # a free one, kept once started
        self._kept: deque[str] = deque()
        self._pictures_taken = 0

    async def start(self) -> None:
        """Listen; after a restart on the same ports."""
        await self.server.start(self._stream_port)
        await self.web.start()  # it keeps its port
        self._stream_port = self.server.port

    async def stop(self) -> None:
        """Close the stream and the web server."""
        await self.web.stop()
        await self.server.stop()

    def keep(self, picture: bytes) -> str:
        """Keep a picture to be fetched, as the camera keeps its latest; its path."""
        self._pictures_taken += 1
        path = f"/LPR/{self._pictures_taken:08d}.jpg"
        self.web.pictures[path] = picture
        self._kept.append(path)
        while len(self._kept) > PICTURES_KEPT:
            self.web.pictures.pop(self._kept.popleft(), None)
        return path

    @property
    def connected(self) -> bool:
        """Whether Home Assistant plays the stream."""
        return self.server.playing

    def form(self) -> dict[str, Any]:
        """The stream's host, port and path, the web port, the credentials."""
        return {
            "host": LOOPBACK,
            "port": self._stream_port,
            "path": RTSP_PATH,
            "http_port": self.web.port,
            "username": CAMERA_USERNAME,
            "password": CAMERA_PASSWORD,
        }

    async def send(self, read: Read) -> bool:
        """Keep the picture for fetching, send the event in the stream."""
        if not self.server.playing:
            return False
        path = "" if read.pictures is None else self.keep(read.pictures.plate)
        direction = "1" if read.direction is Direction.APPROACHING else "2"
        time = read.time.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        event = seed_event(read.plate, picture=path, direction=direction, time=time)
        try:
            await self.server.send_document(metadata_stream(event))
        except ConnectionError:
            return False
        return True


class HttpCamera(Camera):
    """The HTTP type: the camera posts each read as JSON to its webhook."""

    kind = CONNECTION_HTTP

    def __init__(self, name: str, time_zone: tzinfo) -> None:
        """`time_zone`: Home Assistant's, in which the camera's local time is read."""
        super().__init__(name)
        self.url = ""  # the webhook's, known once the entry is made
        self.session: aiohttp.ClientSession | None = None  # one per life of Home Assistant
        self._time_zone = time_zone

    @property
    def connected(self) -> bool:
        """Whether the camera knows where to post."""
        return bool(self.url) and self.session is not None

    def form(self) -> dict[str, Any]:
        """The camera's name; no credentials."""
        return {"name": self.name}

    def body(self, read: Read, **more: Any) -> bytes:
        """A read as the firmware posts it: local time, its milliseconds, both pictures."""
        local = read.time.astimezone(self._time_zone)
        pictures = read.pictures
        return json.dumps(
            {
                "plate": read.plate,
                "time": f"{local:%Y-%m-%d %H:%M:%S}",
                "time_msec": local.microsecond // 1000,
                "direction": "Approach" if read.direction is Direction.APPROACHING else "Away",
                "Vehicle Type": "Car",
                **(
                    {
                        "plate_image": base64.b64encode(pictures.plate).decode(),
                        "full_image": base64.b64encode(pictures.full).decode(),
                    }
                    if pictures
                    else {}
                ),
                **more,
            }
        ).encode()

    async def send(self, read: Read) -> bool:
        """Post the read; a valid read is answered 200."""
        return await self.post(self.body(read)) == HTTPStatus.OK

    async def post(self, body: bytes) -> int:
        """Post a body; the status (sent again while 503), 0 when the connection failed.

        A request whose connection broke is not sent again: Home Assistant may have taken it.
        """
        if self.session is None:
            return 0
        for _ in range(BUSY_RETRIES):
            try:
                async with self.session.post(self.url, data=body) as response:
                    await response.read()
                    if response.status != HTTPStatus.SERVICE_UNAVAILABLE:
                        return response.status
                    await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
            except aiohttp.ClientError:
                return 0
        return HTTPStatus.SERVICE_UNAVAILABLE


@dataclass(frozen=True)
class HostileBody:
    """A body no camera should send, and the status Home Assistant answers it with."""

    name: str
    body: bytes
    expected: int
    read: Read | None = None  # the valid read it still carries: expected as a bus event


def undecodable(count: int) -> dict[str, str]:
    """So many evidence pictures that do not decode."""
    return {f"evidence_image{n}": "not a picture" for n in range(count)}


def hostile_bodies(camera: HttpCamera, mix: PlateMix, picture: bytes) -> list[HostileBody]:
    """The bodies the README's Bounds and HTTP type name, each around a read of its own."""
    evidence_picture = base64.b64encode(picture).decode()
    evidence = {f"evidence_image{n}": evidence_picture for n in range(EVIDENCE_PICTURES)}
    over_limit = b'{"plate": "AB1234", "x": "'
    over_limit += b"a" * (MAX_BODY_BYTES + 1 - len(over_limit) - 2) + b'"}'
    nested = b'{"plate": "AB1234", "x": ' + b"[" * NESTING + b"]" * NESTING + b"}"

    def read(time: datetime | None = None) -> Read:
        return Read(mix.passer_by(), time or camera.now(), mix.direction(), pictures_of("AB1234"))

    with_evidence, with_undecodable, far_future = read(), read(), read(FAR_FUTURE)
    return [
        HostileBody(
            f"{EVIDENCE_PICTURES} evidence pictures",
            camera.body(with_evidence, **evidence),
            HTTPStatus.OK,
            with_evidence,
        ),
        HostileBody(
            f"{UNDECODABLE_PICTURES} pictures that do not decode",
            camera.body(with_undecodable, **undecodable(UNDECODABLE_PICTURES)),
            HTTPStatus.OK,
            with_undecodable,
        ),
        HostileBody(
            f"{TOO_MANY_VALUES} pictures that do not decode",
            camera.body(read(), **undecodable(TOO_MANY_VALUES)),
            HTTPStatus.BAD_REQUEST,
        ),
        HostileBody(
            f"a read dated {FAR_FUTURE:%Y-%m-%d}",
            camera.body(far_future),
            HTTPStatus.OK,
            far_future,
        ),
        HostileBody("a body of 24 MiB + 1 byte", over_limit, HTTPStatus.BAD_REQUEST),
        HostileBody("garbage", os.urandom(4096), HTTPStatus.BAD_REQUEST),
        HostileBody(f"JSON nested {NESTING} deep", nested, HTTPStatus.BAD_REQUEST),
    ]


def same_second_reads(camera: Camera, count: int) -> list[Read]:
    """One plate read `count` times within one second, each with its pictures.

    Each has its own millisecond (the camera's time is the read's identity), all in the second
    after the camera's clock now.
    """
    second = camera.now().replace(microsecond=0) + timedelta(seconds=1)
    pictures = pictures_of(SAME_PLATE)
    reads = [
        Read(SAME_PLATE, second + timedelta(milliseconds=n), Direction.APPROACHING, pictures)
        for n in range(min(count, 1000))
    ]
    camera.now_after(reads[-1].time)
    return reads


def flood_reads(camera: Camera, mix: PlateMix, count: int) -> list[Read]:
    """A flood's reads: the plates of a busy road, one set of pictures (drawn once).

    The TCP camera's come without pictures (turned off on the camera): the smallest reads, so
    the most of them arrive in one piece of the stream.
    """
    pictures = None if isinstance(camera, TcpCamera) else pictures_of("FLOOD")
    return [Read(mix.passer_by(), camera.now(), mix.direction(), pictures) for _ in range(count)]


async def send_flood(camera: Camera, reads: list[Read]) -> list[Read]:
    """Send the reads as fast as the camera can; the reads that went out as valid reads."""
    if isinstance(camera, HttpCamera):
        posting = asyncio.Semaphore(POSTS_AT_ONCE)

        async def post(read: Read) -> bool:
            async with posting:
                return await camera.send(read)

        sent = await asyncio.gather(*(post(read) for read in reads))
        return [read for read, ok in zip(reads, sent, strict=True) if ok]
    return [read for read in reads if await camera.send(read)]
