/**
 * The integration's websocket commands (its plate_log/websocket_api.py). A read comes with the
 * words of its bus event: read.py's table of fields.
 */

export class PlateLogApi {
  constructor(panel) {
    this.panel = panel;
  }

  get hass() {
    return this.panel.hass;
  }

  listReads(query) {
    return this.hass.callWS({ type: "lpr_camera/reads/list", ...query });
  }

  getRead(readId) {
    return this.hass.callWS({ type: "lpr_camera/reads/get", read_id: readId });
  }

  listPlates(query) {
    return this.hass.callWS({ type: "lpr_camera/plates/list", ...query });
  }

  statistics(days, configEntryIds) {
    return this.hass.callWS({
      type: "lpr_camera/statistics",
      days,
      ...(configEntryIds ? { config_entry_ids: configEntryIds } : {}),
    });
  }

  saveKnownVehicle(vehicle) {
    return this.hass.callWS({ type: "lpr_camera/known_vehicles/save", ...vehicle });
  }

  /** The reads the filters take, as they are logged; resolves to the function that ends it. */
  subscribeReads(query, onRead) {
    return this.hass.connection.subscribeMessage(onRead, { type: "lpr_camera/reads/subscribe", ...query });
  }
}
