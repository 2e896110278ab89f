/**
 * The Reads view: every read, newest first, pages loaded as the list scrolls, new reads on top
 * as they are logged (the Reads view keeps its subscription while the panel is in the page).
 */

import { html, table } from "./dom.js";
import { EVENT_TYPES, eventTypeBadge, fieldLabel } from "./fields.js";
import { FilterBar } from "./filters.js";

const READS_PAGE = 50;
// The fields the list shows, in its columns after the plate crop.
const READ_COLUMNS = ["plate", "time", "camera", "direction", "event_type", "authorized"];

export class ReadsView {
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
        "reads-table",
        app.t("tabs.reads"),
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
    this.started = true;
    if (this.rows.length === 0) this.reload();
    else await this.subscribe();
  }

  stop() {
    this.started = false;
    this.observer?.disconnect();
    this.unsubscribe();
  }

  /** The live reads of the current filters: the integration filters them, as it lists them. */
  async subscribe() {
    this.unsubscribe();
    const generation = this.generation;
    // Kept as a promise: a stop() before the subscription is confirmed still ends it.
    this.subscription = this.app.api.subscribeReads(this.query(), (read) => {
      if (generation === this.generation) this.onLiveRead(read);
    });
    try {
      await this.subscription;
    } catch (error) {
      this.showStatus(await this.app.errorText(error), true);
    }
  }

  unsubscribe() {
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
    if (this.started) this.subscribe();
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

  /** A read as it was logged, which the filters take: shown on top. */
  onLiveRead(read) {
    this.app.cameras.add([[read.config_entry_id, read.camera]]);
    if (this.shownIds.has(read.read_id)) return; // a page brought it already
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
