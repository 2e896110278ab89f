/**
 * The Statistics view: over the last 7 or 30 days, per camera, reads per day and per hour, by
 * hour of the day with the busiest hours, and the share of unknown plates.
 */

import { CHART, CHART_COLORS, lines, stackedBars } from "./charts.js";
import { LazyView, html } from "./dom.js";
import { cameraSelect } from "./filters.js";
import { HOUR_MS } from "./strings.js";

export class StatisticsView extends LazyView {
  constructor(app) {
    super();
    this.app = app;
    this.days = 7;
    this.configEntryId = "";
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
    this.camera = cameraSelect(app, { "data-testid": "stats-camera" }, (configEntryId) => {
      this.configEntryId = configEntryId;
      this.reload();
    });
    this.content = html("div", { class: "statistics", "data-testid": "statistics" });
    this.element = html(
      "section",
      { class: "view statistics-view", "data-testid": "view-statistics" },
      html("div", { class: "filters" }, html("span", { class: "toggles" }, this.dayButtons), this.camera),
      this.content,
    );
  }

  async reload() {
    const generation = this.nextLoad();
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
