/**
 * The Plates view: each plate seen in a period, its reads, first and last seen, its known
 * vehicle; a click shows the plate's own timeline in the Reads view.
 */

import { LazyView, html, table } from "./dom.js";
import { eventTypeBadge, fieldLabel } from "./fields.js";
import { FilterBar } from "./filters.js";

const PLATES_LIMIT = 500;

export class PlatesView extends LazyView {
  constructor(app) {
    super();
    this.app = app;
    this.filters = new FilterBar(app, { prefix: "plates", period: "week", onChange: () => this.reload() });
    this.body = html("div", { class: "rows", role: "rowgroup", "data-testid": "plates-rows" });
    this.status = html("span", { class: "status", "data-testid": "plates-status", role: "status" });
    this.element = html(
      "section",
      { class: "view plates", "data-testid": "view-plates" },
      html("div", { class: "filters" }, this.filters.elements()),
      table(
        "plates-table",
        app.t("tabs.plates"),
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
  }

  async reload() {
    const generation = this.nextLoad();
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
