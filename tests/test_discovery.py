"""Discovery: Milesight cameras found by Home Assistant's DHCP watcher, offered and followed."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_socket  # type: ignore[import-untyped]
from homeassistant.config_entries import SOURCE_DHCP, SOURCE_IGNORE, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_MAC, CONF_NAME, CONF_PORT, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from homeassistant.loader import async_get_dhcp
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.lpr_camera.const import CONF_CONNECTION_TYPE, CONNECTION_HTTP, DOMAIN
from custom_components.lpr_camera.discovery import MILESIGHT_MAC_PREFIXES
from simulator.tcp import CameraSimulator

from .common import ENTRY_MINOR_VERSION, tcp_camera_entry
from .conftest import PASSWORD, USERNAME
from .test_config_flow import form_values, tcp_input

# A Milesight camera's MAC, as the DHCP watcher hands it over and as the entry keeps it.
MAC = "1cc316aabbcc"
MAC_KEPT = "1c:c3:16:aa:bb:cc"


def dhcp(ip: str, mac: str = MAC, hostname: str = "ms-lpr") -> DhcpServiceInfo:
    """What Home Assistant's DHCP watcher passes to the flow of a device it matched."""
    return DhcpServiceInfo(ip=ip, hostname=hostname, macaddress=mac)


async def discover(hass: HomeAssistant, ip: str, mac: str = MAC) -> Any:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=dhcp(ip, mac)
    )
    await hass.async_block_till_done()
    return result


def offered(hass: HomeAssistant) -> list[Any]:
    """The discovered cameras Home Assistant offers (its Discovered list)."""
    return [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_DHCP
    ]


def entry_with_mac(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    """The entry added (not set up) with the camera's MAC, as a discovery left it."""
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_MAC: MAC_KEPT})
    return entry


@pytest.fixture
async def moved_camera() -> AsyncIterator[CameraSimulator]:
    """A simulated camera at another address of the loopback network, 127.0.0.2.

    Home Assistant's test harness lets connections reach 127.0.0.1 only; this test lets them
    reach 127.0.0.2 too (the next test's setup takes it back), the address the camera moved to.
    """
    pytest_socket.socket_allow_hosts(["127.0.0.1", "127.0.0.2"], allow_unix_socket=True)
    simulator = CameraSimulator(username=USERNAME, password=PASSWORD, host="127.0.0.2")
    await simulator.start()
    yield simulator
    await simulator.stop()


async def test_home_assistant_watches_for_every_milesight_mac_prefix(hass: HomeAssistant) -> None:
    """The manifest's matchers, as Home Assistant's DHCP watcher loads them: one per OUI."""
    matchers = [m["macaddress"] for m in await async_get_dhcp(hass) if m["domain"] == DOMAIN]

    assert sorted(matchers) == sorted({f"{p[:6].upper()}*" for p in MILESIGHT_MAC_PREFIXES})


async def test_a_discovered_camera_is_offered_with_its_host_and_added_as_the_type_picked(
    hass: HomeAssistant, camera: CameraSimulator
) -> None:
    result = await discover(hass, "127.0.0.1")

    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "discovered"
    assert result["menu_options"] == ["tcp", "http", "rtsp"]
    assert result["description_placeholders"] == {"host": "127.0.0.1", "mac": MAC_KEPT}
    [flow] = offered(hass)
    assert flow["context"]["title_placeholders"] == {"name": "ms-lpr (127.0.0.1)"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "tcp"}
    )
    assert result["step_id"] == "tcp"
    assert form_values(result)[CONF_HOST] == "127.0.0.1"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        tcp_input(camera),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_MAC] == MAC_KEPT
    assert result["result"].unique_id == f"127.0.0.1:{camera.port}"
    await camera.wait_for_client()
    assert offered(hass) == []


async def test_a_discovered_camera_of_the_http_type_is_known_by_its_mac(
    hass: HomeAssistant,
) -> None:
    """An HTTP camera has no host to follow, but its MAC keeps it from being offered again."""
    result = await discover(hass, "192.168.1.20")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "http"}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_NAME: "Gate"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.data[CONF_MAC] == MAC_KEPT

    result = await discover(hass, "192.168.1.21")

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_CONNECTION_TYPE] == CONNECTION_HTTP
    assert entry.unique_id == entry.data[CONF_WEBHOOK_ID]


async def test_a_camera_given_another_host_on_its_form_gets_no_mac(
    hass: HomeAssistant, camera: CameraSimulator
) -> None:
    """The user knows better (another camera, or its host name): that entry follows no MAC."""
    result = await discover(hass, "192.168.1.20")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "tcp"}
    )

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        tcp_input(camera),
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_MAC not in result["data"]


async def test_a_camera_that_moved_is_followed_to_its_new_address(
    hass: HomeAssistant, moved_camera: CameraSimulator
) -> None:
    """DHCP gave the camera another address: the entry moves there and connects again."""
    # At 127.0.0.1, where the camera no longer is.
    entry = entry_with_mac(hass, tcp_camera_entry(moved_camera))
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY

    result = await discover(hass, "127.0.0.2")

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == "127.0.0.2"
    assert entry.unique_id == f"127.0.0.2:{moved_camera.port}"
    await moved_camera.wait_for_client()
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.lpr_camera_127_0_0_1_connection").state == "on"
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert device.configuration_url == "http://127.0.0.2"
    assert offered(hass) == []


async def test_a_camera_added_by_hand_learns_its_mac_from_a_discovery_at_its_host(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert CONF_MAC not in init_integration.data

    result = await discover(hass, "127.0.0.1")

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert init_integration.data[CONF_MAC] == MAC_KEPT
    assert init_integration.state is ConfigEntryState.LOADED


async def test_an_entry_that_follows_a_mac_is_not_taken_by_another_camera_at_its_host(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Another camera got the entry's old address: it is offered as a camera of its own."""
    hass.config_entries.async_update_entry(
        init_integration, data={**init_integration.data, CONF_MAC: MAC_KEPT}
    )

    result = await discover(hass, "127.0.0.1", mac="1cc316000001")

    assert result["type"] is FlowResultType.MENU
    assert init_integration.data[CONF_MAC] == MAC_KEPT


async def test_an_ignored_discovery_stays_ignored(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    assert await async_setup_component(hass, "config", {})
    result = await discover(hass, "192.168.1.20")
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "config_entries/ignore_flow", "flow_id": result["flow_id"], "title": "Gate"}
    )
    assert (await client.receive_json())["success"]
    await hass.async_block_till_done()
    [ignored] = hass.config_entries.async_entries(DOMAIN, include_ignore=True)
    assert ignored.source == SOURCE_IGNORE

    for address in ("192.168.1.20", "192.168.1.21"):
        result = await discover(hass, address)

        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "already_configured"
        assert offered(hass) == []


async def test_a_move_onto_another_entrys_camera_leaves_the_entry_where_it_is(
    hass: HomeAssistant, init_integration: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    """Two entries never share an id: the one that would take the other's stays, and says so."""
    moved = MockConfigEntry(
        domain=DOMAIN,
        title="Gate",
        unique_id=f"127.0.0.3:{init_integration.data[CONF_PORT]}",
        minor_version=ENTRY_MINOR_VERSION,
        data={**init_integration.data, CONF_HOST: "127.0.0.3", CONF_MAC: MAC_KEPT},
    )
    moved.add_to_hass(hass)

    with caplog.at_level(logging.WARNING):
        result = await discover(hass, "127.0.0.1")

    assert result["reason"] == "already_configured"
    assert moved.data[CONF_HOST] == "127.0.0.3"
    assert init_integration.unique_id == f"127.0.0.1:{init_integration.data[CONF_PORT]}"
    assert "Gate is now at 127.0.0.1, where LPR camera 127.0.0.1 is added too" in caplog.text


async def test_reconfigured_to_another_host_an_entry_forgets_its_mac(
    hass: HomeAssistant, camera: CameraSimulator
) -> None:
    """Moved by hand, it may be another camera: the next discovery at its address tells."""
    entry = entry_with_mac(hass, tcp_camera_entry(camera))
    await hass.config_entries.async_setup(entry.entry_id)
    result = await entry.start_reconfigure_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**form_values(result), CONF_HOST: "localhost"}
    )

    assert result["reason"] == "saved"
    assert entry.data[CONF_HOST] == "localhost"
    assert CONF_MAC not in entry.data


@pytest.mark.parametrize(
    ("mac", "offered_as_camera"),
    [("10dcb6512345", True), ("10dcb6012345", False), ("24e124abcdef", True)],
)
async def test_only_milesight_blocks_of_a_shared_oui_are_offered(
    hass: HomeAssistant, mac: str, offered_as_camera: bool
) -> None:
    """10:DC:B6 is shared: Milesight has its block 10:DC:B6:5, other companies the rest."""
    result = await discover(hass, "192.168.1.20", mac=mac)

    assert (result["type"] is FlowResultType.MENU) is offered_as_camera
    if not offered_as_camera:
        assert result["reason"] == "not_milesight_device"
