/** What the views filter by: the cameras, and the Reads and Plates views' search and period. */

import { debounce, html } from "./dom.js";
import { HOUR_MS } from "./strings.js";

const SEARCH_DELAY_MS = 300;
const PERIOD_HOURS = { day: 24, week: 7 * 24, month: 30 * 24 };

/** The cameras the filters offer: those of the last 30 days' statistics and of every row seen. */
export class Cameras {
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

/** A camera filter: every camera, or one; it follows the cameras as they become known. */
export function cameraSelect(app, attributes, onChange) {
  const select = html("select", { ...attributes, "aria-label": app.t("filters.camera"), onchange: () => onChange(select.value) });
  const fill = () => {
    const selected = select.value;
    select.replaceChildren(
      html("option", { value: "" }, app.t("filters.all_cameras")),
      ...app.cameras.sorted().map(([id, title]) => html("option", { value: id, selected: id === selected }, title)),
    );
  };
  fill();
  app.cameras.listeners.add(fill);
  return select;
}

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
export class FilterBar {
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
    this.camera = cameraSelect(app, { id: `${prefix}-camera`, "data-testid": `${prefix}-camera` }, (configEntryId) => {
      this.state.configEntryId = configEntryId;
      this.onChange("camera");
    });
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
