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

  /** Corrects a read's plate; with `remember`, its camera's later reads of it too (a rule). */
  correctRead(readId, plate, remember) {
    return this.hass.callWS({ type: "lpr_camera/reads/correct", read_id: readId, plate, remember });
  }

  listRules() {
    return this.hass.callWS({ type: "lpr_camera/rules/list" });
  }

  removeRule(ruleId) {
    return this.hass.callWS({ type: "lpr_camera/rules/remove", rule_id: ruleId });
  }

  /** A path of Home Assistant signed for this user, which a browser may GET without a token. */
  async signPath(path) {
    return (await this.hass.callWS({ type: "auth/sign_path", path })).path;
  }

  /** The reads the filters take, as they are logged; resolves to the function that ends it. */
  subscribeReads(query, onRead) {
    return this.hass.connection.subscribeMessage(onRead, { type: "lpr_camera/reads/subscribe", ...query });
  }

  listOnSite(limit) {
    return this.hass.callWS({ type: "lpr_camera/on_site/list", limit });
  }

  /** A vehicle on site leaves it (admin): a known vehicle by its id, any other by its plate. */
  markLeft(vehicle) {
    return this.hass.callWS({ type: "lpr_camera/on_site/leave", ...vehicleOf(vehicle) });
  }

  /** `{count}` whenever a vehicle arrives or leaves; resolves to the function that ends it. */
  subscribeOnSite(onChange) {
    return this.hass.connection.subscribeMessage(onChange, { type: "lpr_camera/on_site/subscribe" });
  }

  listVisits(vehicle, before, limit) {
    return this.hass.callWS({
      type: "lpr_camera/visits/list",
      ...vehicleOf(vehicle),
      ...(before ? { before } : {}),
      limit,
    });
  }
}

/** A vehicle as the on-site and visit commands name it: a known vehicle's id, or the plate. */
function vehicleOf({ vehicle_id: vehicleId, plate }) {
  return vehicleId ? { vehicle_id: vehicleId } : { plate };
}
