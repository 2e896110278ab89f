"""An RTSP camera built on GStreamer's gst-rtsp-server, for tests/test_rtsp_gstreamer.py.

Not a test module and not imported by pytest: Debian's /usr/bin/python3 runs it (PyGObject
and GStreamer come from Debian's packages, not from the test venvs), so it must stay valid
Python 3.11 and import nothing from the project.

    /usr/bin/python3 -I tests/gst_rtsp_camera.py --username U --password P [--path /main]
    /usr/bin/python3 -I tests/gst_rtsp_camera.py --check

It serves, on 127.0.0.1 behind Digest authentication, a stream of two tracks: JPEG video
(videotestsrc) and an ONVIF metadata track (VND.ONVIF.METADATA, payload type 107). It prints
the port it bound on stdout, then reads stdin: every line is one metadata document in base64,
sent as RTP packets of at most CHUNK bytes of payload with the marker on the last. It exits
when stdin closes. `--check` only tells whether everything it needs is installed (exit 0) or
prints what is missing (exit 1).

The metadata track has no payloader: an appsrc named pay1 hands gst-rtsp-server ready-made
RTP packets (ONVIF's metadata payloader is in gst-plugins-bad, which this does not use).
"""

from __future__ import annotations

import argparse
import base64
import struct
import sys
import threading
import warnings
from typing import Any

PAYLOAD_TYPE = 107
CLOCK_RATE = 90000
CHUNK = 256
SSRC = 0x4C505243
METADATA_CAPS = (
    f"application/x-rtp,media=application,clock-rate={CLOCK_RATE},"
    f"encoding-name=VND.ONVIF.METADATA,payload={PAYLOAD_TYPE}"
)
LAUNCH = (
    "( videotestsrc is-live=true"
    " ! video/x-raw,format=I420,width=320,height=240,framerate=5/1"
    " ! jpegenc ! tee allow-not-linked=true ! rtpjpegpay name=pay0 pt=26"
    f' appsrc name=pay1 is-live=true format=time caps="{METADATA_CAPS}" )'
)
ELEMENTS = ("videotestsrc", "jpegenc", "tee", "rtpjpegpay", "appsrc")
# gst-rtsp-server only prepares a stream once every track has sent a packet: a document
# without events, as cameras send between events, goes out when the stream is built.
EMPTY_DOCUMENT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<tt:MetadataStream xmlns:tt="http://www.onvif.org/ver10/schema"/>'
)
ROLE = "camera-user"


def load_gstreamer() -> tuple[Any, Any, Any, Any]:
    """Gst, GstRtsp, GstRtspServer and GLib; ImportError or ValueError when not installed."""
    import gi  # type: ignore[import-not-found]  # noqa: PLC0415 - only Debian's Python has it

    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtsp", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    from gi.repository import (  # type: ignore[import-not-found]  # noqa: PLC0415
        GLib,
        Gst,
        GstRtsp,
        GstRtspServer,
    )

    Gst.init(None)
    return Gst, GstRtsp, GstRtspServer, GLib


def check() -> int:
    """0 when PyGObject, gst-rtsp-server and the pipeline's elements are there, else 1."""
    try:
        gst, _rtsp, _server, _glib = load_gstreamer()
    except (ImportError, ValueError) as err:
        sys.stdout.write(f"PyGObject or gst-rtsp-server is missing: {err}\n")
        return 1
    missing = [name for name in ELEMENTS if gst.ElementFactory.find(name) is None]
    if missing:
        sys.stdout.write(f"GStreamer elements are missing: {', '.join(missing)}\n")
        return 1
    return 0


class MetadataTrack:
    """Sends documents as RTP packets through the current stream's appsrc."""

    def __init__(self, gst: Any) -> None:
        self._gst = gst
        self._lock = threading.Lock()
        self._appsrc: Any = None
        self._sequence = 0

    def on_media_configure(self, _factory: Any, media: Any) -> None:
        """A stream was built (the first DESCRIBE, or again after the last client left)."""
        appsrc = media.get_element().get_by_name("pay1")
        with self._lock:
            self._appsrc = appsrc
        self.send(EMPTY_DOCUMENT)

    def send(self, document: bytes) -> None:
        """The document as RTP packets, the marker on the last; dropped while nobody watches."""
        with self._lock:
            appsrc = self._appsrc
            if appsrc is None:
                sys.stderr.write("gst_rtsp_camera: no stream yet, document dropped\n")
                return
            clock = appsrc.get_clock()
            running_time = clock.get_time() - appsrc.get_base_time() if clock else 0
            timestamp = running_time * CLOCK_RATE // self._gst.SECOND % (1 << 32)
            chunks = [document[i : i + CHUNK] for i in range(0, len(document), CHUNK)]
            for index, chunk in enumerate(chunks):
                marker = 0x80 if index == len(chunks) - 1 else 0
                header = struct.pack(
                    "!BBHII", 0x80, marker | PAYLOAD_TYPE, self._sequence, timestamp, SSRC
                )
                self._sequence = (self._sequence + 1) % (1 << 16)
                buffer = self._gst.Buffer.new_wrapped(header + chunk)
                buffer.pts = running_time
                appsrc.emit("push-buffer", buffer)


def serve(username: str, password: str, path: str) -> int:
    """Serve until stdin closes."""
    gst, gst_rtsp, gst_rtsp_server, glib = load_gstreamer()
    # gst-rtsp-server asks every payloader for its "pt"; an appsrc has none and GLib warns.
    warnings.filterwarnings("ignore", message=".*has no property named 'pt'")

    track = MetadataTrack(gst)
    factory = gst_rtsp_server.RTSPMediaFactory()
    factory.set_launch(LAUNCH)
    factory.set_shared(True)
    factory.connect("media-configure", track.on_media_configure)
    factory.add_role_from_structure(
        gst.Structure.from_string(
            f"{ROLE}, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"
        )[0]
    )

    auth = gst_rtsp_server.RTSPAuth()
    auth.set_supported_methods(gst_rtsp.RTSPAuthMethod.DIGEST)
    token = gst_rtsp_server.RTSPToken.new()
    token.set_string(gst_rtsp_server.RTSP_TOKEN_MEDIA_FACTORY_ROLE, ROLE)
    auth.add_digest(username, password, token)

    server = gst_rtsp_server.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service("0")
    server.set_auth(auth)
    server.get_mount_points().add_factory(path, factory)
    if server.attach(None) == 0:
        sys.stderr.write("gst_rtsp_camera: could not listen on 127.0.0.1\n")
        return 1
    sys.stdout.write(f"{server.get_bound_port()}\n")
    sys.stdout.flush()

    loop = glib.MainLoop()

    def read_documents() -> None:
        for line in sys.stdin.buffer:
            if line.strip():
                track.send(base64.b64decode(line))
        glib.idle_add(loop.quit)

    threading.Thread(target=read_documents, name="stdin", daemon=True).start()
    loop.run()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the installation")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--path", default="/main", help="the stream's mount path")
    args = parser.parse_args()
    if args.check:
        return check()
    return serve(args.username, args.password, args.path)


if __name__ == "__main__":
    sys.exit(main())
