/** One read: a dialog with the full picture, every field, and the admin's actions. */

import { html, icon, svg } from "./dom.js";
import { fieldLabel, fieldValue, readFields } from "./fields.js";
import { KnownVehicleForm } from "./known-vehicle-form.js";

const ICON_CLOSE =
  "M19,6.41L17.59,5L12,10.59L6.41,5L5,6.41L10.59,12L5,17.59L6.41,19L12,13.41L17.59,19L19,17.59L13.41,12L19,6.41Z";

export class ReadDialog {
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
