/**
 * The reads a view's filters show, downloaded as a CSV file: the integration's download
 * (GET /api/lpr_camera/reads.csv) by a path Home Assistant signs for the user. The browser
 * saves it as it streams in, however many reads: the panel never holds the file.
 */

import { html } from "./dom.js";

const EXPORT_PATH = "/api/lpr_camera/reads.csv";

/** The download's path of a reads/list query: a list's values by repeating its parameter. */
export function exportPath(query) {
  const parameters = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) parameters.append(key, item);
  }
  const search = parameters.toString();
  return search ? `${EXPORT_PATH}?${search}` : EXPORT_PATH;
}

/** Downloads the reads of `query`; the file's name comes from the integration. */
export async function downloadCsv(app, query) {
  const signed = await app.api.signPath(exportPath(query));
  // An <a download> keeps the page where it is; the answer's Content-Disposition names the file.
  const link = html("a", { href: signed, download: "", hidden: true });
  app.panel.shadowRoot.append(link);
  link.click();
  link.remove();
}
