/**
 * The correction rules (for administrators): "this camera reads X for Y", made by a remembered
 * correction, each with Remove. A dialog opened from the Reads view, where corrections are made.
 */

import { html, modalDialog, table } from "./dom.js";

export class RulesDialog {
  constructor(app) {
    this.app = app;
    // Bumped by every load: the answer to an older one is dropped.
    this.generation = 0;
    this.body = html("div", { class: "rows", role: "rowgroup", "data-testid": "rules-rows" });
    this.status = html("p", { class: "status", role: "status", "data-testid": "rules-status" });
    this.element = modalDialog(
      {
        id: "rules-dialog",
        testId: "rules-dialog",
        closeTestId: "rules-close",
        closeLabel: app.t("dialog.close"),
        title: html("h2", { class: "title" }, app.t("rules.title")),
      },
      html(
        "div",
        { class: "dialog-content" },
        html("p", { class: "hint" }, app.t("rules.intro")),
        table(
          "rules-table",
          app.t("rules.title"),
          {
            camera: app.t("filters.camera"),
            read_plate: app.t("rules.read_plate"),
            plate: app.t("rules.plate"),
            created: app.t("rules.created"),
            remove: "",
          },
          this.body,
        ),
        this.status,
      ),
    );
  }

  open() {
    if (!this.element.open) this.element.showModal();
    this.reload();
  }

  async reload() {
    const generation = ++this.generation;
    this.showStatus(this.app.t("reads.loading"));
    try {
      const { rules } = await this.app.api.listRules();
      if (generation !== this.generation) return;
      this.body.replaceChildren(...rules.map((rule) => this.row(rule)));
      this.showCount();
    } catch (error) {
      if (generation === this.generation) this.showStatus(await this.app.errorText(error), true);
    }
  }

  showCount() {
    const count = this.body.children.length;
    this.showStatus(count ? this.app.t("rules.count", { count: this.app.formats.number(count) }) : this.app.t("rules.empty"));
  }

  row(rule) {
    const { app } = this;
    const remove = html(
      "button",
      {
        class: "secondary",
        "data-testid": "rule-remove",
        "aria-label": app.t("rules.remove_rule", { read_plate: rule.read_plate, plate: rule.plate }),
        onclick: () => this.remove(rule, row, remove),
      },
      app.t("rules.remove"),
    );
    const row = html(
      "div",
      { class: "row rule", role: "row", "data-testid": "rule-row", "data-rule-id": rule.rule_id },
      html("span", { class: "cell camera", role: "cell" }, rule.camera),
      html("span", { class: "cell read_plate", role: "cell" }, html("span", { class: "plate-text" }, rule.read_plate)),
      html("span", { class: "cell plate", role: "cell" }, html("span", { class: "plate-text" }, rule.plate)),
      html("span", { class: "cell created", role: "cell" }, app.formats.dateTime(rule.created)),
      html("span", { class: "cell remove", role: "cell" }, remove),
    );
    return row;
  }

  async remove(rule, row, button) {
    button.disabled = true;
    try {
      await this.app.api.removeRule(rule.rule_id);
      row.remove();
      this.showCount();
    } catch (error) {
      button.disabled = false;
      this.showStatus(await this.app.errorText(error), true);
    }
  }

  showStatus(text, error = false) {
    this.status.textContent = text;
    this.status.classList.toggle("error", error);
  }
}
