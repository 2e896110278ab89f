"""Finding the ONVIF metadata track in a DESCRIBE answer."""

from __future__ import annotations

import pytest

from custom_components.lpr_camera.lpr import NoMetadataTrackError
from custom_components.lpr_camera.lpr.sdp import MetadataTrack, find_metadata_track
from simulator.rtsp_server import METADATA_SDP

BASE = "rtsp://192.0.2.10:554/onvif/metadata/"
HEADER = "v=0\r\no=- 0 0 IN IP4 192.0.2.10\r\ns=camera\r\nt=0 0\r\n"


def sdp(*lines: str) -> str:
    return HEADER + "".join(f"{line}\r\n" for line in lines)


def test_camera_with_video_audio_and_metadata() -> None:
    assert find_metadata_track(METADATA_SDP, BASE) == MetadataTrack(
        url=BASE + "trackID=3", session_url=BASE, payload_type=107, gzip=False
    )


def test_relative_control_is_appended_to_a_base_without_slash() -> None:
    """As ffmpeg and GStreamer do; RFC 3986 would replace the base's last segment."""
    track = find_metadata_track(
        sdp("m=application 0 RTP/AVP 98", "a=rtpmap:98 vnd.onvif.metadata/90000", "a=control:md"),
        "rtsp://cam/stream?channel=1",
    )

    assert track.url == "rtsp://cam/stream?channel=1/md"
    assert track.session_url == "rtsp://cam/stream?channel=1"


def test_absolute_control_urls() -> None:
    track = find_metadata_track(
        sdp(
            "a=control:rtsp://cam:8554/live",
            "m=application 0 RTP/AVP 96",
            "a=rtpmap:96 vnd.onvif.metadata/90000",
            "a=control:rtsp://cam:8554/live/metadata",
        ),
        BASE,
    )

    assert (track.url, track.session_url) == (
        "rtsp://cam:8554/live/metadata",
        "rtsp://cam:8554/live",
    )


def test_relative_media_control_resolves_against_the_session_control() -> None:
    track = find_metadata_track(
        sdp(
            "a=control:rtsp://cam/aggregate/",
            "m=application 0 RTP/AVP 96",
            "a=rtpmap:96 vnd.onvif.metadata/90000",
            "a=control:stream=2",
        ),
        BASE,
    )

    assert (track.url, track.session_url) == (
        "rtsp://cam/aggregate/stream=2",
        "rtsp://cam/aggregate/",
    )


def test_no_control_attribute_means_the_base() -> None:
    track = find_metadata_track(
        sdp("m=application 0 RTP/AVP 96", "a=rtpmap:96 vnd.onvif.metadata/90000"), BASE
    )

    assert track.url == track.session_url == BASE


@pytest.mark.parametrize(
    ("encoding", "gzip"),
    [
        ("vnd.onvif.metadata", False),
        ("VND.ONVIF.METADATA", False),
        ("vnd.onvif.metadata+gzip", True),
        ("Vnd.Onvif.Metadata.Gzip", True),
    ],
)
def test_encodings_compared_case_insensitively(encoding: str, gzip: bool) -> None:
    track = find_metadata_track(
        sdp("m=Application 0 RTP/AVP 99", f"a=rtpmap:99 {encoding}/90000", "a=control:t"), BASE
    )

    assert (track.payload_type, track.gzip) == (99, gzip)


def test_the_metadata_format_among_several_of_one_media_line() -> None:
    track = find_metadata_track(
        sdp(
            "m=application 0 RTP/AVP 100 101",
            "a=rtpmap:100 vnd.onvif.metadata.exi.onvif/90000",
            "a=rtpmap:101 vnd.onvif.metadata/90000",
            "a=control:t",
        ),
        BASE,
    )

    assert track.payload_type == 101


def test_bare_line_feeds() -> None:
    text = sdp("m=application 0 RTP/AVP 96", "a=rtpmap:96 vnd.onvif.metadata/90000").replace(
        "\r\n", "\n"
    )

    assert find_metadata_track(text, BASE).payload_type == 96


@pytest.mark.parametrize(
    "text",
    [
        "",
        "garbage",
        sdp("m=video 0 RTP/AVP 96", "a=rtpmap:96 H264/90000"),
        sdp("m=application 0 RTP/AVP 100", "a=rtpmap:100 vnd.onvif.metadata.exi.ext/90000"),
        sdp("m=application 0 RTP/AVP 96"),
        sdp("m=video 0 RTP/AVP 96", "a=rtpmap:96 vnd.onvif.metadata/90000"),
        sdp("m=application", "a=rtpmap:96 vnd.onvif.metadata/90000"),
    ],
)
def test_no_metadata_track(text: str) -> None:
    with pytest.raises(NoMetadataTrackError, match="no ONVIF metadata track"):
        find_metadata_track(text, BASE)


@pytest.mark.parametrize("payload_type", ["²", "9" * 5000], ids=["²", "5000 digits"])
def test_a_payload_type_of_other_digits_is_no_crash(payload_type: str) -> None:
    """`²` passes str.isdigit() but is no number, nor is int() of 5000 digits: not a ValueError."""
    text = sdp(
        f"m=application 0 RTP/AVP {payload_type}",
        f"a=rtpmap:{payload_type} vnd.onvif.metadata/90000",
    )

    with pytest.raises(NoMetadataTrackError):
        find_metadata_track(text, BASE)
