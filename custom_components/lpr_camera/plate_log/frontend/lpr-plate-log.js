/**
 * The plate log panel of the LPR Camera integration: "Plates" in Home Assistant's sidebar.
 *
 * Plain ES modules, no build step and no request beyond Home Assistant itself: this one is the
 * panel's element, the others beside it its views (reads-view.js, plates-view.js,
 * statistics-view.js, read-dialog.js) and what they share (dom.js, strings.js, fields.js,
 * filters.js, api.js, charts.js, style.js). They import each other by relative URLs, which keep
 * the versioned path the integration serves the folder under. Home Assistant sets the properties
 * every custom panel gets: hass (on every state change, so its setter is cheap), narrow, route,
 * panel.
 */

import { PlateLogApi } from "./api.js";
import { html, icon } from "./dom.js";
import { Cameras } from "./filters.js";
import { PlatesView } from "./plates-view.js";
import { ReadDialog } from "./read-dialog.js";
import { ReadsView } from "./reads-view.js";
import { StatisticsView } from "./statistics-view.js";
import { Formats, Strings, errorText, sensorStateNames } from "./strings.js";
import { STYLE } from "./style.js";

const TABS = ["reads", "plates", "statistics"];
// A Material Design Icons path.
const ICON_MENU = "M3,6H21V8H3V6M3,11H21V13H3V11M3,16H21V18H3V16Z";

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

if (!customElements.get("lpr-plate-log")) customElements.define("lpr-plate-log", LprPlateLog);
