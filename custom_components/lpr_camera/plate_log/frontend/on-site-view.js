/**
 * The On site view: who is on site now, the newest arrival first: the vehicle, since when, at
 * which camera, the picture of the read it arrived by (a click opens that read). It follows
 * arrivals and departures live while it is shown; an administrator marks a vehicle as left.
 */

import { debounce, html, table } from "./dom.js";
import { eventTypeBadge, fieldLabel } from "./fields.js";
import { ago } from "./time-spans.js";

// As many as on_site/list gives at once; the count says how many there are in all.
const ON_SITE_LIMIT = 500;
// Arrivals and departures come in bursts (a car read at both gates): one reload for a burst.
const RELOAD_DELAY_MS = 300;
// "5 minutes ago" stays true while the view is open.
const TICK_MS = 30 * 1000;

export class OnSiteView {
  constructor(app) {
    this.app = app;
    this.generation = 0;
    this.reloadSoon = debounce(() => this.reload(), RELOAD_DELAY_MS);
    this.admin = Boolean(app.hass.user?.is_admin);
    this.body = html("div", { class: "rows", role: "rowgroup", "data-testid": "on-site-rows" });
    this.status = html("span", { class: "status", "data-testid": "on-site-status", role: "status" });
    this.confirmation = new LeaveConfirmation(app, () => this.reload());
    this.element = html(
      "section",
      { class: "view on-site", "data-testid": "view-on_site" },
      table(
        `on-site-table${this.admin ? " admin" : ""}`,
        app.t("tabs.on_site"),
        {
          picture: app.t("columns.picture"),
          vehicle: app.t("on_site.vehicle"),
          since: app.t("on_site.since"),
          camera: fieldLabel(app, "camera"),
          ...(this.admin ? { actions: "" } : {}),
        },
        this.body,
      ),
      html("div", { class: "footer" }, this.status),
      this.confirmation.element,
    );
  }

  /** Shown: the list, kept live (and its "minutes ago") until stop(). */
  start() {
    if (this.subscription) return;
    const subscription = this.app.api.subscribeOnSite(() => {
      if (this.subscription === subscription) this.reloadSoon(); // not one stop() ended
    });
    this.subscription = subscription;
    subscription.catch(async (error) => this.showStatus(await this.app.errorText(error), true));
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.reload();
  }

  stop() {
    this.subscription?.then(
      (unsubscribe) => unsubscribe(),
      () => {}, // it never began: nothing to end
    );
    this.subscription = undefined;
    clearInterval(this.ticker);
  }

  async reload() {
    const generation = ++this.generation;
    try {
      const { vehicles, count } = await this.app.api.listOnSite(ON_SITE_LIMIT);
      if (generation !== this.generation) return;
      this.body.replaceChildren(...vehicles.map((vehicle) => this.row(vehicle)));
      const number = this.app.formats.number(count);
      this.showStatus(
        count === 0
          ? this.app.t("on_site.empty")
          : this.app.t(count > vehicles.length ? "on_site.limited" : "on_site.count", {
              count: number,
              shown: this.app.formats.number(vehicles.length),
            }),
      );
    } catch (error) {
      if (generation === this.generation) this.showStatus(await this.app.errorText(error), true);
    }
  }

  row(vehicle) {
    const { app } = this;
    const read = vehicle.read_id ? { read_id: vehicle.read_id, plate: vehicle.plate } : null;
    const open = () => read && app.openRead(read);
    const eventType = { allow: "known", deny: "denied" }[vehicle.known_list] ?? "unknown";
    return html(
      "div",
      {
        class: `row on-site-row${read ? "" : " no-read"}`,
        role: "row",
        tabindex: read ? 0 : null,
        title: read ? app.t("on_site.open_arrival") : null,
        "data-testid": "on-site-row",
        "data-plate": vehicle.plate,
        onclick: open,
        onkeydown: (event) => {
          if (event.target === event.currentTarget && event.key === "Enter") open();
        },
      },
      html(
        "span",
        { class: "cell picture", role: "cell" },
        // The plate crop, as in the Reads view; the full picture of a reader that sends none.
        vehicle.plate_picture || vehicle.full_picture
          ? html("img", {
              src: vehicle.plate_picture || vehicle.full_picture,
              alt: vehicle.plate,
              loading: "lazy",
              decoding: "async",
              "data-testid": "on-site-picture",
            })
          : html("span", { class: "no-picture" }),
      ),
      html(
        "span",
        { class: "cell vehicle", role: "cell" },
        html("span", { class: "plate-text" }, vehicle.plate),
        eventTypeBadge(app, { event_type: eventType, known_name: vehicle.known_name }),
      ),
      html(
        "span",
        { class: "cell since", role: "cell" },
        html("time", { class: "ago", datetime: vehicle.arrival, "data-testid": "on-site-since" }, ago(app, vehicle.arrival)),
        html("span", { class: "absolute" }, app.formats.dateTime(vehicle.arrival)),
      ),
      html("span", { class: "cell camera", role: "cell" }, vehicle.camera),
      this.admin
        ? html(
            "span",
            { class: "cell actions", role: "cell" },
            html(
              "button",
              {
                class: "secondary",
                "data-testid": "mark-left",
                onclick: (event) => {
                  event.stopPropagation();
                  this.confirmation.ask(vehicle);
                },
              },
              app.t("on_site.mark_left"),
            ),
          )
        : null,
    );
  }

  /** The "minutes ago" of every row, as time goes by. */
  tick() {
    for (const time of this.body.querySelectorAll("time.ago")) time.textContent = ago(this.app, time.getAttribute("datetime"));
  }

  showStatus(text, error = false) {
    this.status.textContent = text;
    this.status.classList.toggle("error", error);
  }
}

/** "Mark as left" asks first: the vehicle leaves the site, and the logbook names who said so. */
class LeaveConfirmation {
  constructor(app, onLeft) {
    this.app = app;
    this.onLeft = onLeft;
    this.question = html("p", { class: "question" });
    this.error = html("p", { class: "status error", role: "alert", "data-testid": "leave-error", hidden: true });
    this.confirm = html("button", { "data-testid": "leave-confirm", onclick: () => this.leave() }, app.t("on_site.mark_left"));
    this.element = html(
      "dialog",
      { class: "confirmation", "data-testid": "leave-dialog", "aria-labelledby": "leave-dialog-title" },
      html("h2", { id: "leave-dialog-title" }, app.t("on_site.mark_left")),
      this.question,
      html("p", { class: "status" }, app.t("on_site.mark_left_explained")),
      this.error,
      html(
        "div",
        { class: "buttons" },
        html(
          "button",
          { class: "secondary", "data-testid": "leave-cancel", onclick: () => this.element.close() },
          app.t("actions.cancel"),
        ),
        this.confirm,
      ),
    );
  }

  ask(vehicle) {
    this.vehicle = vehicle;
    const name = vehicle.known_name ? `${vehicle.known_name} (${vehicle.plate})` : vehicle.plate;
    this.question.textContent = this.app.t("on_site.mark_left_question", { vehicle: name });
    this.error.hidden = true;
    this.confirm.disabled = false;
    this.element.showModal();
  }

  async leave() {
    this.confirm.disabled = true;
    try {
      await this.app.api.markLeft(this.vehicle);
      this.element.close();
      this.onLeft();
    } catch (error) {
      // Gone already (a camera saw it leave meanwhile): the list shows that.
      const gone = error?.code === "not_found";
      this.error.textContent = gone ? this.app.t("on_site.not_on_site") : await this.app.errorText(error);
      this.error.hidden = false;
      if (gone) this.onLeft();
      else this.confirm.disabled = false;
    }
  }
}
