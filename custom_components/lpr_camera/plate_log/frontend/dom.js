/**
 * The panel's DOM, built by hand: two tiny helpers, `html` and `svg`, and the few pieces every
 * view uses.
 */

/**
 * An element: attributes by name, event listeners as `onclick`..., properties as `.value`...;
 * null, undefined and false leave an attribute out, so conditions read inline.
 */
export function html(tag, attributes = {}, ...children) {
  return build(document.createElement(tag), attributes, children);
}

const SVG_NS = "http://www.w3.org/2000/svg";
export function svg(tag, attributes = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attributes, children);
}

function build(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name.startsWith(".")) element[name.slice(1)] = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

/** A Material Design Icons path as an icon (the panel draws its few icons itself: no icon fetch). */
export function icon(path) {
  return svg("svg", { viewBox: "0 0 24 24", class: "icon", "aria-hidden": "true" }, svg("path", { d: path }));
}

const ICON_CLOSE =
  "M19,6.41L17.59,5L12,10.59L6.41,5L5,6.41L10.59,12L5,17.59L6.41,19L12,13.41L17.59,19L19,17.59L13.41,12L19,6.41Z";

/**
 * A modal <dialog> (open it with showModal): a heading (`title`, an <h2>) beside its close
 * button, then the content. A click on the backdrop (the dialog itself, outside its content)
 * closes it too.
 */
export function modalDialog({ id, testId, closeTestId, closeLabel, title }, ...content) {
  const dialog = html(
    "dialog",
    // Focused itself when it opens (autofocus), not its close button: no focus ring on a click.
    { id, "data-testid": testId, "aria-labelledby": `${id}-title`, autofocus: true },
    html(
      "div",
      { class: "dialog-head" },
      title,
      html(
        "button",
        { class: "icon-button", "data-testid": closeTestId, "aria-label": closeLabel, onclick: () => dialog.close() },
        icon(ICON_CLOSE),
      ),
    ),
    ...content,
  );
  title.id = `${id}-title`;
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  return dialog;
}

/** A form's Save (its submit) and Cancel; `prefix` names their test ids (<prefix>-save, -cancel). */
export function saveAndCancel(app, prefix, onCancel) {
  const save = html("button", { type: "submit", "data-testid": `${prefix}-save` }, app.t("actions.save"));
  const cancel = html(
    "button",
    { type: "button", class: "secondary", "data-testid": `${prefix}-cancel`, onclick: onCancel },
    app.t("actions.cancel"),
  );
  return { save, buttons: html("div", { class: "buttons" }, save, cancel) };
}

export function debounce(action, delay) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => action(...args), delay);
  };
}

/** A list with its column heads ({cell class: head}); the rows go into `body`. */
export function table(className, label, heads, body) {
  return html(
    "div",
    { class: `table ${className}`, role: "table", "aria-label": label },
    html(
      "div",
      { class: "row head", role: "row" },
      Object.entries(heads).map(([cell, head]) => html("span", { role: "columnheader", class: `cell ${cell}` }, head)),
    ),
    body,
  );
}

/** A view that loads when it is first shown, and again on each change of its filters. */
export class LazyView {
  constructor() {
    // Bumped by every load: the answers to an older one are dropped.
    this.generation = 0;
    this.loaded = false;
  }

  start() {
    if (!this.loaded) this.reload();
  }

  /** A new load: its number, the latest until the next. */
  nextLoad() {
    this.loaded = true;
    return ++this.generation;
  }
}
