// The map's logic without a browser: `node --test tests/js` (run by `make test`).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const core = require("../../src/eventmap/static/eventmap-core.js");

/** A dataset laid out as eventmap/dataset.py writes it: rows sorted by start day. */
function binary(rows) {
  const n = rows.length;
  const buffer = new ArrayBuffer(core.BYTES * n);
  const f32 = (offset) => new Float32Array(buffer, offset * n, n);
  const u16 = (offset) => new Uint16Array(buffer, offset * n, n);
  const u8 = (offset) => new Uint8Array(buffer, offset * n, n);
  const [x, y, start, end] = [f32(0), f32(4), u16(8), u16(10)];
  const [type, radius, flags] = [u8(12), u8(13), u8(14)];
  rows.forEach((r, i) => {
    [x[i], y[i]] = core.mercator(r.lon, r.lat);
    start[i] = r.start; end[i] = r.end;
    type[i] = r.type; radius[i] = r.radius || 60; flags[i] = r.flags === undefined ? 1 : r.flags;
  });
  return buffer;
}

const ROWS = [
  {lon: 44.4, lat: 33.3, start: 0, end: 0, type: 0},
  {lon: 44.4, lat: 33.3, start: 2, end: 32, type: 5, flags: 3},   // ranged, hollow
  {lon: 43.1, lat: 36.3, start: 5, end: 5, type: 1},
  {lon: 40.0, lat: 30.0, start: 5, end: 5, type: 2, flags: 0},    // no point
  {lon: 44.4, lat: 33.3, start: 9, end: 9, type: 1},
  {lon: 10.0, lat: 50.0, start: 40, end: 40, type: 3}
];
const LONGEST = 30;

/** The same count by brute force, as the page computes it. */
function bruteForce(data, d0, d1, mask, selection) {
  let count = 0;
  for (let i = 0; i < data.n; i++) {
    if (data.start[i] <= d1 && data.end[i] >= d0 && (data.flags[i] & 1) &&
        core.typeOn(mask, data.type[i]) && (!selection || selection[i])) { count++; }
  }
  return count;
}

test("decode refuses a file of the wrong size", () => {
  assert.throws(() => core.decode(new ArrayBuffer(14), 1), /expected 15/);
});

test("visible: window overlap, ranged events, types, selection, no point", () => {
  const data = core.decode(binary(ROWS), ROWS.length);
  assert.deepEqual([...core.visible(data, LONGEST, 0, 0, 255, null)], [0]);
  // Day 20 lies inside only the ranged event (2..32).
  assert.deepEqual([...core.visible(data, LONGEST, 20, 20, 255, null)], [1]);
  // Event 3 has no point: never drawn.
  assert.deepEqual([...core.visible(data, LONGEST, 5, 5, 255, null)], [1, 2]);
  // Type mask: only type 1.
  assert.deepEqual([...core.visible(data, LONGEST, 0, 40, 2, null)], [2, 4]);
  const selection = new Uint8Array([1, 0, 1, 1, 0, 1]);
  assert.deepEqual([...core.visible(data, LONGEST, 0, 40, 255, selection)], [0, 2, 5]);
});

test("visible agrees with brute force on random data", () => {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const rows = [];
  for (let i = 0; i < 3000; i++) {
    const start = Math.floor(random() * 400);
    const span = random() < 0.2 ? Math.floor(random() * 31) : 0;
    rows.push({lon: random() * 20, lat: random() * 20, start, end: start + span,
               type: Math.floor(random() * 7), flags: random() < 0.05 ? 0 : 1});
  }
  rows.sort((a, b) => a.start - b.start);
  const data = core.decode(binary(rows), rows.length);
  const selection = Uint8Array.from(rows, () => (random() < 0.7 ? 1 : 0));
  for (let k = 0; k < 200; k++) {
    const d0 = Math.floor(random() * 420) - 10, d1 = d0 + Math.floor(random() * 60);
    const mask = Math.floor(random() * 128);
    const sel = k % 2 ? selection : null;
    assert.equal(core.visible(data, 30, d0, d1, mask, sel).length,
                 bruteForce(data, d0, d1, mask, sel));
  }
});

test("windowRange bounds the rows by start and the longest span", () => {
  const starts = new Uint16Array([0, 2, 5, 5, 9, 40]);
  assert.deepEqual(core.windowRange(starts, 30, 20, 20), [0, 5]);
  assert.deepEqual(core.windowRange(starts, 0, 5, 5), [2, 4]);
  assert.deepEqual(core.windowRange(starts, 0, 41, 50), [6, 6]);
});

test("grid counts every event once, per cell", () => {
  const xs = new Float32Array([1, 2, 47, 49, 100]), ys = new Float32Array([1, 2, 3, 3, 100]);
  const cells = core.grid(xs, ys, [0, 1, 2, 3, 4], 48);
  assert.deepEqual(cells.map((c) => c.count).sort(), [1, 1, 3]);
  assert.equal(cells.reduce((s, c) => s + c.count, 0), 5);
  const first = cells.find((c) => c.count === 3);
  assert.equal(first.index, 0);
  assert.ok(Math.abs(first.x - 50 / 3) < 1e-6);
});

test("pick: the nearest event within its radius and the slack, else none", () => {
  const xs = new Float32Array([10, 30, 31]), ys = new Float32Array([10, 10, 10]);
  const radius = () => 5;
  assert.equal(core.pick(xs, ys, radius, [0, 1, 2], 12, 10, 2), 0);
  assert.equal(core.pick(xs, ys, radius, [0, 1, 2], 31, 11, 2), 2);
  assert.equal(core.pick(xs, ys, radius, [0, 1, 2], 20, 30, 2), -1);
  assert.equal(core.pick(xs, ys, radius, [1], 12, 10, 2), -1, "only visible events count");
});

test("samePoint lists the visible events stacked on one point, the picked one first", () => {
  const data = core.decode(binary(ROWS), ROWS.length);
  assert.deepEqual(core.samePoint(data, [0, 1, 2, 4], 4), [4, 0, 1]);
  assert.deepEqual(core.samePoint(data, [2], 2), [2]);
});

test("mercator matches Leaflet's projection at zoom 0", () => {
  assert.deepEqual(core.mercator(0, 0), [0.5, 0.5]);
  const [x, y] = core.mercator(44.4, 33.3);
  assert.ok(Math.abs(x - 0.623333) < 1e-6);
  assert.ok(Math.abs(y - 0.4018044) < 1e-6);  // 0.5 - ln(tan(pi/4 + phi/2)) / 2pi
});

test("unmercator inverts mercator", () => {
  const [lon, lat] = core.unmercator(...core.mercator(44.4, 33.3));
  assert.ok(Math.abs(lon - 44.4) < 1e-9 && Math.abs(lat - 33.3) < 1e-9);
});

test("days and ISO dates round-trip across a leap day", () => {
  assert.equal(core.isoDay("2020-02-27", 2), "2020-02-29");
  assert.equal(core.dayOf("2020-02-27", "2020-03-01"), 3);
});

test("describe: plain text parts, nothing parsed, missing fields said so", () => {
  const hostile = "<img src=x onerror=alert(1)>";
  const shard = {
    event_id: ["A", "B"], event_date: ["2020-03-01", "2019-12-27"],
    date_end: ["2020-03-31", "2019-12-27"], time_precision: [3, 1],
    event_type: ["Riots", "Battles"], sub_event_type: ["Mob violence", "Armed clash"],
    actor1: [hostile, "X"], actor2: [null, "Y"], location: ["Erbil", null],
    place_text: [hostile, null], geo_precision: [2, null], fatalities: [null, 0],
    injured: [3, null], notes: [hostile, null],
    sources: [JSON.stringify([{document: "d.txt", quote: hostile}]), "not json"],
    flags: [null, "point at (0, 0): kept without a point; " + hostile]
  };
  const labels = {time: {3: "within a month or coarser"}, geo: {2: "near a town"}};
  const a = core.describe(shard, 0, labels);
  assert.equal(a.dates, "2020-03-01 – 2020-03-31 (within a month or coarser)");
  assert.equal(a.actors, hostile);
  assert.equal(a.place, "Erbil — “" + hostile + "” (near a town)");
  assert.equal(a.fatalities, "not reported");
  assert.equal(a.injured, "3");
  assert.deepEqual(a.sources, [{quote: hostile, document: "d.txt", linked: ""}]);
  assert.deepEqual(a.origin, []);
  assert.equal(a.flag, null);
  assert.deepEqual(a.flags, []);
  const b = core.describe(shard, 1, labels);
  assert.deepEqual(b.flags, ["point at (0, 0): kept without a point", hostile]);
  assert.equal(b.dates, "2019-12-27");
  assert.equal(b.actors, "X vs Y");
  assert.equal(b.place, "place unknown");
  assert.equal(b.fatalities, "0");
  assert.deepEqual(b.sources, [], "unreadable sources are dropped, not shown raw");
  const candidate = core.describe({...shard, confidence: [0.456, null]}, 0, labels);
  assert.equal(candidate.flag, "Unreviewed candidate · confidence 0.46");
});

test("describe: an imported event's own fields, and sources another dataset brought", () => {
  const hostile = "<img src=x onerror=alert(1)>";
  const shard = {
    event_id: ["acled-X1", "g"], event_date: ["2020-01-01", "2020-01-01"],
    date_end: ["2020-01-01", "2020-01-01"], time_precision: [1, 1],
    source_dataset: ["acled", null], source_event_id: ["X1", null],
    country: ["Testland", null], admin1: ["North", null], admin2: [null, null],
    admin3: [hostile, null], iso: ["999", null], original_type: ["Battles / Armed clash", null],
    fatalities_low: [3, null], fatalities_high: [7, null],
    source_fields: [JSON.stringify({source_scale: "National", tags: "", n: 2, o: {a: 1}}),
      "{not json"],
    sources: [JSON.stringify([{document: "ACLED", quote: "q"},
      {document: "UCDP", quote: hostile, linked_event: "ucdp-9"}]), "[]"]
  };
  const a = core.describe(shard, 0, {time: {}, geo: {}});
  assert.deepEqual(a.origin, [
    ["Source record", "acled X1"],
    ["Area", hostile + ", North, Testland, ISO 999"],
    ["Original type", "Battles / Armed clash"],
    ["Fatality range", "3–7"],
    ["source_scale", "National"],
    ["n", "2"],
    ["o", "{\"a\":1}"]
  ]);
  assert.deepEqual(a.sources[1], {quote: hostile, document: "UCDP", linked: "ucdp-9"});
  const b = core.describe(shard, 1, {time: {}, geo: {}});
  assert.deepEqual(b.origin, [["source_fields", "{not json"]]);
});

test("stacks: points holding two or more visible events, with their number", () => {
  const data = {x: new Float32Array([1, 2, 1, 3, 1, 2]), y: new Float32Array([5, 5, 5, 5, 5, 6])};
  assert.deepEqual(core.stacks(data, new Uint32Array([0, 1, 2, 3, 4, 5])), [{i: 0, n: 3}]);
  assert.deepEqual(core.stacks(data, new Uint32Array([1, 2, 4])), [{i: 2, n: 2}]);
  assert.deepEqual(core.stacks(data, new Uint32Array([0, 1, 3])), []);
});
