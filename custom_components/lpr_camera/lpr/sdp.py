"""Find the ONVIF metadata track in a DESCRIBE answer (SDP, RFC 8866) and where to control it."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .exceptions import NoMetadataTrackError
from .values import as_ascii_integer

# rtpmap encoding names (compared lower-case) and whether the documents are gzip-compressed.
# ONVIF's streaming specification spells the compressed one `.gzip`; cameras also send `+gzip`.
_METADATA_ENCODINGS = {
    "vnd.onvif.metadata": False,
    "vnd.onvif.metadata+gzip": True,
    "vnd.onvif.metadata.gzip": True,
}


@dataclass(frozen=True, slots=True)
class MetadataTrack:
    """The metadata track of a stream."""

    # SETUP goes to the track's URL; PLAY, keepalives and TEARDOWN to the session's.
    url: str
    session_url: str
    payload_type: int
    gzip: bool


@dataclass(slots=True)
class _Media:
    kind: str
    formats: list[str]
    encodings: dict[str, str] = field(default_factory=dict)
    control: str | None = None


def find_metadata_track(sdp: str, base_url: str) -> MetadataTrack:
    """Pick the first metadata track of the SDP.

    `base_url` is what relative control URLs resolve against: the DESCRIBE answer's
    Content-Base, else its Content-Location, else the URL that was described.
    Raises NoMetadataTrackError when the stream has none (or only EXI-encoded ones).
    """
    session_control, media = _parse(sdp)
    session_url = _resolve(session_control, base_url)
    for section in media:
        if section.kind != "application":
            continue
        for payload_type in section.formats:
            gzip = _METADATA_ENCODINGS.get(section.encodings.get(payload_type, ""))
            if gzip is not None and (number := as_ascii_integer(payload_type)) is not None:
                return MetadataTrack(
                    url=_resolve(section.control, session_url),
                    session_url=session_url,
                    payload_type=number,
                    gzip=gzip,
                )
    kinds = ", ".join(f"{m.kind} ({', '.join(m.encodings.values())})" for m in media) or "none"
    raise NoMetadataTrackError(f"the stream has no ONVIF metadata track; its tracks: {kinds}")


def _parse(sdp: str) -> tuple[str | None, list[_Media]]:
    """The session-level control attribute and the media sections."""
    session_control: str | None = None
    media: list[_Media] = []
    for line in sdp.splitlines():
        kind, _, value = line.strip().partition("=")
        if kind == "m":
            fields = value.split()
            media.append(_Media(fields[0].lower() if fields else "", fields[3:]))
            continue
        if kind != "a":
            continue
        name, _, attribute = value.partition(":")
        if name == "control":
            if media:
                media[-1].control = attribute.strip()
            else:
                session_control = attribute.strip()
        elif name == "rtpmap" and media:
            payload_type, _, encoding = attribute.strip().partition(" ")
            media[-1].encodings[payload_type] = encoding.partition("/")[0].strip().lower()
    return session_control, media


def _resolve(control: str | None, base_url: str) -> str:
    """A control URL made absolute the way cameras expect (as ffmpeg and GStreamer do).

    A relative one is appended to the base as a path segment, even when the base has no
    trailing slash: RFC 3986 resolution would replace the base's last segment instead.
    """
    if not control or control == "*":
        return base_url
    try:
        absolute = urlsplit(control)
    except ValueError as err:  # brackets around no IPv6 address, say
        raise NoMetadataTrackError(f"the track's control URL {control!r} is no URL") from err
    if absolute.scheme and absolute.netloc:
        return control
    return base_url + ("" if base_url.endswith("/") else "/") + control
