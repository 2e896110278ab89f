/**
 * What the panel says, in the user's language: its strings (translations/<language>.json beside
 * this module), times and numbers, the integration's errors and the sensors' names of values.
 */

const LANGUAGES = ["en", "de", "fr", "es", "nl", "it", "pl", "ko"];
export const HOUR_MS = 3600 * 1000;

export class Strings {
  constructor(english, local) {
    this.english = english;
    this.local = local;
  }

  /** English, plus the user's language where the integration speaks it. */
  static async load(language) {
    const english = await fetchStrings("en");
    const code = [language, language?.split("-")[0]].find((candidate) => LANGUAGES.includes(candidate));
    const local = code && code !== "en" ? await fetchStrings(code).catch(() => ({})) : {};
    return new Strings(english, local);
  }

  has(key) {
    return Object.hasOwn(this.local, key) || Object.hasOwn(this.english, key);
  }

  t(key, placeholders = {}) {
    const text = this.local[key] ?? this.english[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in placeholders ? String(placeholders[name]) : whole));
  }
}

async function fetchStrings(language) {
  // Beside this module, in the folder's versioned path: a browser never mixes versions.
  const url = new URL(`translations/${language}.json`, import.meta.url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: ${response.status}`);
  return response.json();
}

/**
 * Times, dates and numbers as the user's profile says: its language, time zone and time format
 * (hass.locale). Every time the panel shows goes through here, so none mixes 12 and 24 hours.
 */
export class Formats {
  constructor(hass) {
    const locale = hass.locale ?? {};
    this.language = locale.language ?? hass.language ?? "en";
    this.serverZone = hass.config?.time_zone;
    const timeZone = locale.time_zone === "server" ? this.serverZone : undefined;
    this.hourCycle = twelveHours(locale.time_format, this.language) ? "h12" : "h23";
    const make = (options) => new Intl.DateTimeFormat(this.language, { timeZone, hourCycle: this.hourCycle, ...options });
    this.dateTimeFormat = make({ dateStyle: "medium", timeStyle: "medium" });
    // An hour of the day, which has no date nor zone: the statistics count in Home Assistant's.
    this.clockFormat = make({ hour: this.hourCycle === "h23" ? "2-digit" : "numeric", minute: "2-digit", timeZone: "UTC" });
    this.hourFormat = make({ hour: "numeric", timeZone: "UTC" });
    this.numberFormat = new Intl.NumberFormat(this.language);
    this.percentFormat = new Intl.NumberFormat(this.language, { style: "percent", maximumFractionDigits: 1 });
    // "YYYY-MM-DD" of Home Assistant's own time zone, the days of the statistics.
    this.serverDayFormat = new Intl.DateTimeFormat("en-CA", {
      timeZone: this.serverZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
  }

  dateTime(iso) {
    return iso ? this.dateTimeFormat.format(new Date(iso)) : "—";
  }

  /** An hour of the day (0-23) as a chart's label: "07" or "7 AM". */
  hour(hour) {
    return this.hourCycle === "h23" ? String(hour).padStart(2, "0") : this.hourFormat.format(Date.UTC(2000, 0, 1, hour));
  }

  /** An hour of the day (0-23) as the hour it spans: "07:00–08:00" or "7:00 AM–8:00 AM". */
  hourRange(hour) {
    const clock = (at) => this.clockFormat.format(Date.UTC(2000, 0, 1, at));
    return `${clock(hour)}–${clock((hour + 1) % 24)}`;
  }

  /** A statistics day ("YYYY-MM-DD"), shown as a short date of the user's language. */
  day(key) {
    return new Intl.DateTimeFormat(this.language, { month: "short", day: "numeric", timeZone: "UTC" }).format(
      new Date(`${key}T12:00:00Z`),
    );
  }

  serverDay(date) {
    return this.serverDayFormat.format(date);
  }

  number(value) {
    return this.numberFormat.format(value);
  }

  /** A measurement in a unit of Intl's (kilometer-per-hour, meter, degree): "25 km/h". */
  measure(value, unit) {
    return new Intl.NumberFormat(this.language, { style: "unit", unit, maximumFractionDigits: 1 }).format(value);
  }

  percent(share) {
    return this.percentFormat.format(share);
  }
}

/**
 * Whether times have 12 hours, as Home Assistant's own frontend decides: the profile's "12" or
 * "24", else what the user's language ("language", the default) or the browser ("system") uses.
 */
function twelveHours(timeFormat, language) {
  if (timeFormat === "12" || timeFormat === "24") return timeFormat === "12";
  const probe = new Intl.DateTimeFormat(timeFormat === "system" ? undefined : language, { hour: "numeric" });
  return ["h11", "h12"].includes(probe.resolvedOptions().hourCycle);
}

const ERROR_CODES = ["not_found", "not_loaded", "already_known", "invalid", "unauthorized", "unknown_command"];

/**
 * A failed command in the user's language. The code picks the panel's sentence; the details
 * (why a plate is refused, say) come in the integration's own translation of its exception
 * when the error names one, else in the English message the error carries.
 */
export async function errorText(hass, strings, error) {
  let message = error?.message ?? String(error);
  const { translation_domain: domain, translation_key: key } = error ?? {};
  if (domain && key) {
    try {
      const localize = await hass.loadBackendTranslation("exceptions", domain);
      message = localize(`component.${domain}.exceptions.${key}.message`, error.translation_placeholders ?? {}) || message;
    } catch {
      // An older frontend without backend translations: the English message it is.
    }
  }
  return strings.t(ERROR_CODES.includes(error?.code) ? `errors.${error.code}` : "errors.unknown", { message });
}

/** (sensor key, value) -> the value as the integration's sensors show it in the user's language. */
export async function sensorStateNames(hass) {
  let localize;
  try {
    localize = await hass.loadBackendTranslation("entity", "lpr_camera");
  } catch {
    // Without them the raw values show, which are English words.
  }
  return (key, value) => localize?.(`component.lpr_camera.entity.sensor.${key}.state.${value}`) || String(value);
}
