/** The admin's actions on a read: add its plate as a known vehicle, or edit the one it matched. */

import { html } from "./dom.js";

export class KnownVehicleForm {
  constructor(app, read) {
    this.app = app;
    this.read = read;
    this.vehicleId = read.vehicle_id ?? null;
    this.message = html("p", { class: "message", role: "status", "data-testid": "dialog-message" });
    this.error = html("p", { class: "status error", role: "alert", "data-testid": "dialog-error", hidden: true });
    this.buttons = html("div", { class: "buttons" });
    this.formBox = html("div", { class: "vehicle-form-box" });
    this.element = html("div", { class: "actions", "data-testid": "read-actions" }, this.buttons, this.formBox, this.message, this.error);
    this.showButtons();
  }

  showButtons() {
    const { app } = this;
    this.formBox.replaceChildren();
    if (this.vehicleId) {
      this.buttons.replaceChildren(
        html("button", { "data-testid": "edit-vehicle", onclick: () => this.showForm(this.read.known_list ?? "allow") }, app.t("actions.edit_vehicle")),
      );
    } else {
      this.buttons.replaceChildren(
        html("button", { "data-testid": "add-allow", onclick: () => this.showForm("allow") }, app.t("actions.add_allow")),
        html("button", { class: "danger", "data-testid": "add-deny", onclick: () => this.showForm("deny") }, app.t("actions.add_deny")),
      );
    }
  }

  showForm(list) {
    const { app, read } = this;
    const editing = Boolean(this.vehicleId);
    this.buttons.replaceChildren();
    this.error.hidden = true;
    this.message.textContent = "";
    const name = html("input", {
      id: "vehicle-name",
      "data-testid": "vehicle-name",
      maxlength: 100,
      ".value": editing ? (read.known_name ?? "") : "",
      autocomplete: "off",
    });
    // The known vehicle's own plate when editing (the read may differ by an OCR slip).
    const plate = html("input", {
      id: "vehicle-plate",
      "data-testid": "vehicle-plate",
      ".value": editing ? read.details?.matched_plate ?? read.plate : read.plate,
      autocomplete: "off",
      spellcheck: "false",
    });
    const listSelect = html(
      "select",
      { id: "vehicle-list", "data-testid": "vehicle-list" },
      ["allow", "deny"].map((value) => html("option", { value, selected: value === list }, app.t(`known_list.${value}`))),
    );
    const save = html("button", { type: "submit", "data-testid": "vehicle-save" }, app.t("actions.save"));
    const form = html(
      "form",
      {
        class: "vehicle-form",
        "data-testid": "vehicle-form",
        onsubmit: (event) => {
          event.preventDefault();
          this.save({ plate: plate.value.trim(), name: name.value.trim(), list: listSelect.value }, save);
        },
      },
      html("h3", {}, app.t(editing ? "actions.edit_vehicle" : "actions.add_vehicle")),
      html("label", { for: "vehicle-name" }, app.t("form.name")),
      name,
      html("label", { for: "vehicle-plate" }, app.t("fields.plate")),
      plate,
      html("label", { for: "vehicle-list" }, app.t("fields.known_list")),
      listSelect,
      html(
        "div",
        { class: "buttons" },
        save,
        html(
          "button",
          { type: "button", class: "secondary", "data-testid": "vehicle-cancel", onclick: () => this.showButtons() },
          app.t("actions.cancel"),
        ),
      ),
    );
    this.formBox.replaceChildren(form);
    name.focus();
  }

  async save(fields, button) {
    const { app } = this;
    button.disabled = true;
    this.error.hidden = true;
    try {
      const vehicle = await app.api.saveKnownVehicle({ ...fields, ...(this.vehicleId ? { vehicle_id: this.vehicleId } : {}) });
      // Later saves edit what was just added.
      this.vehicleId = vehicle.vehicle_id;
      this.read = {
        ...this.read,
        vehicle_id: vehicle.vehicle_id,
        known_name: vehicle.name,
        known_list: vehicle.list,
        details: { ...this.read.details, matched_plate: vehicle.plate },
      };
      this.showButtons();
      this.message.textContent = app.t("actions.saved", { name: vehicle.name || vehicle.plate, list: app.t(`known_list.${vehicle.list}`) });
    } catch (error) {
      this.error.textContent = await app.errorText(error);
      this.error.hidden = false;
    } finally {
      button.disabled = false;
    }
  }
}
