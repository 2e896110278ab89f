/**
 * How long, and how long ago, in the user's language: a visit's length, the dwell time, since
 * when a vehicle is on site. Intl's units, so "2 hr 5 min", "2 Std., 5 Min.", "2시간 5분".
 */

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
const UNITS = [
  ["day", DAY],
  ["hour", HOUR],
  ["minute", MINUTE],
];

/** A length of time: its largest unit, and the next one down when it is not zero. */
export function duration(app, seconds) {
  const { language } = app.formats;
  if (seconds < MINUTE) return unit(language, "second", Math.max(0, Math.round(seconds)));
  const largest = UNITS.findIndex(([, size]) => seconds >= size);
  const parts = [];
  let rest = seconds;
  for (const [name, size] of UNITS.slice(largest, largest + 2)) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count) parts.push(unit(language, name, count));
  }
  return new Intl.ListFormat(language, { style: "narrow", type: "unit" }).format(parts);
}

function unit(language, name, count) {
  return new Intl.NumberFormat(language, { style: "unit", unit: name, unitDisplay: "short" }).format(count);
}

/** How long ago a moment was ("5 minutes ago", "vor 2 Stunden"); "now" within a minute. */
export function ago(app, iso, now = Date.now()) {
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  const format = new Intl.RelativeTimeFormat(app.formats.language, { numeric: "auto" });
  if (seconds < MINUTE) return format.format(0, "second");
  const [name, size] = UNITS.find(([, size]) => seconds >= size);
  return format.format(-Math.floor(seconds / size), name);
}
