/**
 * A vehicle's visits, shown above its plate's timeline: when it arrived, when it left, how
 * long it stayed, newest first. A known vehicle's are its own however its plate was read; any
 * other's are its plate's. A click on a time opens the read of that arrival or departure.
 */

import { html, table } from "./dom.js";
import { duration } from "./time-spans.js";

const VISITS_PAGE = 10;

export class VisitsList {
  constructor(app) {
    this.app = app;
    this.generation = 0;
    this.next = null;
    this.title = html("h3", {});
    this.body = html("div", { class: "rows", role: "rowgroup", "data-testid": "visit-rows" });
    this.status = html("span", { class: "status", role: "status", "data-testid": "visits-status" });
    this.loadMore = html(
      "button",
      { class: "secondary", "data-testid": "visits-more", hidden: true, onclick: () => this.load() },
      app.t("reads.load_more"),
    );
    this.element = html(
      "section",
      { class: "visits", "data-testid": "visits", hidden: true },
      this.title,
      table(
        "visits-table",
        app.t("visits.title"),
        {
          arrival: app.t("visits.arrived"),
          departure: app.t("visits.left"),
          duration: app.t("visits.duration"),
        },
        this.body,
      ),
      html("div", { class: "footer" }, this.status, this.loadMore),
    );
  }

  /** The visits of a vehicle ({plate, vehicle_id, known_name}); null hides them. */
  show(vehicle) {
    this.generation += 1;
    this.vehicle = vehicle;
    this.next = null;
    this.body.replaceChildren();
    this.element.hidden = !vehicle;
    if (!vehicle) return;
    this.title.textContent = this.app.t("visits.of", { vehicle: vehicle.known_name || vehicle.plate });
    this.load(true);
  }

  async load(first = false) {
    const generation = this.generation;
    this.loadMore.disabled = true;
    this.showStatus(this.app.t("reads.loading"));
    try {
      const page = await this.app.api.listVisits(this.vehicle, first ? null : this.next, VISITS_PAGE);
      if (generation !== this.generation) return;
      this.next = page.next;
      this.body.append(...page.visits.map((visit) => this.row(visit)));
      this.showStatus(this.body.children.length ? "" : this.app.t("visits.empty"));
    } catch (error) {
      if (generation === this.generation) this.showStatus(await this.app.errorText(error), true);
    } finally {
      if (generation === this.generation) {
        this.loadMore.disabled = false;
        this.loadMore.hidden = this.next === null;
      }
    }
  }

  row(visit) {
    const { app } = this;
    const { arrival, departure } = visit;
    let left;
    let length;
    if (departure) {
      left = this.moment(departure);
      length = duration(app, visit.duration);
    } else if (visit.on_site) {
      left = html("span", { class: "badge on-site-now" }, app.t("visits.on_site"));
      length = app.t("visits.so_far", { duration: duration(app, (Date.now() - Date.parse(arrival.filed_at)) / 1000) });
    } else {
      // It arrived again, or was marked as left, dropped or cleared: no camera saw it go.
      left = html("span", { class: "unseen" }, app.t("visits.unseen"));
      length = "—";
    }
    return html(
      "div",
      { class: `row visit${visit.on_site ? " ongoing" : ""}`, role: "row", "data-testid": "visit-row" },
      html("span", { class: "cell arrival", role: "cell" }, this.moment(arrival)),
      html("span", { class: "cell departure", role: "cell" }, left),
      html("span", { class: "cell duration", role: "cell", "data-testid": "visit-duration" }, length),
    );
  }

  /** When and where a read of the visit was (Home Assistant's time of it), opening the read. */
  moment(read) {
    const { app } = this;
    return html(
      "button",
      { class: "link", title: app.t("visits.open_read"), onclick: () => app.openRead(read) },
      html("time", { datetime: read.filed_at }, app.formats.dateTime(read.filed_at)),
      html("span", { class: "where" }, read.camera),
    );
  }

  showStatus(text, error = false) {
    this.status.textContent = text;
    this.status.classList.toggle("error", error);
  }
}
