// Where a popup may sit among the map's controls, and when a tile basemap has failed (issue 9).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const core = require("../../src/eventmap/static/eventmap-core.js");

const box = (left, top, width, height) => ({left, top, right: left + width, bottom: top + height});
const W = 940, H = 560, M = 8;
// The app's controls: zoom buttons (top left), layers (top right), legend and scale (bottom
// left), renderer line and attribution (bottom right).
const CONTROLS = [
  box(10, 10, 34, 65), box(882, 10, 48, 48), box(10, 382, 300, 120), box(5, 512, 97, 43),
  box(814, 508, 116, 20), box(601, 538, 339, 22)
];
const clear = (b) => CONTROLS.every((c) => !(b.left < c.right && c.left < b.right &&
                                             b.top < c.bottom && c.top < b.bottom));
const shift = (b, s) => box(b.left + s.dx, b.top + s.dy, b.right - b.left, b.bottom - b.top);

test("clearOf: a popup under the zoom buttons and the legend moves clear of both", () => {
  // What issue 9 showed: an event near the top left, its popup panned to the top edge by
  // Leaflet, its foot under the legend and its left side beside the zoom buttons.
  const popup = box(60, 60, 400, 360);
  assert.equal(clear(popup), false);
  const s = core.clearOf(popup, CONTROLS, W, H, M);
  assert.equal(s.clear, true);
  const after = shift(popup, s);
  assert.ok(clear(after));
  assert.ok(after.left >= M && after.top >= M && after.right <= W - M && after.bottom <= H - M);
});

test("clearOf: the shortest move wins, and a popup already clear stays put", () => {
  assert.deepEqual(core.clearOf(box(400, 100, 300, 200), CONTROLS, W, H, M),
                   {dx: 0, dy: 0, clear: true});
  // Overlapping the zoom buttons by a few pixels: moved right by those pixels, not down 70.
  const s = core.clearOf(box(40, 20, 300, 200), CONTROLS, W, H, M);
  assert.deepEqual(s, {dx: 44 + M - 40, dy: 0, clear: true});
});

test("clearOf: with no clear place, the popup's top left stays inside the map", () => {
  const s = core.clearOf(box(-20, -30, 900, 700), CONTROLS, W, H, M);
  assert.deepEqual(s, {dx: M + 20, dy: M + 30, clear: false});
});

test("roomAbove: the height between the controls of the popup's columns", () => {
  // Over the legend's column: from under the zoom buttons to the legend's top.
  assert.equal(core.roomAbove(box(20, 0, 300, 10), CONTROLS, H, M), 382 - M - (75 + M));
  // In the middle, nothing above or below.
  assert.equal(core.roomAbove(box(400, 0, 150, 10), CONTROLS, H, M), H - 2 * M);
});

test("TileWatch: failed after several errors and no load, never once a tile loaded", () => {
  const watch = new core.TileWatch(3);
  assert.equal(watch.error(), false);
  assert.equal(watch.error(), false);
  assert.equal(watch.error(), true);
  assert.equal(watch.load(), false);  // the network is back
  const some = new core.TileWatch(3);
  some.load();
  [1, 2, 3, 4].forEach(() => some.error());
  assert.equal(some.failed(), false);  // a few missing tiles are not a dead server
  some.reset();
  assert.equal(some.failed(), false);
});
