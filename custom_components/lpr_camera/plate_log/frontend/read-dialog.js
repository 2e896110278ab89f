/** One read: a dialog with the full picture, every field, and the admin's actions. */

import { CorrectionForm, plateWithReading, sitePlate } from "./correction-form.js";
import { html, modalDialog, svg } from "./dom.js";
import { fieldLabel, fieldValue, readFields } from "./fields.js";
import { KnownVehicleForm } from "./known-vehicle-form.js";

export class ReadDialog {
  constructor(app) {
    this.app = app;
    this.content = html("div", { class: "dialog-content" });
    // The admin's actions, below the read and always in view: its errors and buttons with them.
    this.actions = html("div", { class: "dialog-actions", hidden: true });
    this.heading = html("h2", {});
    this.element = modalDialog(
      { id: "read-dialog", testId: "read-dialog", closeTestId: "dialog-close", closeLabel: app.t("dialog.close"), title: this.heading },
      this.content,
      this.actions,
    );
  }

  /** Opens a read (a row of a list); `notice` says what was just done to it. */
  async open(row, notice = "") {
    const { app } = this;
    this.heading.replaceChildren(...plateWithReading(app, row));
    this.content.replaceChildren(html("p", { class: "status" }, app.t("reads.loading")));
    this.actions.replaceChildren();
    this.actions.hidden = true;
    if (!this.element.open) this.element.showModal();
    this.element.dataset.readId = row.read_id;
    try {
      const [read, states] = await Promise.all([app.api.getRead(row.read_id), app.stateNames()]);
      if (this.element.dataset.readId === String(row.read_id)) this.show(read, states, notice);
    } catch (error) {
      const text = await app.errorText(error);
      this.content.replaceChildren(html("p", { class: "status error", "data-testid": "dialog-error" }, text));
    }
  }

  show(read, states, notice) {
    const { app } = this;
    const notes = notice ? html("p", { class: "message", role: "status", "data-testid": "dialog-notice" }, notice) : null;
    this.content.replaceChildren(...[notes, this.picture(read), this.evidence(read), this.fields(read, states)].filter(Boolean));
    this.content.scrollTop = 0;
    if (!app.hass.user?.is_admin) return;
    this.actions.replaceChildren(
      new KnownVehicleForm(app, read).element,
      new CorrectionForm(app, read, (row, message) => this.corrected(row, message)).element,
    );
    this.actions.hidden = false;
  }

  /** A correction made: the lists show it, and the read again (its match follows the plate). */
  async corrected(row, message) {
    this.app.readCorrected(row);
    await this.open(row, message);
  }

  picture(read) {
    if (!read.full_picture) return html("p", { class: "no-full-picture" }, this.app.t("dialog.no_picture"));
    const overlay = svg("svg", { class: "box-overlay", preserveAspectRatio: "none", "aria-hidden": "true" });
    const image = html("img", {
      src: read.full_picture,
      alt: sitePlate(read),
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
