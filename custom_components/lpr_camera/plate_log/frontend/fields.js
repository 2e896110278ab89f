/**
 * A read's fields as the panel shows them: their labels and values. The integration sends them
 * with their words (read.py's table of fields), in the table's order; the panel keeps no list of
 * them but the few it hides.
 */

import { html } from "./dom.js";

export const EVENT_TYPES = ["known", "unknown", "denied"];

// Fields that mean nothing to a person (ids) or that the dialog uses elsewhere (the known
// vehicle's plate is the form's default). Every other field the integration sends is shown.
const HIDDEN_FIELDS = new Set(["read_id", "config_entry_id", "vehicle_id", "camera_device_id", "matched_plate", "passage_id"]);

/**
 * A read's fields in the integration's order: its row's, then its details. Its pictures (shown
 * as pictures) are no fields.
 */
export function readFields({ plate_picture, full_picture, evidence_pictures, details, ...row }) {
  return Object.entries({ ...row, ...details }).filter(([key]) => !HIDDEN_FIELDS.has(key));
}

/** A field's label; one the strings do not know yet by its word. */
export function fieldLabel(app, key) {
  return app.has(`fields.${key}`) ? app.t(`fields.${key}`) : key;
}

// Fields whose values need more than their type's format (fieldValue).
const VALUE_FORMATS = new Map([
  ["plate", (app, value) => html("span", { class: "plate-text" }, value)],
  ["time", (app, value) => app.formats.dateTime(value)],
  ["filed_at", (app, value) => app.formats.dateTime(value)],
  ["event_type", (app, value) => eventTypeBadge(app, { event_type: value })],
  ["plate_box", (app, value) => `${value.x1}, ${value.y1} – ${value.x2}, ${value.y2}`],
  ["resolution", (app, value) => `${value[0]} × ${value[1]}`],
  ["confidence", (app, value) => (typeof value === "number" ? app.formats.percent(value > 1 ? value / 100 : value) : String(value))],
  ["speed", (app, value) => (typeof value === "number" ? `${app.formats.number(value)} km/h` : String(value))],
]);

/**
 * A field's value in the user's language. A word (a presence, a pass status, a colour...) is
 * the panel's string `<field>.<value>`, else the integration's sensors' name of it, else itself.
 */
export function fieldValue(app, states, key, value) {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return "—";
  if (VALUE_FORMATS.has(key)) return VALUE_FORMATS.get(key)(app, value);
  if (typeof value === "boolean") return app.t(value ? "yes" : "no");
  if (typeof value === "number") return app.formats.number(value);
  if (typeof value === "string") return app.has(`${key}.${value}`) ? app.t(`${key}.${value}`) : states(key, value);
  if (Array.isArray(value)) return value.join(", ");
  return Object.entries(value)
    .filter(([, part]) => part !== null && part !== undefined)
    .map(([name, part]) => `${name.replaceAll("_", " ")} ${typeof part === "number" ? app.formats.number(part) : part}`)
    .join(" · ");
}

/** A read's event type (known, unknown, denied) as a badge: its known vehicle's name, if given. */
export function eventTypeBadge(app, { event_type: eventType, known_name: knownName }) {
  const word = app.t(`event_type.${eventType}`);
  const name = eventType === "unknown" ? null : knownName;
  return html("span", { class: `badge event-type-${eventType}`, title: word }, name || word);
}
