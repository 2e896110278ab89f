"""Discovery: Milesight cameras that Home Assistant's DHCP watcher finds by their MAC.

A camera added from a discovery keeps its MAC in its entry's data, and so does a camera added by
hand, the first time a discovery finds a MAC at its host. A later discovery of that MAC at
another address moves the entry there: its host and its unique id (which holds the host), then
a reload. The MAC, not the address, is what stays when DHCP hands the camera another address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import (
    SOURCE_DHCP,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
)
from homeassistant.const import CONF_HOST, CONF_MAC
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import format_mac
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo

from .const import (
    CONF_CONNECTION_TYPE,
    CONNECTION_HTTP,
    CONNECTION_RTSP,
    CONNECTION_TCP,
    DOMAIN,
    LOGGER,
)
from .identity import entry_unique_id

# Milesight's blocks in the IEEE registry: the MA-L (OUI) 1C:C3:16, 24:E1:24 and C0:BA:1F, and
# the MA-M 10:DC:B6:5 (28 bits). Home Assistant matches a DHCP matcher by the first 6 digits
# only, so the manifest's 10DCB6* also hands over the other companies of that OUI: this list
# tells them apart.
MILESIGHT_MAC_PREFIXES = ("1cc316", "24e124", "c0ba1f", "10dcb65")


@dataclass(frozen=True, slots=True)
class DiscoveredCamera:
    """A camera as a discovery found it: its address and its MAC (`aa:bb:cc:dd:ee:ff`)."""

    host: str
    mac: str


class DiscoveryFlow(ConfigFlow):
    """The steps that offer a discovered camera; the integration's flow is one."""

    # Set by the discovery's first step.
    _discovered: DiscoveredCamera

    async def async_step_dhcp(self, discovery_info: DhcpServiceInfo) -> ConfigFlowResult:
        """Offer a Milesight camera found on the network, unless an entry has it already."""
        mac = format_mac(discovery_info.macaddress)
        if not mac.replace(":", "").startswith(MILESIGHT_MAC_PREFIXES):
            return self.async_abort(reason="not_milesight_device")
        camera = DiscoveredCamera(discovery_info.ip, mac)
        if _async_entries_know(self.hass, camera):
            return self.async_abort(reason="already_configured")
        # The MAC is the flow's unique id: a discovery the user ignored stays ignored.
        await self.async_set_unique_id(mac)
        self._abort_if_unique_id_configured()
        self._discovered = camera
        hostname = discovery_info.hostname
        self.context["title_placeholders"] = {
            "name": f"{hostname} ({camera.host})" if hostname else camera.host
        }
        return await self.async_step_discovered()

    async def async_step_discovered(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Let the user pick how the camera found reports; that type's form then has its host."""
        camera = self._discovered
        return self.async_show_menu(
            step_id="discovered",
            menu_options=[CONNECTION_TCP, CONNECTION_HTTP, CONNECTION_RTSP],
            description_placeholders={"host": camera.host, "mac": camera.mac},
        )

    def _discovered_host(self) -> dict[str, str]:
        """The discovered camera's host, as a form's suggestion (none without a discovery)."""
        return {CONF_HOST: self._discovered.host} if self.source == SOURCE_DHCP else {}

    def _discovered_mac(self, host: str | None) -> dict[str, str]:
        """The discovered camera's MAC, for an entry at its host (or of the HTTP type: no host).

        An entry the user gave another host is not known to be that camera: it gets none.
        """
        if self.source != SOURCE_DHCP:
            return {}
        camera = self._discovered
        if host is not None and host.lower() != camera.host.lower():
            return {}
        return {CONF_MAC: camera.mac}


@callback
def _async_entries_know(hass: HomeAssistant, camera: DiscoveredCamera) -> bool:
    """Whether an entry has the camera; it learns of the discovery.

    The entries with its MAC move to its address. Else the entries without a MAC whose host is
    its address (added by hand) take its MAC: from now on they follow it.
    """
    cameras = [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN, include_ignore=False)
        if CONF_CONNECTION_TYPE in entry.data
    ]
    if followed := [entry for entry in cameras if entry.data.get(CONF_MAC) == camera.mac]:
        for entry in followed:
            _async_move(hass, entry, camera.host)
        return True
    host = camera.host.lower()
    at_host = [
        entry
        for entry in cameras
        if CONF_MAC not in entry.data and str(entry.data.get(CONF_HOST, "")).lower() == host
    ]
    for entry in at_host:
        hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_MAC: camera.mac})
    return bool(at_host)


@callback
def _async_move(hass: HomeAssistant, entry: ConfigEntry, host: str) -> None:
    """Move the entry to the camera's new address and reconnect there.

    An HTTP camera has no host to change (it comes to Home Assistant). An address where another
    entry's camera is already added leaves the entry where it is, as Reconfigure would.
    """
    if entry.data.get(CONF_HOST, host) == host:
        return
    data = {**entry.data, CONF_HOST: host}
    unique_id = entry_unique_id(data)
    holder = hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, unique_id)
    if holder is not None and holder.entry_id != entry.entry_id:
        LOGGER.warning(
            "%s is now at %s, where %s is added too: it stays at %s",
            entry.title,
            host,
            holder.title,
            entry.data[CONF_HOST],
        )
        return
    LOGGER.info("%s moved to %s: connecting there", entry.title, host)
    hass.config_entries.async_update_entry(entry, data=data, unique_id=unique_id)
    if entry.state in (ConfigEntryState.LOADED, ConfigEntryState.SETUP_RETRY):
        hass.config_entries.async_schedule_reload(entry.entry_id)
