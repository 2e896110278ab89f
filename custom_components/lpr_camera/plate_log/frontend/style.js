/** The panel's style, in its shadow root: Home Assistant's theme variables, light or dark. */

export const STYLE = `
:host {
  /* Home Assistant does not bound a custom panel's height: the panel takes the viewport's, so
     its header stays and only its content scrolls. */
  display: flex;
  flex-direction: column;
  height: 100vh;
  height: 100dvh;
  background: var(--primary-background-color);
  color: var(--primary-text-color);
  font-family: var(--ha-font-family-body, var(--paper-font-body1_-_font-family, Roboto, sans-serif));
  --lpr-radius: var(--ha-card-border-radius, 12px);
  --lpr-known: var(--success-color, #43a047);
  --lpr-denied: var(--error-color, #db4437);
}
header {
  /* Its own height: wrapped onto two lines (a long title, a phone), the tabs stay above the view. */
  flex: none;
  display: flex;
  align-items: center;
  gap: 8px;
  min-height: var(--header-height, 56px);
  padding: 0 12px;
  box-sizing: border-box;
  background: var(--app-header-background-color, var(--primary-color));
  color: var(--app-header-text-color, var(--text-primary-color, #fff));
  border-bottom: var(--app-header-border-bottom, none);
  flex-wrap: wrap;
}
header h1 { font-size: 20px; font-weight: 400; margin: 0 8px 0 4px; flex: 1 1 auto; }
nav { display: flex; gap: 4px; }
nav button {
  background: none; border: none; color: inherit; padding: 14px 12px; font: inherit; cursor: pointer;
  border-bottom: 2px solid transparent; opacity: 0.8; text-transform: uppercase; font-size: 14px; letter-spacing: 0.05em;
}
nav button[aria-selected="true"] { border-bottom-color: currentColor; opacity: 1; }
.icon { width: 24px; height: 24px; fill: currentColor; }
.icon-button { background: none; border: none; color: inherit; padding: 8px; border-radius: 50%; cursor: pointer; display: inline-flex; }
.icon-button:hover { background: rgba(127, 127, 127, 0.15); }
#menu-button { display: none; }
:host([narrow]) #menu-button { display: inline-flex; }
main { flex: 1 1 auto; overflow: auto; padding: 16px; box-sizing: border-box; container-type: inline-size; }
.view[hidden] { display: none; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 12px; }
input, select, button { font: inherit; font-size: 14px; }
input, select {
  background: var(--card-background-color); color: var(--primary-text-color);
  border: 1px solid var(--divider-color); border-radius: 6px; padding: 8px 10px; min-height: 38px; box-sizing: border-box;
}
input[type="search"] { flex: 1 1 200px; min-width: 160px; }
input:focus, select:focus { outline: 2px solid var(--primary-color); outline-offset: -1px; }
.custom-period { display: inline-flex; gap: 8px; flex-wrap: wrap; }
.custom-period[hidden] { display: none; }
.custom-period label { display: inline-flex; gap: 6px; align-items: center; color: var(--secondary-text-color); }
.chips { display: inline-flex; gap: 6px; flex-wrap: wrap; }
.chip {
  display: inline-flex; align-items: center; gap: 4px; padding: 4px 10px 4px 6px; border-radius: 16px;
  border: 1px solid var(--divider-color); background: var(--card-background-color); cursor: pointer; user-select: none;
}
.chip input { min-height: 0; margin: 0; accent-color: var(--primary-color); }
button {
  background: var(--primary-color); color: var(--text-primary-color, #fff); border: none; border-radius: 18px;
  padding: 8px 16px; cursor: pointer; min-height: 36px;
}
button.secondary { background: transparent; color: var(--primary-color); border: 1px solid var(--divider-color); }
button.danger { background: var(--lpr-denied); }
button.toggle { background: transparent; color: var(--primary-text-color); border: 1px solid var(--divider-color); border-radius: 0; }
button.toggle:first-child { border-radius: 18px 0 0 18px; }
button.toggle:last-child { border-radius: 0 18px 18px 0; border-left: none; }
button.toggle[aria-pressed="true"] { background: var(--primary-color); color: var(--text-primary-color, #fff); border-color: var(--primary-color); }
button:disabled { opacity: 0.5; cursor: default; }
.toggles { display: inline-flex; }
.timeline {
  display: flex; align-items: center; gap: 12px; margin-bottom: 12px; padding: 8px 12px; border-radius: var(--lpr-radius);
  background: var(--secondary-background-color, var(--card-background-color)); flex-wrap: wrap;
}
.timeline[hidden] { display: none; }
.table {
  background: var(--card-background-color); border-radius: var(--lpr-radius);
  box-shadow: var(--ha-card-box-shadow, none); border: 1px solid var(--divider-color); overflow: hidden;
}
.row { display: grid; align-items: center; gap: 12px; padding: 8px 12px; border-top: 1px solid var(--divider-color); }
.row.head { border-top: none; font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--secondary-text-color); }
.rows .row { cursor: pointer; }
.rows .row:hover, .rows .row:focus-visible { background: rgba(127, 127, 127, 0.08); outline: none; }
.reads-table .row { grid-template-columns: 112px minmax(110px, 1.1fr) minmax(150px, 1.4fr) minmax(80px, 1fr) minmax(90px, 0.9fr) minmax(100px, 1.2fr) minmax(70px, 0.7fr); }
.plates-table .row { grid-template-columns: minmax(110px, 1.2fr) 70px minmax(140px, 1.4fr) minmax(140px, 1.4fr) minmax(100px, 1.2fr); }
.cell { min-width: 0; overflow: hidden; text-overflow: ellipsis; }
.cell.picture img, .no-picture { display: block; width: 104px; height: 36px; object-fit: contain; border-radius: 4px; background: rgba(127, 127, 127, 0.12); }
.plate-text { font-family: var(--ha-font-family-code, monospace); font-weight: 600; font-size: 16px; letter-spacing: 0.04em; }
.cell.time, .cell.camera, .cell.direction { color: var(--secondary-text-color); }
.badge {
  display: inline-block; padding: 2px 8px; border-radius: 10px; font-size: 12px; max-width: 100%;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: middle;
  border: 1px solid var(--divider-color); color: var(--secondary-text-color);
}
.badge.event-type-known { border-color: var(--lpr-known); color: var(--lpr-known); }
.badge.event-type-denied { border-color: var(--lpr-denied); color: var(--lpr-denied); }
.badge.repeat { margin-left: 6px; }
.authorized-true { color: var(--lpr-known); }
.authorized-false { color: var(--lpr-denied); }
.row.live { animation: arrive 2s ease-out; }
@keyframes arrive { from { background: rgba(var(--rgb-primary-color, 3, 169, 244), 0.25); } to { background: transparent; } }
.footer { display: flex; align-items: center; justify-content: space-between; gap: 12px; padding: 12px 4px; flex-wrap: wrap; }
.status { color: var(--secondary-text-color); }
.status.error, .error { color: var(--error-color, #db4437); }
.sentinel { height: 1px; }
/* Phone width: each read becomes a small card (picture, plate and event type first). */
@container (max-width: 700px) {
  .row.head { display: none; }
  .reads-table .row {
    grid-template-columns: 96px 1fr auto;
    grid-template-areas: "picture plate event_type" "picture time authorized" "picture camera direction";
    gap: 2px 10px;
  }
  .reads-table .cell.picture { grid-area: picture; }
  .reads-table .cell.plate { grid-area: plate; }
  .reads-table .cell.event_type { grid-area: event_type; justify-self: end; }
  .reads-table .cell.time { grid-area: time; font-size: 13px; }
  .reads-table .cell.authorized { grid-area: authorized; justify-self: end; font-size: 13px; }
  .reads-table .cell.camera { grid-area: camera; font-size: 13px; }
  .reads-table .cell.direction { grid-area: direction; justify-self: end; font-size: 13px; }
  .cell.picture img, .no-picture { width: 92px; }
  .plates-table .row { grid-template-columns: 1fr auto; grid-template-areas: "plate reads" "last vehicle"; gap: 2px 10px; }
  .plates-table .cell.plate { grid-area: plate; }
  .plates-table .cell.reads { grid-area: reads; justify-self: end; }
  .plates-table .cell.first_seen { display: none; }
  .plates-table .cell.last_seen { grid-area: last; font-size: 13px; color: var(--secondary-text-color); }
  .plates-table .cell.vehicle { grid-area: vehicle; justify-self: end; }
  main { padding: 8px; }
}
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; margin-bottom: 12px; }
.tile, .card {
  background: var(--card-background-color); border-radius: var(--lpr-radius); border: 1px solid var(--divider-color);
  box-shadow: var(--ha-card-box-shadow, none); padding: 12px 16px;
}
.tile { display: flex; flex-direction: column; gap: 4px; }
.tile .label { color: var(--secondary-text-color); font-size: 13px; }
.tile .value { font-size: 24px; }
.tile[data-testid="stats-busiest"] .value { font-size: 18px; line-height: 1.6; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: 12px; }
.card h3 { margin: 0 0 8px; font-size: 16px; font-weight: 500; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; margin: 0 4px 12px; color: var(--secondary-text-color); }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px; vertical-align: -1px; }
.chart { width: 100%; height: auto; display: block; }
.chart .grid { stroke: var(--divider-color); stroke-width: 1; }
.chart .axis { fill: var(--secondary-text-color); font-size: 15px; }
.card.wide { grid-column: 1 / -1; }
.chart .line { fill: none; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
dialog {
  border: none; border-radius: var(--lpr-radius); padding: 0; width: min(920px, 96vw); max-height: 92vh;
  background: var(--card-background-color); color: var(--primary-text-color); box-shadow: 0 8px 32px rgba(0, 0, 0, 0.4);
}
dialog::backdrop { background: rgba(0, 0, 0, 0.5); }
.dialog-head {
  display: flex; align-items: center; justify-content: space-between; padding: 8px 8px 4px 20px;
  position: sticky; top: 0; z-index: 1; background: var(--card-background-color);
}
.dialog-head h2 { margin: 0; font-family: var(--ha-font-family-code, monospace); letter-spacing: 0.05em; }
.dialog-content { padding: 8px 20px 20px; }
figure.full-picture { position: relative; margin: 0 0 12px; }
figure.full-picture img { display: block; width: 100%; height: auto; border-radius: 6px; outline: 1px solid var(--divider-color); }
.box-overlay { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
.plate-box { fill: none; stroke: var(--primary-color); stroke-width: 3; vector-effect: non-scaling-stroke; }
.evidence { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 12px; }
.evidence h3 { width: 100%; margin: 0; font-size: 14px; font-weight: 500; }
.evidence img { height: 72px; border-radius: 4px; }
dl.fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 280px), 1fr)); gap: 6px 24px; margin: 0 0 16px; }
dl.fields .field { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 12px; align-items: baseline; }
dl.fields dt { color: var(--secondary-text-color); overflow-wrap: anywhere; }
dl.fields dd { margin: 0; overflow-wrap: anywhere; }
.actions .buttons { display: flex; gap: 8px; flex-wrap: wrap; }
.vehicle-form { display: grid; grid-template-columns: max-content minmax(0, 320px); gap: 8px 12px; align-items: center; }
.vehicle-form h3 { grid-column: 1 / -1; margin: 0; font-size: 16px; font-weight: 500; }
.vehicle-form .buttons { grid-column: 2; }
.message { color: var(--lpr-known); }
.message:empty { display: none; }
@media (max-width: 600px) {
  dialog { width: 100vw; max-width: 100vw; max-height: 100vh; height: 100vh; border-radius: 0; margin: 0; }
  .vehicle-form { grid-template-columns: 1fr; }
  .vehicle-form .buttons { grid-column: 1; }
  nav button { padding: 14px 8px; }
}
`;
