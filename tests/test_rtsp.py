"""The RTSP type inside Home Assistant: config flow and reads, against the tests' RTSP camera."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import (
    CONF_CONNECTION_TYPE,
    CONF_HTTP_PORT,
    CONF_PATH,
    CONNECTION_RTSP,
    DOMAIN,
    EVENT_PLATE_RECOGNIZED,
)
from simulator.camera_web import CameraWebServer
from simulator.http_auth import CameraAuth
from simulator.onvif_documents import SEED_PICTURE, metadata_stream, seed_event
from simulator.rtsp_server import PATH, RtspTestServer

from .common import ENTRY_MINOR_VERSION, OTHER_TURN, saved_changes, turns_of_a_burst, wait_for

USERNAME = "admin"
PASSWORD = "rtsp-secret"
PICTURE = b"\xff\xd8\xff\xe0seed-plate-picture\xff\xd9"
PLATE = "sensor.lpr_camera_127_0_0_1_last_plate"
CONNECTION = "binary_sensor.lpr_camera_127_0_0_1_connection"
PLATE_IMAGE = "image.lpr_camera_127_0_0_1_plate_picture"
REFUSED = object()  # stands for the port of the refused_port fixture


class MainPathServer(RtspTestServer):
    """A camera serving its metadata on /main, a path the flow tries when none is given."""

    @property
    def url(self) -> str:
        return f"rtsp://127.0.0.1:{self.port}/main"


@pytest.fixture
async def rtsp_camera() -> AsyncIterator[RtspTestServer]:
    server = RtspTestServer(auth=CameraAuth(USERNAME, PASSWORD))
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def camera_web() -> AsyncIterator[CameraWebServer]:
    server = CameraWebServer(auth=CameraAuth(USERNAME, PASSWORD), pictures={SEED_PICTURE: PICTURE})
    await server.start()
    yield server
    await server.stop()


def rtsp_input(rtsp_port: int, **changes: object) -> dict[str, object]:
    return {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: rtsp_port,
        CONF_PATH: PATH,
        CONF_HTTP_PORT: 80,
        CONF_USERNAME: USERNAME,
        CONF_PASSWORD: PASSWORD,
        **changes,
    }


def rtsp_entry(rtsp_port: int, **changes: object) -> MockConfigEntry:
    data = rtsp_input(rtsp_port, **changes)
    return MockConfigEntry(
        domain=DOMAIN,
        title="LPR camera 127.0.0.1",
        unique_id=f"127.0.0.1:{rtsp_port}{data[CONF_PATH]}",
        minor_version=ENTRY_MINOR_VERSION,
        data={CONF_CONNECTION_TYPE: CONNECTION_RTSP, **data},
    )


async def start_rtsp_flow(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "rtsp"}
    )
    assert result["step_id"] == "rtsp"
    flow_id: str = result["flow_id"]
    return flow_id


async def test_add_rtsp_camera(hass: HomeAssistant, rtsp_camera: RtspTestServer) -> None:
    flow_id = await start_rtsp_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, rtsp_input(rtsp_camera.port))

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        CONF_CONNECTION_TYPE: CONNECTION_RTSP,
        **rtsp_input(rtsp_camera.port),
    }
    assert result["result"].unique_id == f"127.0.0.1:{rtsp_camera.port}/onvif/metadata"


async def test_empty_path_finds_the_metadata_track(hass: HomeAssistant) -> None:
    camera = MainPathServer(auth=CameraAuth(USERNAME, PASSWORD))
    await camera.start()
    try:
        flow_id = await start_rtsp_flow(hass)
        result = await hass.config_entries.flow.async_configure(
            flow_id, rtsp_input(camera.port, path="")
        )
    finally:
        await camera.stop()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PATH] == "/main"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({CONF_PASSWORD: "wrong"}, "invalid_auth"),
        ({CONF_PATH: "/no/such/stream"}, "no_metadata_track"),
        ({CONF_PATH: ""}, "no_metadata_track"),
        ({CONF_PORT: REFUSED}, "cannot_connect"),
    ],
)
async def test_rtsp_flow_errors_then_recover(
    hass: HomeAssistant,
    rtsp_camera: RtspTestServer,
    refused_port: int,
    changes: dict[str, object],
    error: str,
) -> None:
    changes = {key: refused_port if value is REFUSED else value for key, value in changes.items()}
    flow_id = await start_rtsp_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, rtsp_input(rtsp_camera.port, **changes)
    )
    assert result["errors"] == {"base": error}

    result = await hass.config_entries.flow.async_configure(flow_id, rtsp_input(rtsp_camera.port))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_stream_without_metadata_track(hass: HomeAssistant) -> None:
    camera = RtspTestServer(sdp="v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n")
    await camera.start()
    try:
        flow_id = await start_rtsp_flow(hass)
        result = await hass.config_entries.flow.async_configure(flow_id, rtsp_input(camera.port))
    finally:
        await camera.stop()
    assert result["errors"] == {"base": "no_metadata_track"}


async def test_reads_with_pictures_and_reconnect(
    hass: HomeAssistant,
    rtsp_camera: RtspTestServer,
    camera_web: CameraWebServer,
    hass_client: ClientSessionGenerator,
) -> None:
    """A plate event in the metadata track is a read; its picture comes from the web port."""
    entry = rtsp_entry(rtsp_camera.port, http_port=camera_web.port)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

    await rtsp_camera.send_document(metadata_stream(seed_event()), size=200)
    await wait_for(lambda: events)

    assert hass.states.get(PLATE).state == "43 거 6510"
    assert events[0].data["direction"] == "approaching"
    assert events[0].data["speed"] == 25
    client = await hass_client()
    picture = await client.get(hass.states.get(PLATE_IMAGE).attributes["entity_picture"])
    assert await picture.read() == PICTURE

    await rtsp_camera.drop()
    await wait_for(lambda: hass.states.get(CONNECTION).state == "off")
    await wait_for(lambda: rtsp_camera.playing)
    await wait_for(lambda: hass.states.get(CONNECTION).state == "on")
    await rtsp_camera.send_document(metadata_stream(seed_event("B 77")))
    await wait_for(lambda: hass.states.get(PLATE).state == "B 77")


async def test_rtsp_reauth(hass: HomeAssistant, rtsp_camera: RtspTestServer) -> None:
    """The camera's password changed: the reauth flow checks the new one with DESCRIBE."""
    entry = rtsp_entry(rtsp_camera.port, password="old")
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: "still-old"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: PASSWORD}
    )
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_PASSWORD] == PASSWORD
    await hass.async_block_till_done()
    await wait_for(lambda: rtsp_camera.playing)


async def test_rtsp_reconfigure_finds_the_new_path(hass: HomeAssistant) -> None:
    """Reconfigure with an empty path looks for the metadata track again."""
    camera = MainPathServer(auth=CameraAuth(USERNAME, PASSWORD))
    await camera.start()
    try:
        entry = rtsp_entry(camera.port, path="/old")
        entry.add_to_hass(hass)
        result = await entry.start_reconfigure_flow(hass)
        assert result["step_id"] == "reconfigure"
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], rtsp_input(camera.port, path="")
        )
        assert saved_changes(result) == ["Stream path: /old → /main"]
        assert entry.data[CONF_PATH] == "/main"
        assert entry.unique_id == f"127.0.0.1:{camera.port}/main"
        await hass.async_block_till_done()
        await wait_for(lambda: camera.playing)
    finally:
        await camera.stop()


async def test_channels_of_one_nvr_are_cameras_of_their_own(
    hass: HomeAssistant, rtsp_camera: RtspTestServer
) -> None:
    """Same host and RTSP port, another path: another camera; the same path is refused."""
    rtsp_entry(rtsp_camera.port, path="/onvif/channel2").add_to_hass(hass)

    flow_id = await start_rtsp_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, rtsp_input(rtsp_camera.port))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    connections = rtsp_camera.connections

    # The same stream, its path without the leading slash or with two: refused before a try.
    for changes in ({CONF_PATH: PATH.lstrip("/")}, {CONF_PATH: "/" + PATH}):
        flow_id = await start_rtsp_flow(hass)
        result = await hass.config_entries.flow.async_configure(
            flow_id, rtsp_input(rtsp_camera.port, **changes)
        )
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {"base": "already_configured"}
    assert rtsp_camera.connections == connections


async def test_found_path_of_a_camera_already_added_is_refused(hass: HomeAssistant) -> None:
    """An empty path that leads to a stream already added is the same camera."""
    camera = MainPathServer(auth=CameraAuth(USERNAME, PASSWORD))
    await camera.start()
    try:
        rtsp_entry(camera.port, path="/main").add_to_hass(hass)
        flow_id = await start_rtsp_flow(hass)
        result = await hass.config_entries.flow.async_configure(
            flow_id, rtsp_input(camera.port, path="")
        )
    finally:
        await camera.stop()
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "already_configured"}


async def test_rtsp_ports_that_do_not_fit_are_refused_on_their_fields(
    hass: HomeAssistant, rtsp_camera: RtspTestServer
) -> None:
    """Adding and reconfiguring: each port its own error; the stream is not tried."""
    flow_id = await start_rtsp_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, rtsp_input(0, http_port=65536))
    assert result["errors"] == {
        CONF_PORT: "port_out_of_range",
        CONF_HTTP_PORT: "http_port_out_of_range",
    }
    assert rtsp_camera.connections == 0

    entry = rtsp_entry(rtsp_camera.port)
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], rtsp_input(rtsp_camera.port, http_port=-80)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HTTP_PORT: "http_port_out_of_range"}
    assert entry.data[CONF_HTTP_PORT] == 80


async def test_a_burst_of_reads_lets_home_assistant_answer_between_them(
    hass: HomeAssistant, rtsp_camera: RtspTestServer
) -> None:
    """Reads that arrive at once are not all handed on in one go: others get their turn."""
    entry = rtsp_entry(rtsp_camera.port)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    plates = [f"BURST{n}" for n in range(100)]
    order = turns_of_a_burst(hass)
    documents = [metadata_stream(seed_event(plate, picture="")) for plate in plates]
    await rtsp_camera.send(*(p for document in documents for p in rtsp_camera.packets(document)))
    await wait_for(lambda: len(order) == len(plates) + 1)

    assert [plate for plate in order if plate != OTHER_TURN] == plates
    assert order.index(OTHER_TURN) < len(plates)
