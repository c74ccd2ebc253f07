/* eventmap core: the map's logic that needs no browser (window slicing, picking, grid
 * aggregation, popup text, where a popup may sit, when tiles have failed), shared by
 * eventmap-map.js and tested with `node --test`.
 *
 * The events arrive once as one binary file (see eventmap/dataset.py), rows sorted by first
 * day: f32 x[n], f32 y[n] (Web Mercator in [0, 1]), u16 start[n], u16 end[n] (days since the
 * dataset's origin; 65535 for no date), u8 type[n], u8 radius*10 [n], u8 flags[n] (bit 0: has
 * a point, bit 1: ranged date). 15 bytes an event, uploaded to the GPU as they are.
 */
(function (root, factory) {
  var core = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = core;
  } else {
    root.eventmap = root.eventmap || {};
    root.eventmap.core = core;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var LOCATED = 1;
  var HOLLOW = 2;
  var FLAGGED = 4;  // the data had something odd about the event: a dark ring

  var BYTES = 15;

  /** Typed-array views over the binary file (no copy). */
  function decode(buffer, n) {
    var need = n * BYTES;
    if (buffer.byteLength !== need) {
      throw new Error("events file holds " + buffer.byteLength + " bytes, expected " + need);
    }
    return {
      n: n,
      x: new Float32Array(buffer, 0, n),
      y: new Float32Array(buffer, 4 * n, n),
      start: new Uint16Array(buffer, 8 * n, n),
      end: new Uint16Array(buffer, 10 * n, n),
      type: new Uint8Array(buffer, 12 * n, n),
      radius: new Uint8Array(buffer, 13 * n, n),
      flags: new Uint8Array(buffer, 14 * n, n)
    };
  }

  /** First position whose value is >= x (sorted ascending). */
  function lowerBound(values, x) {
    var lo = 0, hi = values.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (values[mid] < x) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  /** First position whose value is > x. */
  function upperBound(values, x) {
    var lo = 0, hi = values.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (values[mid] <= x) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  /** The rows [lo, hi) that can overlap the closed window [d0, d1]: starts are sorted, and
   * no event lasts longer than `longest` days. */
  function windowRange(start, longest, d0, d1) {
    return [lowerBound(start, d0 - longest), upperBound(start, d1)];
  }

  /** Is type code t switched on in the bit mask? */
  function typeOn(mask, t) {
    return Math.floor(mask / Math.pow(2, t)) % 2 === 1;
  }

  /** Indices of the events drawn for the window [d0, d1]: located, overlapping, of a type in
   * `mask`, and selected (selection: Uint8Array of 0/1 per event, or null for all). */
  function visible(data, longest, d0, d1, mask, selection) {
    var range = windowRange(data.start, longest, d0, d1);
    var on = [];
    for (var t = 0; t < 32; t++) { on.push(typeOn(mask, t)); }
    var out = new Uint32Array(Math.max(0, range[1] - range[0]));
    var k = 0;
    for (var i = range[0]; i < range[1]; i++) {
      if (data.end[i] >= d0 && (data.flags[i] & LOCATED) && on[data.type[i]] &&
          (selection === null || selection[i])) {
        out[k++] = i;
      }
    }
    return out.subarray(0, k);
  }

  /** Web Mercator in [0, 1] x [0, 1] (north up), as Leaflet's EPSG3857 at zoom 0 / 256. */
  function mercator(lon, lat) {
    var max = 85.0511287798;
    var phi = Math.max(-max, Math.min(max, lat)) * Math.PI / 180;
    return [
      (lon + 180) / 360,
      0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)
    ];
  }

  /** [lon, lat] of a Web Mercator point in [0, 1] (the inverse of `mercator`). */
  function unmercator(x, y) {
    var lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180 / Math.PI;
    return [x * 360 - 180, lat];
  }

  /** Counts per square cell of `cell` px: [{x, y, count, index}] where x, y is the mean
   * position of the cell's events and index the first of them. xs, ys: pixel positions by
   * event; indices: the events to count. */
  function grid(xs, ys, indices, cell) {
    var cells = new Map();
    for (var k = 0; k < indices.length; k++) {
      var i = indices[k];
      var key = Math.floor(xs[i] / cell) + ":" + Math.floor(ys[i] / cell);
      var c = cells.get(key);
      if (c === undefined) {
        cells.set(key, {x: xs[i], y: ys[i], count: 1, index: i});
      } else {
        c.x += xs[i];
        c.y += ys[i];
        c.count += 1;
      }
    }
    var out = [];
    cells.forEach(function (c) {
      out.push({x: c.x / c.count, y: c.y / c.count, count: c.count, index: c.index});
    });
    return out;
  }

  /** The event nearest (px, py) within `slack` px of its own radius, or -1. */
  function pick(xs, ys, radii, indices, px, py, slack) {
    var best = -1, bestDistance = Infinity;
    for (var k = 0; k < indices.length; k++) {
      var i = indices[k];
      var dx = xs[i] - px, dy = ys[i] - py;
      var distance = Math.sqrt(dx * dx + dy * dy);
      if (distance <= radii(i) + slack && distance < bestDistance) {
        best = i;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** Every event of `indices` at exactly the point of event i, i first. */
  function samePoint(data, indices, i) {
    var out = [i];
    for (var k = 0; k < indices.length; k++) {
      var j = indices[k];
      if (j !== i && data.x[j] === data.x[i] && data.y[j] === data.y[i]) {
        out.push(j);
      }
    }
    return out;
  }

  /** The points of `indices` where two or more events stand at exactly the same place:
   * [{i: the first such event, n: how many}], in the order of their first event. */
  function stacks(data, indices) {
    var groups = new Map(), out = [];
    for (var k = 0; k < indices.length; k++) {
      var i = indices[k], key = data.x[i] + "," + data.y[i], group = groups.get(key);
      if (group) {
        group.n += 1;
      } else {
        group = {i: i, n: 1};
        groups.set(key, group);
        out.push(group);
      }
    }
    return out.filter(function (g) { return g.n > 1; });
  }

  /** "YYYY-MM-DD" of day `day` after the ISO date `origin`. */
  function isoDay(origin, day) {
    var t = Date.parse(origin + "T00:00:00Z") + day * 86400000;
    return new Date(t).toISOString().slice(0, 10);
  }

  /** The day number of an ISO date after `origin`. */
  function dayOf(origin, iso) {
    return Math.round((Date.parse(iso + "T00:00:00Z") - Date.parse(origin + "T00:00:00Z")) /
                      86400000);
  }

  function present(value) {
    return value !== null && value !== undefined && value !== "";
  }

  /** What an imported dataset says of the event in its own terms, as [label, text] pairs:
   * its id and name, the admin areas, its own type, a fatality range, its other columns. */
  function origin(get) {
    var rows = [];
    var source = [get("source_dataset"), get("source_event_id")].filter(present).join(" ");
    if (source) { rows.push(["Source record", source]); }
    var areas = [get("admin3"), get("admin2"), get("admin1"), get("country")].filter(present);
    if (present(get("iso"))) { areas.push("ISO " + get("iso")); }
    if (areas.length) { rows.push(["Area", areas.join(", ")]); }
    if (present(get("original_type"))) { rows.push(["Original type", get("original_type")]); }
    if (present(get("fatalities_low")) || present(get("fatalities_high"))) {
      rows.push(["Fatality range", [get("fatalities_low"), get("fatalities_high")]
        .map(function (v) { return present(v) ? String(v) : "?"; }).join("–")]);
    }
    var more = {};
    try {
      more = JSON.parse(get("source_fields") || "{}") || {};
    } catch (e) {
      more = {"source_fields": get("source_fields")};
    }
    if (typeof more !== "object" || Array.isArray(more)) { more = {"source_fields": more}; }
    Object.keys(more).forEach(function (key) {
      var value = more[key];
      if (present(value) && value !== "") {
        rows.push([key, typeof value === "object" ? JSON.stringify(value) : String(value)]);
      }
    });
    return rows;
  }

  /** One event's popup as plain text parts (the page builds DOM nodes from them with
   * textContent, so no text from data is ever parsed as HTML). `shard` holds its columns. */
  function describe(shard, k, labels) {
    var get = function (name) { return shard[name] ? shard[name][k] : null; };
    var dates = get("event_date") === get("date_end") ? get("event_date")
      : get("event_date") + " – " + get("date_end");
    var precision = get("time_precision");
    if (present(precision) && precision !== 1 && labels.time[precision]) {
      dates += " (" + labels.time[precision] + ")";
    }
    var actors = [get("actor1"), get("actor2")].filter(present).join(" vs ");
    var place = present(get("location")) ? get("location") : "place unknown";
    if (present(get("place_text")) && get("place_text") !== get("location")) {
      place += " — “" + get("place_text") + "”";
    }
    var geo = get("geo_precision");
    if (present(geo) && labels.geo[geo]) { place += " (" + labels.geo[geo] + ")"; }
    var count = function (v) { return present(v) ? String(v) : "not reported"; };
    var sources = [];
    try {
      sources = JSON.parse(get("sources") || "[]") || [];
    } catch (e) {
      sources = [];
    }
    var confidence = get("confidence");
    return {
      flag: present(confidence) ? "Unreviewed candidate · confidence " +
        Number(confidence).toFixed(2) : null,
      dates: dates,
      type: [get("event_type"), get("sub_event_type")].filter(present).join(" / "),
      actors: actors || "not given",
      place: place,
      fatalities: count(get("fatalities")),
      injured: count(get("injured")),
      notes: present(get("notes")) ? String(get("notes")) : "",
      flags: present(get("flags")) ? String(get("flags")).split("; ") : [],
      origin: origin(get),
      sources: sources.map(function (s) {
        return {quote: String(s.quote || ""), document: String(s.document || ""),
                linked: String(s.linked_event || "")};
      }),
      id: String(get("event_id") || "")
    };
  }

  // --- the map's layout: popups clear of the controls, tiles that never load ---------------

  /** Boxes are {left, top, right, bottom} in the map's pixels. */
  function overlaps(a, b, gap) {
    return a.left < b.right + gap && b.left < a.right + gap &&
      a.top < b.bottom + gap && b.top < a.bottom + gap;
  }

  function moved(box, dx, dy) {
    return {left: box.left + dx, top: box.top + dy, right: box.right + dx,
            bottom: box.bottom + dy};
  }

  /** How far to move `box` (a popup; the map pans with it) so that it lies inside the map
   * (`width` x `height`, `margin` from each edge) and clear of every control in `controls` by
   * `margin`: the shortest such move, tried among the moves that line the box up with an
   * edge. {dx, dy, clear}; when nothing is clear, the move that keeps the box inside the map,
   * its top left first (as Leaflet's own autopan). */
  function clearOf(box, controls, width, height, margin) {
    var xs = [0, margin - box.left, width - margin - box.right];
    var ys = [0, margin - box.top, height - margin - box.bottom];
    controls.forEach(function (c) {
      xs.push(c.right + margin - box.left, c.left - margin - box.right);
      ys.push(c.bottom + margin - box.top, c.top - margin - box.bottom);
    });
    var best = null;
    xs.forEach(function (dx) {
      ys.forEach(function (dy) {
        var b = moved(box, dx, dy);
        if (b.left < margin - 0.5 || b.top < margin - 0.5 ||
            b.right > width - margin + 0.5 || b.bottom > height - margin + 0.5) { return; }
        for (var k = 0; k < controls.length; k++) {
          if (overlaps(b, controls[k], margin - 0.5)) { return; }
        }
        var cost = Math.abs(dx) + Math.abs(dy);
        if (!best || cost < best.cost) { best = {dx: dx, dy: dy, cost: cost}; }
      });
    });
    if (best) { return {dx: best.dx, dy: best.dy, clear: true}; }
    var dx = Math.max(0, margin - box.left) || Math.min(0, width - margin - box.right);
    var dy = Math.max(0, margin - box.top) || Math.min(0, height - margin - box.bottom);
    return {dx: dx, dy: dy, clear: false};
  }

  /** The height free for a popup in the columns it spans: the map's height less the controls
   * at the top and at the bottom that share those columns (and `margin` around them). */
  function roomAbove(box, controls, height, margin) {
    var top = margin, bottom = height - margin;
    controls.forEach(function (c) {
      if (c.right + margin <= box.left || c.left - margin >= box.right) { return; }
      if ((c.top + c.bottom) / 2 < height / 2) {
        top = Math.max(top, c.bottom + margin);
      } else {
        bottom = Math.min(bottom, c.top - margin);
      }
    });
    return Math.max(0, bottom - top);
  }

  /** A tile layer's loads and failures since it was put on the map: it has failed when
   * `limit` tiles failed and none loaded (no internet, or the tile server refuses us). */
  function TileWatch(limit) {
    this.limit = limit || 3;
    this.reset();
  }
  TileWatch.prototype.reset = function () { this.errors = 0; this.loaded = 0; };
  TileWatch.prototype.error = function () { this.errors += 1; return this.failed(); };
  TileWatch.prototype.load = function () { this.loaded += 1; return this.failed(); };
  TileWatch.prototype.failed = function () {
    return this.loaded === 0 && this.errors >= this.limit;
  };

  return {
    LOCATED: LOCATED,
    HOLLOW: HOLLOW,
    FLAGGED: FLAGGED,
    decode: decode,
    lowerBound: lowerBound,
    upperBound: upperBound,
    windowRange: windowRange,
    typeOn: typeOn,
    visible: visible,
    mercator: mercator,
    unmercator: unmercator,
    BYTES: BYTES,
    grid: grid,
    pick: pick,
    samePoint: samePoint,
    stacks: stacks,
    isoDay: isoDay,
    dayOf: dayOf,
    describe: describe,
    clearOf: clearOf,
    roomAbove: roomAbove,
    TileWatch: TileWatch
  };
});
