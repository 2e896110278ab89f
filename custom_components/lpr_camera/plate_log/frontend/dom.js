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
