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

/** Times and numbers in the user's language, time zone and 12/24-hour choice (profile). */
export class Formats {
  constructor(hass) {
    const locale = hass.locale ?? {};
    this.language = locale.language ?? hass.language ?? "en";
    this.serverZone = hass.config?.time_zone;
    const timeZone = locale.time_zone === "server" ? this.serverZone : undefined;
    const hour12 = { 12: true, 24: false }[locale.time_format];
    const make = (options) => new Intl.DateTimeFormat(this.language, { timeZone, hour12, ...options });
    this.dateTimeFormat = make({ dateStyle: "medium", timeStyle: "medium" });
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

  percent(share) {
    return this.percentFormat.format(share);
  }
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
