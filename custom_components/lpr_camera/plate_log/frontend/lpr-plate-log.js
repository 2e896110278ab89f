/**
 * The plate log panel of the LPR Camera integration: "Plates" in Home Assistant's sidebar.
 *
 * One plain ES module, no build step and no request beyond Home Assistant itself: the DOM is built
 * by hand (two tiny helpers, `html` and `svg`), the charts are SVG drawn here, the strings come
 * from translations/<language>.json beside this file. Home Assistant sets the properties every
 * custom panel gets: hass (on every state change, so its setter is cheap), narrow, route, panel.
 *
 * The websocket commands (lpr_camera/reads/list, reads/get, reads/subscribe, plates/list,
 * statistics, known_vehicles/save) are the integration's plate_log/websocket_api.py; a read comes
 * with the words of its bus event (read.py's table of fields).
 */

const LANGUAGES = ["en", "de", "fr", "es", "nl", "it", "pl", "ko"];
const TABS = ["reads", "plates", "statistics"];
const EVENT_TYPES = ["known", "unknown", "denied"];
const READS_PAGE = 50;
const PLATES_LIMIT = 500;
const SEARCH_DELAY_MS = 300;
const HOUR_MS = 3600 * 1000;
const PERIOD_HOURS = { day: 24, week: 7 * 24, month: 30 * 24 };
// Home Assistant's chart palette (--color-N), with its own values for themes that lack it.
const CHART_COLORS = [
  "var(--color-1, #4269d0)",
  "var(--color-2, #f4bd4a)",
  "var(--color-3, #ff725c)",
  "var(--color-4, #6cc5b0)",
  "var(--color-5, #a463f2)",
  "var(--color-6, #ff8ab7)",
  "var(--color-7, #9c6b4e)",
  "var(--color-8, #97bbf5)",
];
// Material Design Icons paths (the panel draws its few icons itself: no icon fetch).
const ICON_MENU = "M3,6H21V8H3V6M3,11H21V13H3V11M3,16H21V18H3V16Z";
const ICON_CLOSE =
  "M19,6.41L17.59,5L12,10.59L6.41,5L5,6.41L10.59,12L5,17.59L6.41,19L12,13.41L17.59,19L19,17.59L13.41,12L19,6.41Z";

// ---------------------------------------------------------------------------------------------
// DOM helpers

/**
 * An element: attributes by name, event listeners as `onclick`..., properties as `.value`...;
 * null, undefined and false leave an attribute out, so conditions read inline.
 */
function html(tag, attributes = {}, ...children) {
  return build(document.createElement(tag), attributes, children);
}

const SVG_NS = "http://www.w3.org/2000/svg";
function svg(tag, attributes = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attributes, children);
}

function build(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name.startsWith(".")) element[name.slice(1)] = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

function icon(path) {
  return svg("svg", { viewBox: "0 0 24 24", class: "icon", "aria-hidden": "true" }, svg("path", { d: path }));
}

function debounce(action, delay) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => action(...args), delay);
  };
}

// ---------------------------------------------------------------------------------------------
// Strings and formats

class Strings {
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
    return key in this.local || key in this.english;
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
class Formats {
  constructor(hass) {
    const locale = hass.locale ?? {};
    this.language = locale.language ?? hass.language ?? "en";
    this.serverZone = hass.config?.time_zone;
    const timeZone = locale.time_zone === "server" ? this.serverZone : undefined;
    const hour12 = { 12: true, 24: false }[locale.time_format];
    const make = (options) => new Intl.DateTimeFormat(this.language, { timeZone, hour12, ...options });
    this.dateTimeFormat = make({ dateStyle: "medium", timeStyle: "medium" });
    this.shortDateTimeFormat = make({ month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
    this.dayFormat = make({ month: "short", day: "numeric" });
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

  shortDateTime(iso) {
    return iso ? this.shortDateTimeFormat.format(new Date(iso)) : "—";
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

// ---------------------------------------------------------------------------------------------
// The integration's websocket commands

class PlateLogApi {
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

  /** Resolves to the function that ends the subscription. */
  subscribeReads(onRead) {
    return this.hass.connection.subscribeMessage(onRead, { type: "lpr_camera/reads/subscribe" });
  }
}

/** The cameras the filters offer: those of the last 30 days' statistics and of every row seen. */
class Cameras {
  constructor() {
    this.titles = new Map();
    this.listeners = new Set();
  }

  add(entries) {
    let changed = false;
    for (const [id, title] of entries) {
      if (this.titles.get(id) !== title) {
        this.titles.set(id, title);
        changed = true;
      }
    }
    if (changed) for (const listener of this.listeners) listener();
  }

  sorted() {
    return [...this.titles].sort((a, b) => a[1].localeCompare(b[1]));
  }
}

// ---------------------------------------------------------------------------------------------
// Filters shared by the Reads and Plates views

function periodRange(period, custom, now = Date.now()) {
  if (period in PERIOD_HOURS) return { start: new Date(now - PERIOD_HOURS[period] * HOUR_MS).toISOString() };
  if (period === "custom") {
    // datetime-local inputs hold the browser's local time without a zone: Date reads them so.
    const iso = (value) => (value ? new Date(value).toISOString() : undefined);
    return { start: iso(custom.start), end: iso(custom.end) };
  }
  return {};
}

/**
 * The search box, camera and period of a view. `prefix` makes the test ids of each view's
 * controls unique (reads-search, plates-search, ...). Calls onChange after each change.
 */
class FilterBar {
  constructor(app, { prefix, period, onChange }) {
    this.app = app;
    this.prefix = prefix;
    this.state = { plate: "", configEntryId: "", period, custom: { start: "", end: "" } };
    this.onChange = onChange;
    const searchLater = debounce(() => this.onChange("plate"), SEARCH_DELAY_MS);
    this.search = html("input", {
      type: "search",
      id: `${prefix}-search`,
      "data-testid": `${prefix}-search`,
      placeholder: app.t("filters.search"),
      "aria-label": app.t("filters.search"),
      autocomplete: "off",
      spellcheck: "false",
      oninput: () => {
        this.state.plate = this.search.value.trim();
        searchLater();
      },
      onkeydown: (event) => {
        if (event.key === "Enter") {
          this.state.plate = this.search.value.trim();
          this.onChange("plate");
        }
      },
    });
    this.camera = html("select", {
      id: `${prefix}-camera`,
      "data-testid": `${prefix}-camera`,
      "aria-label": app.t("filters.camera"),
      onchange: () => {
        this.state.configEntryId = this.camera.value;
        this.onChange("camera");
      },
    });
    this.fillCameras();
    app.cameras.listeners.add(() => this.fillCameras());
    this.customInputs = ["start", "end"].map((edge) =>
      html("input", {
        type: "datetime-local",
        "data-testid": `${prefix}-period-${edge}`,
        "aria-label": app.t(`filters.${edge}`),
        onchange: (event) => {
          this.state.custom[edge] = event.target.value;
          this.onChange("period");
        },
      }),
    );
    this.customBox = html(
      "span",
      { class: "custom-period", hidden: period !== "custom" },
      html("label", {}, app.t("filters.start"), this.customInputs[0]),
      html("label", {}, app.t("filters.end"), this.customInputs[1]),
    );
    this.period = html(
      "select",
      {
        id: `${prefix}-period`,
        "data-testid": `${prefix}-period`,
        "aria-label": app.t("filters.period"),
        onchange: () => {
          this.state.period = this.period.value;
          this.customBox.hidden = this.state.period !== "custom";
          this.onChange("period");
        },
      },
      ["day", "week", "month", "all", "custom"].map((value) =>
        html("option", { value, selected: value === period }, app.t(`period.${value}`)),
      ),
    );
  }

  fillCameras() {
    const selected = this.state.configEntryId;
    this.camera.replaceChildren(
      html("option", { value: "" }, this.app.t("filters.all_cameras")),
      this.app.cameras.sorted().map(([id, title]) => html("option", { value: id, selected: id === selected }, title)),
    );
  }

  elements() {
    return [this.search, this.camera, this.period, this.customBox];
  }

  /** The command's fields of these filters (start/end relative to now for the presets). */
  query() {
    const { plate, configEntryId, period, custom } = this.state;
    const range = periodRange(period, custom);
    return {
      ...(configEntryId ? { config_entry_ids: [configEntryId] } : {}),
      ...(range.start ? { start: range.start } : {}),
      ...(range.end ? { end: range.end } : {}),
      ...(plate ? { plate } : {}),
    };
  }

  clearSearch() {
    this.search.value = "";
    this.state.plate = "";
  }
}

// ---------------------------------------------------------------------------------------------
// A read's fields: their labels and values, shown in the lists and the dialog

// The fields the Reads list shows, in its columns after the plate crop.
const READ_COLUMNS = ["plate", "time", "camera", "direction", "event_type", "authorized"];

// Fields that mean nothing to a person (ids) or that the dialog uses elsewhere (the known
// vehicle's plate is the form's default). Every other field the integration sends is shown.
const HIDDEN_FIELDS = new Set(["read_id", "config_entry_id", "vehicle_id", "camera_device_id", "matched_plate"]);

/**
 * A read's fields in the integration's order: its row's, then its details. Its pictures (shown
 * as pictures) are no fields.
 */
function readFields({ plate_picture, full_picture, evidence_pictures, details, ...row }) {
  return Object.entries({ ...row, ...details }).filter(([key]) => !HIDDEN_FIELDS.has(key));
}

/** A field's label; one the strings do not know yet by its word. */
function fieldLabel(app, key) {
  return app.has(`fields.${key}`) ? app.t(`fields.${key}`) : key;
}

// Fields whose values need more than their type's format (fieldValue).
const VALUE_FORMATS = new Map([
  ["plate", (app, value) => html("span", { class: "plate-text" }, value)],
  ["time", (app, value) => app.formats.dateTime(value)],
  ["filed_at", (app, value) => app.formats.dateTime(value)],
  ["event_type", (app, value) => html("span", { class: `badge event-type-${value}` }, app.t(`event_type.${value}`))],
  ["plate_box", (app, value) => `${value.x1}, ${value.y1} – ${value.x2}, ${value.y2}`],
  ["resolution", (app, value) => `${value[0]} × ${value[1]}`],
  ["confidence", (app, value) => (typeof value === "number" ? app.formats.percent(value > 1 ? value / 100 : value) : String(value))],
  ["speed", (app, value) => (typeof value === "number" ? `${app.formats.number(value)} km/h` : String(value))],
]);

/**
 * A field's value in the user's language. A word (a presence, a pass status, a colour...) is
 * the panel's string `<field>.<value>`, else the integration's sensors' name of it, else itself.
 */
function fieldValue(app, states, key, value) {
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

/** The event type of a read (known, unknown, denied), named by its known vehicle's name if it has one. */
function eventTypeBadge(app, { event_type: eventType, known_name: knownName }) {
  const label = eventType === "unknown" ? null : knownName;
  return html("span", { class: `badge event-type-${eventType}`, title: app.t(`event_type.${eventType}`) }, label || app.t(`event_type.${eventType}`));
}

/** A list with its column heads ({cell class: head}); the rows go into `body`. */
function table(app, view, heads, body) {
  return html(
    "div",
    { class: `table ${view}-table`, role: "table", "aria-label": app.t(`tabs.${view}`) },
    html(
      "div",
      { class: "row head", role: "row" },
      Object.entries(heads).map(([cell, head]) => html("span", { role: "columnheader", class: `cell ${cell}` }, head)),
    ),
    body,
  );
}

// ---------------------------------------------------------------------------------------------
// Reads view

class ReadsView {
  constructor(app) {
    this.app = app;
    this.rows = [];
    this.shownIds = new Set();
    this.next = null;
    this.loading = false;
    // Bumped by every new query: answers to an older one are dropped.
    this.generation = 0;
    this.eventTypes = new Set(EVENT_TYPES);
    this.exactPlate = null;
    this.filters = new FilterBar(app, {
      prefix: "reads",
      period: "all",
      onChange: (what) => {
        if (what === "plate") this.exactPlate = null;
        this.reload();
      },
    });
    this.element = this.render();
  }

  render() {
    const { app } = this;
    const eventTypeBoxes = EVENT_TYPES.map((eventType) =>
      html(
        "label",
        { class: `chip event-type-${eventType}` },
        html("input", {
          type: "checkbox",
          ".checked": true,
          "data-testid": `reads-event-type-${eventType}`,
          onchange: (event) => {
            if (event.target.checked) this.eventTypes.add(eventType);
            else this.eventTypes.delete(eventType);
            this.reload();
          },
        }),
        app.t(`event_type.${eventType}`),
      ),
    );
    this.timelineChip = html("div", { class: "timeline", "data-testid": "timeline", hidden: true });
    this.body = html("div", { class: "rows", role: "rowgroup", "data-testid": "reads-rows" });
    this.status = html("span", { class: "status", "data-testid": "reads-status", role: "status" });
    this.loadMore = html(
      "button",
      { class: "secondary", id: "load-more", "data-testid": "load-more", hidden: true, onclick: () => this.loadPage() },
      app.t("reads.load_more"),
    );
    // Endless scroll: a page loads when the end of the list comes into view.
    this.sentinel = html("div", { class: "sentinel" });
    return html(
      "section",
      { class: "view reads", "data-testid": "view-reads" },
      html("div", { class: "filters" }, this.filters.elements(), html("span", { class: "chips" }, eventTypeBoxes)),
      this.timelineChip,
      table(
        app,
        "reads",
        {
          picture: app.t("columns.picture"),
          ...Object.fromEntries(READ_COLUMNS.map((key) => [key, fieldLabel(app, key)])),
        },
        this.body,
      ),
      html("div", { class: "footer" }, this.status, this.loadMore),
      this.sentinel,
    );
  }

  /** Starts the live subscription and the endless scroll (the panel is in the page). */
  async start() {
    // The viewport as root: whichever element scrolls, the end of the list coming into view loads.
    this.observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && this.next !== null && !this.loading) this.loadPage();
      },
      { rootMargin: "400px" },
    );
    this.observer.observe(this.sentinel);
    if (this.rows.length === 0) this.reload();
    // Kept as a promise: a stop() before the subscription is confirmed still ends it.
    this.subscription = this.app.api.subscribeReads((read) => this.onLiveRead(read));
    try {
      await this.subscription;
    } catch (error) {
      this.showStatus(await this.app.errorText(error), true);
    }
  }

  stop() {
    this.observer?.disconnect();
    this.subscription?.then(
      (unsubscribe) => unsubscribe(),
      () => {}, // it never began: nothing to end
    );
    this.subscription = undefined;
  }

  showTimeline(plate) {
    this.exactPlate = plate;
    this.filters.clearSearch();
    this.reload();
  }

  query() {
    const query = this.filters.query();
    if (this.eventTypes.size < EVENT_TYPES.length) query.event_types = [...this.eventTypes];
    if (this.exactPlate) {
      delete query.plate;
      query.exact_plate = this.exactPlate;
    }
    return query;
  }

  reload() {
    this.generation += 1;
    this.rows = [];
    this.shownIds.clear();
    this.body.replaceChildren();
    this.next = null;
    this.loading = false;
    this.renderTimeline();
    if (this.eventTypes.size === 0) {
      this.showStatus(this.app.t("reads.empty"));
      this.loadMore.hidden = true;
      return;
    }
    this.loadPage(true);
  }

  async loadPage(first = false) {
    if (this.loading || (!first && this.next === null)) return;
    const generation = this.generation;
    this.loading = true;
    this.loadMore.disabled = true;
    this.showStatus(this.app.t("reads.loading"));
    try {
      const page = await this.app.api.listReads({
        ...this.query(),
        limit: READS_PAGE,
        ...(first ? {} : { before: this.next }),
      });
      if (generation !== this.generation) return;
      this.next = page.next;
      this.append(page.reads);
      this.showCount();
    } catch (error) {
      if (generation === this.generation) this.showStatus(await this.app.errorText(error), true);
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.loadMore.disabled = false;
        this.loadMore.hidden = this.next === null;
      }
    }
  }

  append(reads) {
    const fresh = reads.filter((read) => !this.shownIds.has(read.read_id));
    for (const read of fresh) this.shownIds.add(read.read_id);
    this.rows.push(...fresh);
    this.app.cameras.add(fresh.map((read) => [read.config_entry_id, read.camera]));
    this.body.append(...fresh.map((read) => this.row(read)));
  }

  /** A read as it was logged: shown on top when the filters let it through. */
  async onLiveRead(read) {
    this.app.cameras.add([[read.config_entry_id, read.camera]]);
    const generation = this.generation;
    if (this.shownIds.has(read.read_id) || !(await this.admits(read))) return;
    // Asking the integration takes a moment: the filters may have changed, or a page brought it.
    if (generation !== this.generation || this.shownIds.has(read.read_id)) return;
    this.shownIds.add(read.read_id);
    this.rows.unshift(read);
    const row = this.row(read);
    row.classList.add("live");
    this.body.prepend(row);
    this.showCount();
  }

  showCount() {
    const count = this.app.formats.number(this.rows.length);
    this.showStatus(this.rows.length ? this.app.t("reads.count", { count }) : this.app.t("reads.empty"));
  }

  async admits(read) {
    const query = this.query();
    if (query.config_entry_ids && !query.config_entry_ids.includes(read.config_entry_id)) return false;
    if (!this.eventTypes.has(read.event_type)) return false;
    // The plate log files (and filters) a read by filed_at: the camera's time unless its clock is off.
    const time = Date.parse(read.filed_at);
    if ((query.start && time < Date.parse(query.start)) || (query.end && time > Date.parse(query.end))) return false;
    if (!query.plate && !query.exact_plate) return true;
    // Only the integration knows its matching (and the site's tolerance): ask it whether this
    // read is the newest answer to the search up to its own id.
    const answer = await this.app.api.listReads({ ...query, before: read.read_id + 1, limit: 1 }).catch(() => null);
    return answer?.reads[0]?.read_id === read.read_id;
  }

  row(read) {
    const { app } = this;
    const open = () => app.openRead(read);
    return html(
      "div",
      {
        class: `row read event-type-${read.event_type}`,
        role: "row",
        tabindex: 0,
        "data-testid": "read-row",
        "data-read-id": read.read_id,
        "data-plate": read.plate,
        onclick: open,
        onkeydown: (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            open();
          }
        },
      },
      html(
        "span",
        { class: "cell picture", role: "cell" },
        read.plate_picture
          ? html("img", { src: read.plate_picture, alt: read.plate, loading: "lazy", decoding: "async" })
          : html("span", { class: "no-picture" }),
      ),
      html(
        "span",
        { class: "cell plate", role: "cell" },
        html("span", { class: "plate-text" }, read.plate),
        read.repeat ? html("span", { class: "badge repeat" }, app.t("fields.repeat")) : null,
      ),
      html("span", { class: "cell time", role: "cell" }, html("time", { datetime: read.time }, app.formats.dateTime(read.time))),
      html("span", { class: "cell camera", role: "cell" }, read.camera),
      html("span", { class: "cell direction", role: "cell" }, app.t(`direction.${read.direction ?? "unknown"}`)),
      html("span", { class: "cell event_type", role: "cell" }, eventTypeBadge(app, read)),
      html(
        "span",
        { class: `cell authorized authorized-${read.authorized}`, role: "cell" },
        app.t(read.authorized ? "yes" : "no"),
      ),
    );
  }

  renderTimeline() {
    this.timelineChip.hidden = !this.exactPlate;
    if (!this.exactPlate) return this.timelineChip.replaceChildren();
    this.timelineChip.replaceChildren(
      html("span", {}, this.app.t("reads.timeline", { plate: this.exactPlate })),
      html(
        "button",
        {
          class: "secondary",
          "data-testid": "timeline-clear",
          onclick: () => {
            this.exactPlate = null;
            this.reload();
          },
        },
        this.app.t("reads.timeline_clear"),
      ),
    );
  }

  showStatus(text, error = false) {
    this.status.textContent = text;
    this.status.classList.toggle("error", error);
  }
}

// ---------------------------------------------------------------------------------------------
// Plates view

class PlatesView {
  constructor(app) {
    this.app = app;
    this.generation = 0;
    this.filters = new FilterBar(app, { prefix: "plates", period: "week", onChange: () => this.reload() });
    this.body = html("div", { class: "rows", role: "rowgroup", "data-testid": "plates-rows" });
    this.status = html("span", { class: "status", "data-testid": "plates-status", role: "status" });
    this.element = html(
      "section",
      { class: "view plates", "data-testid": "view-plates" },
      html("div", { class: "filters" }, this.filters.elements()),
      table(
        app,
        "plates",
        {
          plate: fieldLabel(app, "plate"),
          reads: app.t("columns.reads"),
          first_seen: app.t("columns.first_seen"),
          last_seen: app.t("columns.last_seen"),
          vehicle: app.t("columns.vehicle"),
        },
        this.body,
      ),
      html("div", { class: "footer" }, this.status),
    );
    this.loaded = false;
  }

  start() {
    if (!this.loaded) this.reload();
  }

  async reload() {
    const generation = ++this.generation;
    this.loaded = true;
    this.status.textContent = this.app.t("reads.loading");
    this.status.classList.remove("error");
    try {
      const { plates } = await this.app.api.listPlates({ ...this.filters.query(), limit: PLATES_LIMIT });
      if (generation !== this.generation) return;
      this.body.replaceChildren(...plates.map((plate) => this.row(plate)));
      this.status.textContent = plates.length
        ? this.app.t(plates.length === PLATES_LIMIT ? "plates.limited" : "plates.count", {
            count: this.app.formats.number(plates.length),
          })
        : this.app.t("plates.empty");
    } catch (error) {
      if (generation !== this.generation) return;
      this.body.replaceChildren();
      this.status.textContent = await this.app.errorText(error);
      this.status.classList.add("error");
    }
  }

  row(plate) {
    const { app } = this;
    const open = () => app.showTimeline(plate.plate);
    const eventType = { allow: "known", deny: "denied" }[plate.known_list] ?? "unknown";
    const known = eventTypeBadge(app, { event_type: eventType, known_name: plate.known_name });
    return html(
      "div",
      {
        class: "row plate-row",
        role: "row",
        tabindex: 0,
        title: app.t("plates.open_timeline"),
        "data-testid": "plate-row",
        "data-plate": plate.plate,
        onclick: open,
        onkeydown: (event) => {
          if (event.key === "Enter") open();
        },
      },
      html("span", { class: "cell plate", role: "cell" }, html("span", { class: "plate-text" }, plate.plate)),
      html("span", { class: "cell reads", role: "cell" }, app.formats.number(plate.reads)),
      html("span", { class: "cell first_seen", role: "cell" }, app.formats.dateTime(plate.first_seen)),
      html("span", { class: "cell last_seen", role: "cell" }, app.formats.dateTime(plate.last_seen)),
      html("span", { class: "cell vehicle", role: "cell" }, known),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics view: the charts are SVG drawn here

// The charts' drawing units; the SVG scales to its card's width (the text with it).
const CHART = { width: 640, height: 240, left: 44, right: 8, top: 10, bottom: 28 };

/** The y axis: a round step (1, 2 or 5 times a power of ten, whole reads) and at most 5 of them. */
function yScale(maximum) {
  const highest = Math.max(maximum, 1);
  const magnitude = 10 ** Math.floor(Math.log10(highest / 5));
  const step = Math.max(1, [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => highest / candidate <= 5));
  const count = Math.ceil(highest / step);
  return { top: step * count, steps: Array.from({ length: count + 1 }, (_, index) => index * step) };
}

/** The frame of a chart: y grid lines and labels, x labels; returns the plotting helpers. */
function chartFrame(app, { maximum, labels, labelEvery, width = CHART.width }) {
  const { height, left, right, top, bottom } = CHART;
  const scale = yScale(maximum);
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const x = (index) => left + (plotWidth * index) / labels.length;
  const y = (value) => top + plotHeight - (plotHeight * value) / scale.top;
  const grid = scale.steps.map((value) => [
    svg("line", { x1: left, x2: width - right, y1: y(value), y2: y(value), class: "grid" }),
    svg("text", { x: left - 6, y: y(value) + 4, class: "axis", "text-anchor": "end" }, app.formats.number(value)),
  ]);
  const xLabels = labels.map((label, index) =>
    label && index % labelEvery === 0
      ? svg("text", { x: x(index + 0.5), y: height - 8, class: "axis", "text-anchor": "middle" }, label)
      : null,
  );
  return { x, y, slot: plotWidth / labels.length, parts: [grid, xLabels], width };
}

function chartSvg(testId, label, frame, marks) {
  return svg(
    "svg",
    {
      viewBox: `0 0 ${frame.width} ${CHART.height}`,
      class: "chart",
      role: "img",
      "aria-label": label,
      "data-testid": testId,
    },
    frame.parts,
    marks,
  );
}

/** Stacked bars: one stack per label, one colour per series. */
function stackedBars(app, testId, label, { labels, series, labelEvery = 1, tooltip }) {
  const totals = labels.map((_, index) => series.reduce((sum, one) => sum + one.values[index], 0));
  const frame = chartFrame(app, { maximum: Math.max(0, ...totals), labels, labelEvery });
  const bars = [];
  labels.forEach((_, index) => {
    let base = 0;
    for (const one of series) {
      const value = one.values[index];
      if (!value) continue;
      bars.push(
        svg(
          "rect",
          {
            x: frame.x(index) + frame.slot * 0.12,
            width: Math.max(frame.slot * 0.76, 0.5),
            y: frame.y(base + value),
            height: frame.y(base) - frame.y(base + value),
            fill: one.color,
          },
          svg("title", {}, tooltip(index, one, value)),
        ),
      );
      base += value;
    }
  });
  return chartSvg(testId, label, frame, bars);
}

/** One line per series over the labels. */
function lines(app, testId, label, { labels, series, labelEvery, tooltip, width }) {
  const maximum = Math.max(0, ...series.flatMap((one) => one.values));
  const frame = chartFrame(app, { maximum, labels, labelEvery, width });
  const paths = series.map((one) =>
    svg(
      "polyline",
      {
        class: "line",
        stroke: one.color,
        points: one.values.map((value, index) => `${frame.x(index + 0.5).toFixed(1)},${frame.y(value).toFixed(1)}`).join(" "),
      },
      svg("title", {}, tooltip(one)),
    ),
  );
  return chartSvg(testId, label, frame, paths);
}

class StatisticsView {
  constructor(app) {
    this.app = app;
    this.days = 7;
    this.configEntryId = "";
    this.generation = 0;
    this.dayButtons = [7, 30].map((days) =>
      html(
        "button",
        {
          class: "toggle",
          "data-testid": `stats-days-${days}`,
          "data-days": days,
          "aria-pressed": String(days === this.days),
          onclick: () => {
            this.days = days;
            for (const button of this.dayButtons) {
              button.setAttribute("aria-pressed", String(button.dataset.days === String(days)));
            }
            this.reload();
          },
        },
        app.t(`statistics.last_${days}`),
      ),
    );
    this.camera = html("select", {
      "data-testid": "stats-camera",
      "aria-label": app.t("filters.camera"),
      onchange: () => {
        this.configEntryId = this.camera.value;
        this.reload();
      },
    });
    this.fillCameras();
    app.cameras.listeners.add(() => this.fillCameras());
    this.content = html("div", { class: "statistics", "data-testid": "statistics" });
    this.element = html(
      "section",
      { class: "view statistics-view", "data-testid": "view-statistics" },
      html("div", { class: "filters" }, html("span", { class: "toggles" }, this.dayButtons), this.camera),
      this.content,
    );
    this.loaded = false;
  }

  fillCameras() {
    this.camera.replaceChildren(
      html("option", { value: "" }, this.app.t("filters.all_cameras")),
      this.app.cameras.sorted().map(([id, title]) => html("option", { value: id, selected: id === this.configEntryId }, title)),
    );
  }

  start() {
    if (!this.loaded) this.reload();
  }

  async reload() {
    const generation = ++this.generation;
    this.loaded = true;
    this.content.replaceChildren(html("p", { class: "status" }, this.app.t("reads.loading")));
    try {
      const data = await this.app.api.statistics(this.days, this.configEntryId ? [this.configEntryId] : undefined);
      if (generation !== this.generation) return;
      this.app.cameras.add(Object.entries(data.cameras));
      this.content.replaceChildren(...this.render(data));
    } catch (error) {
      const text = await this.app.errorText(error);
      if (generation === this.generation) this.content.replaceChildren(html("p", { class: "status error" }, text));
    }
  }

  render(data) {
    const { app } = this;
    if (!data.reads) return [html("p", { class: "status", "data-testid": "stats-empty" }, app.t("statistics.empty"))];
    const cameraIds = Object.keys(data.cameras).sort((a, b) => data.cameras[a].localeCompare(data.cameras[b]));
    const colors = new Map(cameraIds.map((id, index) => [id, CHART_COLORS[index % CHART_COLORS.length]]));
    const busiest = [...data.busiest_hours].filter((hour) => hour.reads > 0).sort((a, b) => b.reads - a.reads).slice(0, 3);
    return [
      html(
        "div",
        { class: "tiles" },
        this.tile("stats-reads", app.t("statistics.reads"), app.formats.number(data.reads)),
        this.tile("stats-unknown", app.t("statistics.unknown_share"), app.formats.percent(data.unknown / data.reads)),
        this.tile(
          "stats-busiest",
          app.t("statistics.busiest_hours"),
          busiest.map((hour) => hourRange(hour.hour)).join(", ") || "—",
        ),
      ),
      html(
        "div",
        { class: "legend" },
        cameraIds.map((id) => html("span", {}, html("i", { style: `background:${colors.get(id)}` }), data.cameras[id])),
      ),
      html(
        "div",
        { class: "charts" },
        this.card(app.t("statistics.per_day"), this.dailyChart(data, cameraIds, colors)),
        this.card(app.t("statistics.by_hour_of_day"), this.hoursOfDayChart(data, busiest)),
        this.card(app.t("statistics.per_hour"), this.hourlyChart(data, cameraIds, colors), "wide"),
      ),
    ];
  }

  tile(testId, label, value) {
    return html(
      "div",
      { class: "tile", "data-testid": testId },
      html("span", { class: "label" }, label),
      html("span", { class: "value" }, value),
    );
  }

  card(title, content, size = "") {
    return html("div", { class: `card ${size}` }, html("h3", {}, title), content);
  }

  dailyChart(data, cameraIds, colors) {
    const { app } = this;
    const days = lastServerDays(app.formats, this.days);
    const series = cameraSeries(data, cameraIds, colors, { slots: days, counts: data.daily, slotOf: (count) => count.day });
    return stackedBars(app, "chart-daily", app.t("statistics.per_day"), {
      labels: days.map((day) => app.formats.day(day)),
      series,
      labelEvery: this.days > 7 ? 5 : 1,
      tooltip: (position, one, value) =>
        `${app.formats.day(days[position])} · ${one.name}: ${app.formats.number(value)}`,
    });
  }

  hourlyChart(data, cameraIds, colors) {
    const { app } = this;
    // The hours of the same whole days as the daily chart (the integration counts from the start
    // of the first local day), up to the current hour.
    const days = new Set(lastServerDays(app.formats, this.days));
    const now = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    const hours = [];
    for (let hour = now - (this.days + 1) * 24 * HOUR_MS; hour <= now; hour += HOUR_MS) {
      if (days.has(app.formats.serverDay(new Date(hour)))) hours.push(hour);
    }
    const series = cameraSeries(data, cameraIds, colors, {
      slots: hours,
      counts: data.hourly,
      slotOf: (count) => Date.parse(count.hour),
    });
    // A date under the first hour of each day (of every fifth day over 30 days).
    let dayNumber = -1;
    const labels = hours.map((hour, index) => {
      const day = app.formats.serverDay(new Date(hour));
      if (index > 0 && day === app.formats.serverDay(new Date(hours[index - 1]))) return "";
      dayNumber += 1;
      return dayNumber % (this.days > 7 ? 5 : 1) === 0 ? app.formats.day(day) : "";
    });
    return lines(app, "chart-hourly", app.t("statistics.per_hour"), {
      labels,
      series,
      labelEvery: 1,
      // A whole row of the page: twice as wide as the other charts, as tall.
      width: CHART.width * 2,
      tooltip: (one) => `${one.name}: ${app.formats.number(one.values.reduce((sum, value) => sum + value, 0))}`,
    });
  }

  hoursOfDayChart(data, busiest) {
    const { app } = this;
    const counts = new Array(24).fill(0);
    for (const { hour, reads } of data.busiest_hours) counts[hour] = reads;
    const top = new Set(busiest.map((hour) => hour.hour));
    const series = [
      {
        name: app.t("statistics.busiest_hours"),
        color: "var(--primary-color)",
        values: counts.map((value, hour) => (top.has(hour) ? value : 0)),
      },
      {
        name: app.t("statistics.reads"),
        color: "var(--secondary-text-color)",
        values: counts.map((value, hour) => (top.has(hour) ? 0 : value)),
      },
    ];
    return stackedBars(app, "chart-hours", app.t("statistics.by_hour_of_day"), {
      labels: counts.map((_, hour) => String(hour).padStart(2, "0")),
      series,
      labelEvery: 3,
      tooltip: (hour, _, value) => `${hourRange(hour)}: ${app.formats.number(value)}`,
    });
  }
}

/**
 * One series per camera over the slots (days or hours), zero where the answer has no count:
 * it lists only the slots with reads.
 */
function cameraSeries(data, cameraIds, colors, { slots, counts, slotOf }) {
  const position = new Map(slots.map((slot, index) => [slot, index]));
  const series = cameraIds.map((id) => ({ id, name: data.cameras[id], color: colors.get(id), values: slots.map(() => 0) }));
  const byCamera = new Map(series.map((one) => [one.id, one]));
  for (const count of counts) {
    const index = position.get(slotOf(count));
    const one = byCamera.get(count.config_entry_id);
    if (index !== undefined && one) one.values[index] += count.reads;
  }
  return series;
}

function hourRange(hour) {
  const two = (value) => String(value).padStart(2, "0");
  return `${two(hour)}:00–${two((hour + 1) % 24)}:00`;
}

/** The last `count` days of Home Assistant's time zone, oldest first ("YYYY-MM-DD"). */
function lastServerDays(formats, count) {
  const days = new Set();
  // Stepping by hours (not days) never skips a day on a daylight saving change.
  for (let hour = (count + 1) * 24; hour >= 0; hour -= 1) days.add(formats.serverDay(new Date(Date.now() - hour * HOUR_MS)));
  return [...days].slice(-count);
}

// ---------------------------------------------------------------------------------------------
// One read: a dialog with the full picture, every field, and the admin's actions

class ReadDialog {
  constructor(app) {
    this.app = app;
    this.content = html("div", { class: "dialog-content" });
    this.element = html(
      "dialog",
      { id: "read-dialog", "data-testid": "read-dialog", "aria-labelledby": "read-dialog-title" },
      html(
        "div",
        { class: "dialog-head" },
        html("h2", { id: "read-dialog-title" }),
        html(
          "button",
          {
            class: "icon-button",
            "data-testid": "dialog-close",
            "aria-label": app.t("dialog.close"),
            onclick: () => this.element.close(),
          },
          icon(ICON_CLOSE),
        ),
      ),
      this.content,
    );
    // A click on the backdrop (the dialog itself, outside its content) closes it.
    this.element.addEventListener("click", (event) => {
      if (event.target === this.element) this.element.close();
    });
  }

  async open(row) {
    const { app } = this;
    this.element.querySelector("h2").textContent = row.plate;
    this.content.replaceChildren(html("p", { class: "status" }, app.t("reads.loading")));
    if (!this.element.open) this.element.showModal();
    this.element.dataset.readId = row.read_id;
    try {
      const [read, states] = await Promise.all([app.api.getRead(row.read_id), app.stateNames()]);
      if (this.element.dataset.readId === String(row.read_id)) this.content.replaceChildren(...this.render(read, states));
    } catch (error) {
      const text = await app.errorText(error);
      this.content.replaceChildren(html("p", { class: "status error", "data-testid": "dialog-error" }, text));
    }
  }

  render(read, states) {
    const parts = [this.picture(read), this.evidence(read), this.fields(read, states)];
    if (this.app.hass.user?.is_admin) parts.push(new KnownVehicleForm(this.app, read).element);
    return parts.filter(Boolean);
  }

  picture(read) {
    if (!read.full_picture) return html("p", { class: "no-full-picture" }, this.app.t("dialog.no_picture"));
    const overlay = svg("svg", { class: "box-overlay", preserveAspectRatio: "none", "aria-hidden": "true" });
    const image = html("img", {
      src: read.full_picture,
      alt: read.plate,
      "data-testid": "full-picture",
      onload: () => drawPlateBox(overlay, image, read.details ?? {}),
    });
    return html("figure", { class: "full-picture" }, image, overlay);
  }

  evidence(read) {
    const pictures = read.evidence_pictures ?? [];
    if (!pictures.length) return null;
    return html(
      "div",
      { class: "evidence" },
      html("h3", {}, this.app.t("dialog.evidence")),
      pictures.map((url, index) =>
        html(
          "a",
          { href: url, target: "_blank", rel: "noopener" },
          html("img", { src: url, alt: `${read.plate} ${index + 1}`, loading: "lazy" }),
        ),
      ),
    );
  }

  /** Every field the integration sent, in its order (the row's, then the details), labelled. */
  fields(read, states) {
    const { app } = this;
    return html(
      "dl",
      { class: "fields", "data-testid": "read-fields" },
      // A pair per <div> (valid in a <dl>): the pairs flow into as many columns as fit.
      readFields(read).map(([key, value]) =>
        html(
          "div",
          { class: "field" },
          html("dt", {}, fieldLabel(app, key)),
          html("dd", { "data-field": key }, fieldValue(app, states, key, value)),
        ),
      ),
    );
  }
}

/**
 * Draws the plate box over the full picture. The box is in the camera's processing resolution;
 * the picture may be smaller or larger, so both axes are scaled by its natural size.
 */
function drawPlateBox(overlay, image, details) {
  const box = details.plate_box;
  const width = image.naturalWidth;
  const height = image.naturalHeight;
  overlay.setAttribute("viewBox", `0 0 ${width} ${height}`);
  overlay.replaceChildren();
  if (!box || !width || !height) return;
  const [fromWidth, fromHeight] = details.resolution ?? [width, height];
  const scaleX = width / fromWidth;
  const scaleY = height / fromHeight;
  overlay.append(
    svg("rect", {
      class: "plate-box",
      "data-testid": "plate-box",
      x: box.x1 * scaleX,
      y: box.y1 * scaleY,
      width: (box.x2 - box.x1) * scaleX,
      height: (box.y2 - box.y1) * scaleY,
    }),
  );
}

/** The admin's actions on a read: add its plate as a known vehicle, or edit the one it matched. */
class KnownVehicleForm {
  constructor(app, read) {
    this.app = app;
    this.read = read;
    this.vehicleId = read.vehicle_id ?? null;
    this.message = html("p", { class: "message", role: "status", "data-testid": "dialog-message" });
    this.error = html("p", { class: "status error", role: "alert", "data-testid": "dialog-error", hidden: true });
    this.buttons = html("div", { class: "buttons" });
    this.formBox = html("div", { class: "vehicle-form-box" });
    this.element = html("div", { class: "actions", "data-testid": "read-actions" }, this.buttons, this.formBox, this.message, this.error);
    this.showButtons();
  }

  showButtons() {
    const { app } = this;
    this.formBox.replaceChildren();
    if (this.vehicleId) {
      this.buttons.replaceChildren(
        html("button", { "data-testid": "edit-vehicle", onclick: () => this.showForm(this.read.known_list ?? "allow") }, app.t("actions.edit_vehicle")),
      );
    } else {
      this.buttons.replaceChildren(
        html("button", { "data-testid": "add-allow", onclick: () => this.showForm("allow") }, app.t("actions.add_allow")),
        html("button", { class: "danger", "data-testid": "add-deny", onclick: () => this.showForm("deny") }, app.t("actions.add_deny")),
      );
    }
  }

  showForm(list) {
    const { app, read } = this;
    const editing = Boolean(this.vehicleId);
    this.buttons.replaceChildren();
    this.error.hidden = true;
    this.message.textContent = "";
    const name = html("input", {
      id: "vehicle-name",
      "data-testid": "vehicle-name",
      maxlength: 100,
      ".value": editing ? (read.known_name ?? "") : "",
      autocomplete: "off",
    });
    // The known vehicle's own plate when editing (the read may differ by an OCR slip).
    const plate = html("input", {
      id: "vehicle-plate",
      "data-testid": "vehicle-plate",
      ".value": editing ? read.details?.matched_plate ?? read.plate : read.plate,
      autocomplete: "off",
      spellcheck: "false",
    });
    const listSelect = html(
      "select",
      { id: "vehicle-list", "data-testid": "vehicle-list" },
      ["allow", "deny"].map((value) => html("option", { value, selected: value === list }, app.t(`known_list.${value}`))),
    );
    const save = html("button", { type: "submit", "data-testid": "vehicle-save" }, app.t("actions.save"));
    const form = html(
      "form",
      {
        class: "vehicle-form",
        "data-testid": "vehicle-form",
        onsubmit: (event) => {
          event.preventDefault();
          this.save({ plate: plate.value.trim(), name: name.value.trim(), list: listSelect.value }, save);
        },
      },
      html("h3", {}, app.t(editing ? "actions.edit_vehicle" : "actions.add_vehicle")),
      html("label", { for: "vehicle-name" }, app.t("form.name")),
      name,
      html("label", { for: "vehicle-plate" }, app.t("fields.plate")),
      plate,
      html("label", { for: "vehicle-list" }, app.t("fields.known_list")),
      listSelect,
      html(
        "div",
        { class: "buttons" },
        save,
        html(
          "button",
          { type: "button", class: "secondary", "data-testid": "vehicle-cancel", onclick: () => this.showButtons() },
          app.t("actions.cancel"),
        ),
      ),
    );
    this.formBox.replaceChildren(form);
    name.focus();
  }

  async save(fields, button) {
    const { app } = this;
    button.disabled = true;
    this.error.hidden = true;
    try {
      const vehicle = await app.api.saveKnownVehicle({ ...fields, ...(this.vehicleId ? { vehicle_id: this.vehicleId } : {}) });
      // Later saves edit what was just added.
      this.vehicleId = vehicle.vehicle_id;
      this.read = {
        ...this.read,
        vehicle_id: vehicle.vehicle_id,
        known_name: vehicle.name,
        known_list: vehicle.list,
        details: { ...this.read.details, matched_plate: vehicle.plate },
      };
      this.showButtons();
      this.message.textContent = app.t("actions.saved", { name: vehicle.name || vehicle.plate, list: app.t(`known_list.${vehicle.list}`) });
    } catch (error) {
      this.error.textContent = await app.errorText(error);
      this.error.hidden = false;
    } finally {
      button.disabled = false;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The panel

const STYLE = `
:host {
  /* Home Assistant does not bound a custom panel's height: the panel takes the viewport's, so
     its header stays and only its content scrolls. */
  display: flex;
  flex-direction: column;
  height: 100vh;
  height: 100dvh;
  background: var(--primary-background-color);
  color: var(--primary-text-color);
  font-family: var(--ha-font-family-body, var(--paper-font-body1_-_font-family, Roboto, sans-serif));
  --lpr-radius: var(--ha-card-border-radius, 12px);
  --lpr-known: var(--success-color, #43a047);
  --lpr-denied: var(--error-color, #db4437);
}
header {
  /* Its own height: wrapped onto two lines (a long title, a phone), the tabs stay above the view. */
  flex: none;
  display: flex;
  align-items: center;
  gap: 8px;
  min-height: var(--header-height, 56px);
  padding: 0 12px;
  box-sizing: border-box;
  background: var(--app-header-background-color, var(--primary-color));
  color: var(--app-header-text-color, var(--text-primary-color, #fff));
  border-bottom: var(--app-header-border-bottom, none);
  flex-wrap: wrap;
}
header h1 { font-size: 20px; font-weight: 400; margin: 0 8px 0 4px; flex: 1 1 auto; }
nav { display: flex; gap: 4px; }
nav button {
  background: none; border: none; color: inherit; padding: 14px 12px; font: inherit; cursor: pointer;
  border-bottom: 2px solid transparent; opacity: 0.8; text-transform: uppercase; font-size: 14px; letter-spacing: 0.05em;
}
nav button[aria-selected="true"] { border-bottom-color: currentColor; opacity: 1; }
.icon { width: 24px; height: 24px; fill: currentColor; }
.icon-button { background: none; border: none; color: inherit; padding: 8px; border-radius: 50%; cursor: pointer; display: inline-flex; }
.icon-button:hover { background: rgba(127, 127, 127, 0.15); }
#menu-button { display: none; }
:host([narrow]) #menu-button { display: inline-flex; }
main { flex: 1 1 auto; overflow: auto; padding: 16px; box-sizing: border-box; container-type: inline-size; }
.view[hidden] { display: none; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 12px; }
input, select, button { font: inherit; font-size: 14px; }
input, select {
  background: var(--card-background-color); color: var(--primary-text-color);
  border: 1px solid var(--divider-color); border-radius: 6px; padding: 8px 10px; min-height: 38px; box-sizing: border-box;
}
input[type="search"] { flex: 1 1 200px; min-width: 160px; }
input:focus, select:focus { outline: 2px solid var(--primary-color); outline-offset: -1px; }
.custom-period { display: inline-flex; gap: 8px; flex-wrap: wrap; }
.custom-period[hidden] { display: none; }
.custom-period label { display: inline-flex; gap: 6px; align-items: center; color: var(--secondary-text-color); }
.chips { display: inline-flex; gap: 6px; flex-wrap: wrap; }
.chip {
  display: inline-flex; align-items: center; gap: 4px; padding: 4px 10px 4px 6px; border-radius: 16px;
  border: 1px solid var(--divider-color); background: var(--card-background-color); cursor: pointer; user-select: none;
}
.chip input { min-height: 0; margin: 0; accent-color: var(--primary-color); }
button {
  background: var(--primary-color); color: var(--text-primary-color, #fff); border: none; border-radius: 18px;
  padding: 8px 16px; cursor: pointer; min-height: 36px;
}
button.secondary { background: transparent; color: var(--primary-color); border: 1px solid var(--divider-color); }
button.danger { background: var(--lpr-denied); }
button.toggle { background: transparent; color: var(--primary-text-color); border: 1px solid var(--divider-color); border-radius: 0; }
button.toggle:first-child { border-radius: 18px 0 0 18px; }
button.toggle:last-child { border-radius: 0 18px 18px 0; border-left: none; }
button.toggle[aria-pressed="true"] { background: var(--primary-color); color: var(--text-primary-color, #fff); border-color: var(--primary-color); }
button:disabled { opacity: 0.5; cursor: default; }
.toggles { display: inline-flex; }
.timeline {
  display: flex; align-items: center; gap: 12px; margin-bottom: 12px; padding: 8px 12px; border-radius: var(--lpr-radius);
  background: var(--secondary-background-color, var(--card-background-color)); flex-wrap: wrap;
}
.timeline[hidden] { display: none; }
.table {
  background: var(--card-background-color); border-radius: var(--lpr-radius);
  box-shadow: var(--ha-card-box-shadow, none); border: 1px solid var(--divider-color); overflow: hidden;
}
.row { display: grid; align-items: center; gap: 12px; padding: 8px 12px; border-top: 1px solid var(--divider-color); }
.row.head { border-top: none; font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--secondary-text-color); }
.rows .row { cursor: pointer; }
.rows .row:hover, .rows .row:focus-visible { background: rgba(127, 127, 127, 0.08); outline: none; }
.reads-table .row { grid-template-columns: 112px minmax(110px, 1.1fr) minmax(150px, 1.4fr) minmax(80px, 1fr) minmax(90px, 0.9fr) minmax(100px, 1.2fr) minmax(70px, 0.7fr); }
.plates-table .row { grid-template-columns: minmax(110px, 1.2fr) 70px minmax(140px, 1.4fr) minmax(140px, 1.4fr) minmax(100px, 1.2fr); }
.cell { min-width: 0; overflow: hidden; text-overflow: ellipsis; }
.cell.picture img, .no-picture { display: block; width: 104px; height: 36px; object-fit: contain; border-radius: 4px; background: rgba(127, 127, 127, 0.12); }
.plate-text { font-family: var(--ha-font-family-code, monospace); font-weight: 600; font-size: 16px; letter-spacing: 0.04em; }
.cell.time, .cell.camera, .cell.direction { color: var(--secondary-text-color); }
.badge {
  display: inline-block; padding: 2px 8px; border-radius: 10px; font-size: 12px; max-width: 100%;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: middle;
  border: 1px solid var(--divider-color); color: var(--secondary-text-color);
}
.badge.event-type-known { border-color: var(--lpr-known); color: var(--lpr-known); }
.badge.event-type-denied { border-color: var(--lpr-denied); color: var(--lpr-denied); }
.badge.repeat { margin-left: 6px; }
.authorized-true { color: var(--lpr-known); }
.authorized-false { color: var(--lpr-denied); }
.row.live { animation: arrive 2s ease-out; }
@keyframes arrive { from { background: rgba(var(--rgb-primary-color, 3, 169, 244), 0.25); } to { background: transparent; } }
.footer { display: flex; align-items: center; justify-content: space-between; gap: 12px; padding: 12px 4px; flex-wrap: wrap; }
.status { color: var(--secondary-text-color); }
.status.error, .error { color: var(--error-color, #db4437); }
.sentinel { height: 1px; }
/* Phone width: each read becomes a small card (picture, plate and event type first). */
@container (max-width: 700px) {
  .row.head { display: none; }
  .reads-table .row {
    grid-template-columns: 96px 1fr auto;
    grid-template-areas: "picture plate event_type" "picture time authorized" "picture camera direction";
    gap: 2px 10px;
  }
  .reads-table .cell.picture { grid-area: picture; }
  .reads-table .cell.plate { grid-area: plate; }
  .reads-table .cell.event_type { grid-area: event_type; justify-self: end; }
  .reads-table .cell.time { grid-area: time; font-size: 13px; }
  .reads-table .cell.authorized { grid-area: authorized; justify-self: end; font-size: 13px; }
  .reads-table .cell.camera { grid-area: camera; font-size: 13px; }
  .reads-table .cell.direction { grid-area: direction; justify-self: end; font-size: 13px; }
  .cell.picture img, .no-picture { width: 92px; }
  .plates-table .row { grid-template-columns: 1fr auto; grid-template-areas: "plate reads" "last vehicle"; gap: 2px 10px; }
  .plates-table .cell.plate { grid-area: plate; }
  .plates-table .cell.reads { grid-area: reads; justify-self: end; }
  .plates-table .cell.first_seen { display: none; }
  .plates-table .cell.last_seen { grid-area: last; font-size: 13px; color: var(--secondary-text-color); }
  .plates-table .cell.vehicle { grid-area: vehicle; justify-self: end; }
  main { padding: 8px; }
}
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; margin-bottom: 12px; }
.tile, .card {
  background: var(--card-background-color); border-radius: var(--lpr-radius); border: 1px solid var(--divider-color);
  box-shadow: var(--ha-card-box-shadow, none); padding: 12px 16px;
}
.tile { display: flex; flex-direction: column; gap: 4px; }
.tile .label { color: var(--secondary-text-color); font-size: 13px; }
.tile .value { font-size: 24px; }
.tile[data-testid="stats-busiest"] .value { font-size: 18px; line-height: 1.6; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: 12px; }
.card h3 { margin: 0 0 8px; font-size: 16px; font-weight: 500; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; margin: 0 4px 12px; color: var(--secondary-text-color); }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px; vertical-align: -1px; }
.chart { width: 100%; height: auto; display: block; }
.chart .grid { stroke: var(--divider-color); stroke-width: 1; }
.chart .axis { fill: var(--secondary-text-color); font-size: 15px; }
.card.wide { grid-column: 1 / -1; }
.chart .line { fill: none; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
dialog {
  border: none; border-radius: var(--lpr-radius); padding: 0; width: min(920px, 96vw); max-height: 92vh;
  background: var(--card-background-color); color: var(--primary-text-color); box-shadow: 0 8px 32px rgba(0, 0, 0, 0.4);
}
dialog::backdrop { background: rgba(0, 0, 0, 0.5); }
.dialog-head {
  display: flex; align-items: center; justify-content: space-between; padding: 8px 8px 4px 20px;
  position: sticky; top: 0; z-index: 1; background: var(--card-background-color);
}
.dialog-head h2 { margin: 0; font-family: var(--ha-font-family-code, monospace); letter-spacing: 0.05em; }
.dialog-content { padding: 8px 20px 20px; }
figure.full-picture { position: relative; margin: 0 0 12px; }
figure.full-picture img { display: block; width: 100%; height: auto; border-radius: 6px; outline: 1px solid var(--divider-color); }
.box-overlay { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
.plate-box { fill: none; stroke: var(--primary-color); stroke-width: 3; vector-effect: non-scaling-stroke; }
.evidence { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 12px; }
.evidence h3 { width: 100%; margin: 0; font-size: 14px; font-weight: 500; }
.evidence img { height: 72px; border-radius: 4px; }
dl.fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 280px), 1fr)); gap: 6px 24px; margin: 0 0 16px; }
dl.fields .field { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 12px; align-items: baseline; }
dl.fields dt { color: var(--secondary-text-color); overflow-wrap: anywhere; }
dl.fields dd { margin: 0; overflow-wrap: anywhere; }
.actions .buttons { display: flex; gap: 8px; flex-wrap: wrap; }
.vehicle-form { display: grid; grid-template-columns: max-content minmax(0, 320px); gap: 8px 12px; align-items: center; }
.vehicle-form h3 { grid-column: 1 / -1; margin: 0; font-size: 16px; font-weight: 500; }
.vehicle-form .buttons { grid-column: 2; }
.message { color: var(--lpr-known); }
.message:empty { display: none; }
@media (max-width: 600px) {
  dialog { width: 100vw; max-width: 100vw; max-height: 100vh; height: 100vh; border-radius: 0; margin: 0; }
  .vehicle-form { grid-template-columns: 1fr; }
  .vehicle-form .buttons { grid-column: 1; }
  nav button { padding: 14px 8px; }
}
`;

class LprPlateLog extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this._hass = undefined;
    this._language = undefined;
    this._tab = "reads";
    this._started = false;
  }

  get hass() {
    return this._hass;
  }

  set hass(hass) {
    const first = !this._hass;
    this._hass = hass;
    // Home Assistant sets hass on every state change: only another language or locale (time
    // zone, 12/24 hours: the user's profile) rebuilds the panel.
    if (first || hass.language !== this._language || hass.locale !== this._locale) {
      this._language = hass.language;
      this._locale = hass.locale;
      this.build();
    }
  }

  set narrow(narrow) {
    this.toggleAttribute("narrow", Boolean(narrow));
  }

  set route(route) {
    this._route = route;
    const tab = route?.path?.split("/")[1];
    if (TABS.includes(tab) && tab !== this._tab) this.selectTab(tab, false);
  }

  get route() {
    return this._route;
  }

  set panel(panel) {
    this._panel = panel;
  }

  connectedCallback() {
    if (this.app) this.startViews();
  }

  disconnectedCallback() {
    this.views?.reads.stop();
    this._started = false;
  }

  async build() {
    const language = this._language;
    const strings = await Strings.load(language).catch(() => new Strings({}, {}));
    if (language !== this._language) return; // a newer language won the race
    this.views?.reads.stop();
    const cameras = new Cameras();
    let stateNames;
    this.app = {
      api: new PlateLogApi(this),
      cameras,
      formats: new Formats(this._hass),
      t: (key, placeholders) => strings.t(key, placeholders),
      has: (key) => strings.has(key),
      get hass() {
        return this.panel.hass;
      },
      panel: this,
      openRead: (read) => this.dialog.open(read),
      showTimeline: (plate) => {
        this.selectTab("reads");
        this.views.reads.showTimeline(plate);
      },
      errorText: (error) => errorText(this._hass, strings, error),
      stateNames: () => (stateNames ??= sensorStateNames(this._hass)),
    };
    this.views = { reads: new ReadsView(this.app), plates: new PlatesView(this.app), statistics: new StatisticsView(this.app) };
    this.dialog = new ReadDialog(this.app);
    this.render();
    this._started = false;
    if (this.isConnected) this.startViews();
    // The cameras of the filters, before any row shows them.
    this.app.api.statistics(30).then(
      (data) => cameras.add(Object.entries(data.cameras)),
      () => {}, // the Reads view shows what went wrong
    );
  }

  render() {
    const { app } = this;
    this.tabButtons = TABS.map((tab) =>
      html(
        "button",
        {
          role: "tab",
          id: `tab-${tab}`,
          "data-testid": `tab-${tab}`,
          "aria-selected": String(tab === this._tab),
          onclick: () => this.selectTab(tab),
        },
        app.t(`tabs.${tab}`),
      ),
    );
    this.main = html("main", {}, TABS.map((tab) => this.views[tab].element));
    this.shadowRoot.replaceChildren(
      html("style", {}, STYLE),
      html(
        "header",
        {},
        html(
          "button",
          {
            class: "icon-button",
            id: "menu-button",
            "data-testid": "menu-button",
            "aria-label": app.t("menu"),
            onclick: () => this.dispatchEvent(new CustomEvent("hass-toggle-menu", { bubbles: true, composed: true })),
          },
          icon(ICON_MENU),
        ),
        html("h1", {}, app.t("title")),
        html("nav", { role: "tablist" }, this.tabButtons),
      ),
      this.main,
      this.dialog.element,
    );
    this.showTab();
  }

  startViews() {
    if (this._started) return;
    this._started = true;
    // The Reads view always runs: its live rows are there when the user comes back to it.
    this.views.reads.start();
    if (this._tab !== "reads") this.views[this._tab].start();
  }

  /** Shows a tab; its path (/lpr-plates/<tab>) goes into the address bar, so back and reload work. */
  selectTab(tab, navigate = true) {
    this._tab = tab;
    if (!this.views) return;
    this.showTab();
    if (tab !== "reads") this.views[tab].start();
    const prefix = this._route?.prefix;
    if (navigate && prefix) {
      history.pushState(null, "", `${prefix}/${tab}`);
      window.dispatchEvent(new CustomEvent("location-changed", { detail: { replace: false } }));
    }
  }

  showTab() {
    for (const tab of TABS) this.views[tab].element.hidden = tab !== this._tab;
    for (const button of this.tabButtons) button.setAttribute("aria-selected", String(button.id === `tab-${this._tab}`));
  }
}

const ERROR_CODES = ["not_found", "not_loaded", "already_known", "invalid", "unauthorized", "unknown_command"];

/**
 * A failed command in the user's language. The code picks the panel's sentence; the details
 * (why a plate is refused, say) come in the integration's own translation of its exception
 * when the error names one, else in the English message the error carries.
 */
async function errorText(hass, strings, error) {
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
async function sensorStateNames(hass) {
  let localize;
  try {
    localize = await hass.loadBackendTranslation("entity", "lpr_camera");
  } catch {
    // Without them the raw values show, which are English words.
  }
  return (key, value) => localize?.(`component.lpr_camera.entity.sensor.${key}.state.${value}`) || String(value);
}

if (!customElements.get("lpr-plate-log")) customElements.define("lpr-plate-log", LprPlateLog);
