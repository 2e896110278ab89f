"""Config flow: every branch, against the simulated camera on 127.0.0.1."""

from __future__ import annotations

import asyncio
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import (
    CONF_HOST,
    CONF_NAME,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import (
    CONF_CONNECTION_TYPE,
    CONNECTION_HTTP,
    DOMAIN,
)
from simulator.tcp import CameraSimulator

from .common import ENTRY_MINOR_VERSION, STRINGS, saved_changes
from .conftest import PASSWORD, USERNAME


def tcp_input(camera: CameraSimulator, **changes: object) -> dict[str, object]:
    return {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: camera.port,
        CONF_USERNAME: USERNAME,
        CONF_PASSWORD: PASSWORD,
        **changes,
    }


def form_values(form: Any) -> dict[str, Any]:
    """The fields of a form, each with the value it shows (typed, or its default)."""
    return {
        key.schema: (key.description or {}).get(
            "suggested_value", key.default() if callable(key.default) else None
        )
        for key in form["data_schema"].schema
    }


async def start_tcp_flow(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["tcp", "http", "rtsp", "source"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "tcp"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "tcp"
    flow_id: str = result["flow_id"]
    return flow_id


async def test_tcp_form_starts_at_the_default_port(hass: HomeAssistant) -> None:
    flow_id = await start_tcp_flow(hass)

    result = await hass.config_entries.flow.async_configure(flow_id)  # shown again, untouched

    assert form_values(result) == {
        CONF_HOST: None,
        CONF_PORT: 5555,
        CONF_USERNAME: None,
        CONF_PASSWORD: None,
    }


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({CONF_PORT: 0}, {CONF_PORT: "port_out_of_range"}),
        ({CONF_PORT: 70000}, {CONF_PORT: "port_out_of_range"}),
        ({CONF_PORT: 55.5}, {CONF_PORT: "port_out_of_range"}),
        ({CONF_HOST: "http://127.0.0.1"}, {CONF_HOST: "invalid_host"}),
        ({CONF_HOST: "127.0.0.1/lpr"}, {CONF_HOST: "invalid_host"}),
        ({CONF_HOST: "  "}, {CONF_HOST: "invalid_host"}),
        (
            {CONF_HOST: "gate camera", CONF_PORT: 0},
            {CONF_HOST: "invalid_host", CONF_PORT: "port_out_of_range"},
        ),
    ],
)
async def test_a_field_that_does_not_fit_gets_its_own_error(
    hass: HomeAssistant, camera: CameraSimulator, changes: dict[str, Any], errors: dict[str, str]
) -> None:
    """Nothing is tried; the form shows what was typed, the error on its field."""
    flow_id = await start_tcp_flow(hass)

    result = await hass.config_entries.flow.async_configure(flow_id, tcp_input(camera, **changes))

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert form_values(result) == tcp_input(camera, **changes)
    assert camera.login_attempts == 0

    result = await hass.config_entries.flow.async_configure(
        flow_id, tcp_input(camera, host=" 127.0.0.1 ", port=float(camera.port))
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_CONNECTION_TYPE: "tcp", **tcp_input(camera)}


async def test_the_frontend_gets_the_port_as_a_box_with_its_bounds(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """The form as the browser gets it: the port starts at its default, in a box of 1 to 65535."""
    assert await async_setup_component(hass, "config", {})
    assert await async_setup_component(hass, DOMAIN, {})
    client = await hass_client()
    response = await client.post("/api/config/config_entries/flow", json={"handler": DOMAIN})
    menu = await response.json()

    response = await client.post(
        f"/api/config/config_entries/flow/{menu['flow_id']}", json={"next_step_id": "tcp"}
    )

    [port] = [field for field in (await response.json())["data_schema"] if field["name"] == "port"]
    assert port["default"] == 5555
    assert port["selector"] == {"number": {"min": 1, "max": 65535, "step": 1, "mode": "box"}}


async def test_a_port_that_is_no_number_is_refused_on_its_field_over_http(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, camera: CameraSimulator
) -> None:
    """Only the API can send one (the box takes digits): its error is a key, translated too."""
    assert await async_setup_component(hass, "config", {})
    flow_id = await start_tcp_flow(hass)
    client = await hass_client()

    response = await client.post(
        f"/api/config/config_entries/flow/{flow_id}", json=tcp_input(camera, port="gate")
    )

    assert response.status == 400
    assert (await response.json())["errors"] == {CONF_PORT: "not_a_number"}
    assert "not_a_number" in STRINGS["config"]["error"]


async def test_add_tcp_camera(hass: HomeAssistant, camera: CameraSimulator) -> None:
    """The flow logs in and creates the entry, known by its host and port."""
    flow_id = await start_tcp_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, tcp_input(camera))

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "LPR camera 127.0.0.1"
    assert result["description"] is None  # the default text, which has no placeholders
    assert result["data"] == {CONF_CONNECTION_TYPE: "tcp", **tcp_input(camera)}
    assert result["result"].unique_id == f"127.0.0.1:{camera.port}"
    assert camera.login_attempts >= 1


@pytest.mark.parametrize(
    ("fault", "error"),
    [("wrong_password", "invalid_auth"), ("offline", "cannot_connect"), ("status_500", "unknown")],
)
async def test_add_tcp_camera_errors_then_recover(
    hass: HomeAssistant, camera: CameraSimulator, refused_port: int, fault: str, error: str
) -> None:
    """Each failure shows its error on the form; fixing it creates the entry."""
    flow_id = await start_tcp_flow(hass)
    bad_input = tcp_input(camera)
    if fault == "wrong_password":
        bad_input[CONF_PASSWORD] = "wrong"
    elif fault == "offline":
        bad_input[CONF_PORT] = refused_port
    else:
        camera.reply_status = "500"

    result = await hass.config_entries.flow.async_configure(flow_id, bad_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}

    camera.reply_status = None
    result = await hass.config_entries.flow.async_configure(flow_id, tcp_input(camera))
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_unexpected_error_is_unknown(hass: HomeAssistant, camera: CameraSimulator) -> None:
    """A bug of ours shows "unknown" rather than a broken form."""
    flow_id = await start_tcp_flow(hass)
    with patch(
        "custom_components.lpr_camera.config_flow.check_login", side_effect=RuntimeError("boom")
    ):
        result = await hass.config_entries.flow.async_configure(flow_id, tcp_input(camera))
    assert result["errors"] == {"base": "unknown"}


async def test_same_camera_twice_is_refused_on_the_form(
    hass: HomeAssistant, config_entry: MockConfigEntry, camera: CameraSimulator
) -> None:
    """The same address and port cannot be added twice; the form stays, to fix a typo."""
    config_entry.add_to_hass(hass)
    flow_id = await start_tcp_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, tcp_input(camera))

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "already_configured"}
    assert form_values(result)[CONF_PORT] == camera.port
    assert camera.login_attempts == 0


async def test_the_same_host_written_differently_is_the_same_camera(
    hass: HomeAssistant, camera: CameraSimulator
) -> None:
    """A host name in other letter case (and spaces around it) is the camera already added."""
    flow_id = await start_tcp_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, tcp_input(camera, host="localhost")
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    attempts = camera.login_attempts

    flow_id = await start_tcp_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, tcp_input(camera, host=" LocalHost ")
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "already_configured"}
    assert camera.login_attempts == attempts
    await hass.async_block_till_done()


async def test_two_forms_at_once_add_the_camera_once(
    hass: HomeAssistant, camera: CameraSimulator
) -> None:
    """Both pass the check before the login; the one to finish second is refused after it."""
    flow_ids = [await start_tcp_flow(hass), await start_tcp_flow(hass)]

    results = await asyncio.gather(
        *(
            hass.config_entries.flow.async_configure(flow_id, tcp_input(camera))
            for flow_id in flow_ids
        )
    )

    assert sorted(result["type"] for result in results) == [
        FlowResultType.CREATE_ENTRY,
        FlowResultType.FORM,
    ]
    assert [result["errors"] for result in results if result["type"] is FlowResultType.FORM] == [
        {"base": "already_configured"}
    ]
    await hass.async_block_till_done()


async def test_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """A new password is checked, stored, and the entry reloaded."""
    camera.password = "new-secret"
    result = await init_integration.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: "still-wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: "new-secret"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert init_integration.data[CONF_PASSWORD] == "new-secret"
    await hass.async_block_till_done()
    await camera.wait_for_client()


async def test_reconfigure(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    refused_port: int,
) -> None:
    """The camera moved to another port: the flow checks the new one and reloads."""
    moved = CameraSimulator(username=USERNAME, password=PASSWORD)
    await moved.start()
    try:
        result = await init_integration.start_reconfigure_flow(hass)
        assert result["step_id"] == "reconfigure"

        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], tcp_input(camera, port=refused_port)
        )
        assert result["errors"] == {"base": "cannot_connect"}

        result = await hass.config_entries.flow.async_configure(result["flow_id"], tcp_input(moved))
        assert saved_changes(result) == [f"Port: {camera.port} → {moved.port}"]
        assert init_integration.data[CONF_PORT] == moved.port
        # Another address is another camera: the entry's unique id follows it.
        assert init_integration.unique_id == f"127.0.0.1:{moved.port}"
        await hass.async_block_till_done()
        await moved.wait_for_client()
    finally:
        await moved.stop()


@pytest.mark.parametrize("typed_host", ["gate.example", " Gate.EXAMPLE "])
async def test_reconfigure_onto_other_camera_is_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    typed_host: str,
) -> None:
    """Reconfiguring cannot make two entries of one camera, however its host is written.

    The form stays; the entry keeps its address and unique id.
    """
    other = MockConfigEntry(
        domain=DOMAIN,
        unique_id="gate.example:5555",
        minor_version=ENTRY_MINOR_VERSION,
        data={CONF_CONNECTION_TYPE: "tcp", **tcp_input(camera, host="gate.example", port=5555)},
    )
    other.add_to_hass(hass)
    result = await init_integration.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], tcp_input(camera, host=typed_host, port=5555)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "already_configured"}
    assert init_integration.unique_id == f"127.0.0.1:{camera.port}"

    result = await hass.config_entries.flow.async_configure(result["flow_id"], tcp_input(camera))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unchanged"
    assert init_integration.unique_id == f"127.0.0.1:{camera.port}"
    await hass.async_block_till_done()


async def test_add_http_camera_shows_urls(hass: HomeAssistant) -> None:
    """The form and the result show the webhook URLs to paste into the camera."""
    await async_process_ha_core_config(hass, {"internal_url": "http://192.0.2.10:8123"})
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "http"}
    )
    assert result["step_id"] == "http"
    post_url = result["description_placeholders"]["post_url"]
    assert post_url.startswith("http://192.0.2.10:8123/api/webhook/")
    assert result["description_placeholders"]["get_url"] == f"{post_url}?"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Gate", CONF_USERNAME: "cam", CONF_PASSWORD: "pw"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Gate"
    webhook_id = result["data"][CONF_WEBHOOK_ID]
    assert post_url.endswith(webhook_id)
    assert result["result"].unique_id == webhook_id
    # Its own text (create_entry.http): the URLs are no text for a TCP or RTSP camera.
    assert result["description"] == "http"
    assert result["description_placeholders"]["post_url"] == post_url
    assert result["data"] == {
        CONF_CONNECTION_TYPE: CONNECTION_HTTP,
        CONF_WEBHOOK_ID: webhook_id,
        CONF_USERNAME: "cam",
        CONF_PASSWORD: "pw",
    }


async def test_add_http_camera_without_url_or_credentials(hass: HomeAssistant) -> None:
    """No URL configured, no address but loopback: a placeholder stands for the address."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert hass.config.api is not None  # the web server is set up with the integration
    hass.config.api.local_ip = "127.0.0.1"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "http"}
    )
    post_url = result["description_placeholders"]["post_url"]
    assert post_url.startswith("http://HOME_ASSISTANT_ADDRESS:8123/api/webhook/")
    assert result["description_placeholders"]["get_url"] == f"{post_url}?"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_NAME: "Drive"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert post_url.endswith(result["data"][CONF_WEBHOOK_ID])
    assert result["data"][CONF_USERNAME] == ""
    assert result["data"][CONF_PASSWORD] == ""


async def test_each_http_camera_is_its_webhook(hass: HomeAssistant) -> None:
    """The same name twice is two cameras: each posts to its own URL, its webhook its identity."""
    webhook_ids = []
    for _ in range(2):
        result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"next_step_id": "http"}
        )
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_NAME: "Gate"}
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        webhook_ids.append(result["data"][CONF_WEBHOOK_ID])

    entries = hass.config_entries.async_entries(DOMAIN)
    assert {entry.unique_id for entry in entries if entry.title == "Gate"} == set(webhook_ids)
    assert webhook_ids[0] != webhook_ids[1]
    await hass.async_block_till_done()


async def test_http_camera_needs_a_name(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "http"}
    )

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "  ", CONF_USERNAME: "cam"}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_NAME: "invalid_name"}
    assert form_values(result)[CONF_USERNAME] == "cam"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: " Gate ", CONF_USERNAME: "cam"}
    )
    assert result["title"] == "Gate"


def http_config_entry() -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Gate",
        data={
            CONF_CONNECTION_TYPE: CONNECTION_HTTP,
            CONF_WEBHOOK_ID: "gate-hook",
            CONF_USERNAME: "",
            CONF_PASSWORD: "",
        },
    )


async def test_reconfigure_http_credentials(hass: HomeAssistant) -> None:
    """The credentials change; the webhook (and so the URL) stays."""
    entry = http_config_entry()
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_http"
    assert result["description_placeholders"]["post_url"].endswith("/api/webhook/gate-hook")

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "cam", CONF_PASSWORD: "new"}
    )
    # The password is named, never shown.
    assert saved_changes(result) == ["Username: — → cam", "Password: •••"]
    assert entry.data[CONF_WEBHOOK_ID] == "gate-hook"
    assert entry.unique_id == "gate-hook"
    assert entry.data[CONF_PASSWORD] == "new"
    # The saved change reloads the entry (and sets up the site): done before the test ends.
    await hass.async_block_till_done()
