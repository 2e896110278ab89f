/**
 * A misread fixed: the admin's correction of a read's plate (optionally a rule of its camera),
 * and how a corrected read shows both plates.
 */

import { html, saveAndCancel } from "./dom.js";

/** The plate the site went by: the corrected plate, else the plate as read. */
export function sitePlate(read) {
  return read.corrected_plate || read.plate;
}

/** What the camera read, under a corrected read's plate (null for a read not corrected). */
export function readAs(app, read) {
  if (!read.corrected_plate) return null;
  return html("span", { class: "read-as", "data-testid": "read-as" }, app.t("correction.read_as", { plate: read.plate }));
}

/** A read's plate as the dialog's heading shows it: the corrected plate, and what was read. */
export function plateWithReading(app, read) {
  return [html("span", { class: "plate-text" }, sitePlate(read)), readAs(app, read)].filter(Boolean);
}

export class CorrectionForm {
  /** `onCorrected(row)` gets the corrected read's row, and the message that says what was done. */
  constructor(app, read, onCorrected) {
    this.app = app;
    this.read = read;
    this.onCorrected = onCorrected;
    this.error = html("p", { class: "status error", role: "alert", "data-testid": "correction-error", hidden: true });
    this.box = html("div", { class: "correction-box" });
    this.element = html("div", { class: "actions correction", "data-testid": "correction" }, this.box, this.error);
    this.showButton();
  }

  showButton() {
    this.error.hidden = true;
    this.box.replaceChildren(
      html(
        "div",
        { class: "buttons" },
        html("button", { class: "secondary", "data-testid": "correct-plate", onclick: () => this.showForm() }, this.app.t("correction.button")),
      ),
    );
  }

  showForm() {
    const { app, read } = this;
    const plate = html("input", {
      id: "correction-plate",
      "data-testid": "correction-plate",
      ".value": sitePlate(read),
      maxlength: 32,
      autocomplete: "off",
      spellcheck: "false",
      required: true,
    });
    const remember = html("input", { type: "checkbox", id: "correction-remember", "data-testid": "correction-remember" });
    const { save, buttons } = saveAndCancel(app, "correction", () => this.showButton());
    const form = html(
      "form",
      {
        class: "vehicle-form correction-form",
        "data-testid": "correction-form",
        onsubmit: (event) => {
          event.preventDefault();
          this.save(plate.value.trim(), remember.checked, save);
        },
      },
      html("h3", {}, app.t("correction.title")),
      html("p", { class: "hint" }, app.t("correction.hint", { plate: read.plate })),
      html("label", { for: "correction-plate" }, app.t("correction.plate")),
      plate,
      html(
        "label",
        { class: "check", for: "correction-remember" },
        remember,
        app.t("correction.remember", { camera: read.camera, plate: read.plate }),
      ),
      buttons,
    );
    this.box.replaceChildren(form);
    plate.focus();
    plate.select();
  }

  async save(plate, remember, button) {
    const { app, read } = this;
    button.disabled = true;
    this.error.hidden = true;
    try {
      const { read: row, rule } = await app.api.correctRead(read.read_id, plate, remember);
      const corrected = sitePlate(row);
      const message = rule
        ? app.t("correction.saved_rule", { plate: corrected, camera: rule.camera, read: read.plate })
        : app.t("correction.saved", { plate: corrected });
      await this.onCorrected(row, message);
    } catch (error) {
      this.error.textContent = await app.errorText(error);
      this.error.hidden = false;
      button.disabled = false;
    }
  }
}
