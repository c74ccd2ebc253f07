/* eventmap's map layer: every event fetched once as binary arrays, drawn with WebGL (or, without
 * it, on a 2D canvas: markers up to 5,000 events, counted grid cells above), and a slider step
 * only moves the window. Everything lives in one namespace, window.eventmap; the browser tests
 * read window.eventmapStats after every draw.
 *
 * Data never becomes HTML: popups are DOM nodes filled with textContent.
 */
(function () {
  "use strict";
  var ns = window.eventmap = window.eventmap || {};
  var core = ns.core;
  var CANVAS_LIMIT = 5000;   // without WebGL, single markers up to this many events
  var STACK_LIMIT = 5000;    // events in view up to which stacked points show their number
  var LOD_LIMIT = 200000;    // above this many, points are drawn small
  var GRID_CELL = 48;        // px, for counted cells (no WebGL, or the Clusters layer)
  var POPUP_HEIGHT = 360;    // px, a popup's content at most (less where the controls leave less)
  var MARGIN = 8;            // px between a popup and the controls or the map's edge
  var TILE_ERRORS = 3;       // failed tiles, none loaded: the tile basemap is unreachable

  // --- loading -------------------------------------------------------------------------------

  function fetchEvents(url) {
    return fetch(url).then(function (answer) {
      if (!answer.ok) { throw new Error(url + ": HTTP " + answer.status); }
      var body = answer.body.pipeThrough(new DecompressionStream("gzip"));
      return new Response(body).arrayBuffer();
    });
  }

  function fetchSelection(url, n) {
    return fetch(url).then(function (answer) {
      if (!answer.ok) { throw new Error(url + ": HTTP " + answer.status); }
      return answer.arrayBuffer();
    }).then(function (buffer) {
      var bits = new Uint8Array(buffer), out = new Uint8Array(n);
      for (var i = 0; i < n; i++) { out[i] = (bits[i >> 3] >> (7 - (i & 7))) & 1; }
      return out;
    });
  }

  var loading = {};
  /** Load plugin scripts once, in order (the heatmap's, when it is first switched on). */
  ns.load = function (scripts) {
    return scripts.reduce(function (ready, src) {
      return ready.then(function () {
        return loading[src] || (loading[src] = new Promise(function (done, fail) {
          var script = document.createElement("script");
          script.src = src;
          script.onload = done;
          script.onerror = fail;
          document.head.appendChild(script);
        }));
      });
    }, Promise.resolve());
  };

  // --- WebGL ---------------------------------------------------------------------------------

  var VERTEX = [
    "attribute float a_x; attribute float a_y; attribute float a_start; attribute float a_end;",
    "attribute float a_type; attribute float a_radius; attribute float a_flags;",
    "attribute float a_sel;",
    "uniform vec2 u_center; uniform float u_scale; uniform vec2 u_size; uniform float u_dpr;",
    "uniform float u_d0; uniform float u_d1; uniform float u_on[8]; uniform vec3 u_colours[8];",
    "uniform float u_lod;",
    "varying vec3 v_colour; varying float v_hollow; varying float v_edge;",
    "varying float v_flagged;",
    "void main() {",
    "  int t = int(a_type + 0.5);",
    "  float on = 0.0; vec3 colour = vec3(0.5);",
    "  for (int k = 0; k < 8; k++) { if (k == t) { on = u_on[k]; colour = u_colours[k]; } }",
    "  float located = mod(a_flags, 2.0);",
    "  v_hollow = mod(floor(a_flags / 2.0 + 0.01), 2.0);",
    "  v_flagged = mod(floor(a_flags / 4.0 + 0.01), 2.0);",
    "  if (a_end < u_d0 || a_start > u_d1 || on < 0.5 || located < 0.5 || a_sel < 0.5) {",
    "    gl_Position = vec4(2.0, 2.0, 2.0, 1.0); gl_PointSize = 0.0; return;",
    "  }",
    "  vec2 px = (vec2(a_x, a_y) - u_center) * u_scale;",
    "  gl_Position = vec4(px.x / (u_size.x * 0.5), -px.y / (u_size.y * 0.5), 0.0, 1.0);",
    "  float r = a_radius / 10.0;",
    "  if (u_lod > 0.5) { r = min(r, 2.5); }",
    "  gl_PointSize = (2.0 * r + 2.0) * u_dpr;",
    "  v_edge = u_lod > 0.5 ? 2.0 : r / (r + 1.0) - 1.5 / (r + 1.0);",
    "  v_colour = colour;",
    "}"
  ].join("\n");

  var FRAGMENT = [
    "precision mediump float;",
    "uniform float u_candidate;",
    "varying vec3 v_colour; varying float v_hollow; varying float v_edge;",
    "varying float v_flagged;",
    "void main() {",
    "  float d = length(gl_PointCoord * 2.0 - 1.0);",
    "  if (d > 1.0) { discard; }",
    "  if (d > v_edge) {",
    "    gl_FragColor = u_candidate > 0.5 ? vec4(0.33, 0.33, 0.33, 1.0)",
    "      : (v_flagged > 0.5 ? vec4(0.08, 0.08, 0.08, 1.0) : vec4(v_colour, 1.0));",
    "  } else {",
    "    float fill = u_candidate > 0.5 ? 0.25 : (v_hollow > 0.5 ? 0.08 : 0.7);",
    "    gl_FragColor = vec4(v_colour * fill, fill);  // premultiplied",
    "  }",
    "}"
  ].join("\n");

  function compile(gl) {
    var program = gl.createProgram();
    [[gl.VERTEX_SHADER, VERTEX], [gl.FRAGMENT_SHADER, FRAGMENT]].forEach(function (s) {
      var shader = gl.createShader(s[0]);
      gl.shaderSource(shader, s[1]);
      gl.compileShader(shader);
      if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) {
        throw new Error(gl.getShaderInfoLog(shader));
      }
      gl.attachShader(program, shader);
    });
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
      throw new Error(gl.getProgramInfoLog(program));
    }
    return program;
  }

  function hexToRgb(hex) {
    var v = parseInt(hex.slice(1), 16);
    return [(v >> 16 & 255) / 255, (v >> 8 & 255) / 255, (v & 255) / 255];
  }

  // --- one dataset on the map (the events, or the extractor's candidates) --------------------

  function EventSet(config, options) {
    this.config = config;
    this.candidate = options.candidate;
    this.data = null;
    this.selection = null;
    this.selectionUrl = null;
    this.window = null;      // {d0, d1, mask}
    this.indices = new Uint32Array(0);
    this.shards = new Map();
    this.buffers = null;
    var self = this;
    this.ready = fetchEvents(config.data).then(function (buffer) {
      performance.mark("eventmap-fetched");
      self.data = core.decode(buffer, config.n);
      self.wx = self.data.x;
      self.wy = self.data.y;
      performance.mark("eventmap-projected");
      return self;
    });
  }

  /** Move the window; with a new selection URL, the new window is drawn only once that
   * selection has arrived (never the window without its filters), and the steps that come
   * meanwhile wait with it. */
  EventSet.prototype.setWindow = function (d0, d1, mask, selectionUrl) {
    var self = this, next = {d0: d0, d1: d1, mask: mask};
    if (selectionUrl === this.selectionUrl) {
      if (this.loading) { this.waiting = next; return this.loading; }
      this.window = next;
      return Promise.resolve();
    }
    this.selectionUrl = selectionUrl;
    if (!selectionUrl) {
      this.loading = null;
      this.window = next;
      this.selection = null;
      this.selectionChanged = true;
      return Promise.resolve();
    }
    this.waiting = next;
    var loading = this.ready.then(function () {
      return fetchSelection(selectionUrl, self.config.n);
    }).then(function (selection) {
      if (self.selectionUrl === selectionUrl) {
        self.selection = selection;
        self.selectionChanged = true;
        self.window = self.waiting;
        self.loading = null;
      }
    }, function (error) {
      if (self.selectionUrl === selectionUrl) {  // asked again at the next step
        self.selectionUrl = null;
        self.loading = null;
      }
      throw error;
    });
    this.loading = loading;
    return loading;
  };

  /** The visible events, recounted only when the window, types or selection change (not on
   * every frame of a pan). */
  EventSet.prototype.update = function () {
    if (!this.data || !this.window) { this.indices = new Uint32Array(0); return; }
    var w = this.window;
    if (this.counted && this.counted.w === w && this.counted.selection === this.selection) {
      return;
    }
    this.indices = core.visible(this.data, this.config.longest, w.d0, w.d1, w.mask,
                                this.selection);
    this.counted = {w: w, selection: this.selection};
  };

  EventSet.prototype.row = function (i) {
    var size = this.config.shardSize, k = Math.floor(i / size), shards = this.shards;
    if (!shards.has(k)) {
      var url = this.config.shards + k + ".json.gz";
      shards.set(k, fetch(url).then(function (answer) {
        if (!answer.ok) { throw new Error(url + ": HTTP " + answer.status); }
        var body = answer.body.pipeThrough(new DecompressionStream("gzip"));
        return new Response(body).json();
      }).catch(function (error) {
        shards.delete(k);  // asked again at the next click
        throw error;
      }));
      if (shards.size > 32) { shards.delete(shards.keys().next().value); }
    }
    return shards.get(k).then(function (shard) { return {shard: shard, k: i - k * size}; });
  };

  // --- the layer -----------------------------------------------------------------------------

  var EventLayer = L.Layer.extend({
    initialize: function (config) {
      this.config = config;
      this.sets = {events: new EventSet(config.events, {candidate: false})};
      if (config.candidates) {
        this.sets.candidates = new EventSet(config.candidates, {candidate: true});
      }
      this.show = {events: true, clusters: false, candidates: true};
      this.player = null;
    },

    onAdd: function (map) {
      var pane = map.getPane("eventmap") || map.createPane("eventmap");
      pane.style.zIndex = 450;
      pane.style.pointerEvents = "none";
      this.glCanvas = L.DomUtil.create("canvas", "eventmap-webgl", pane);
      this.canvas = L.DomUtil.create("canvas", "eventmap-canvas", pane);
      [this.glCanvas, this.canvas].forEach(function (c) { c.style.position = "absolute"; });
      this.gl = this.config.webgl === false ? null : this._initGl();
      this.renderer = this.gl ? "webgl" : "canvas";
      map.on("move zoomend resize viewreset", this._schedule, this);
      map.on("click", this._onClick, this);
      var self = this;
      Object.keys(this.sets).forEach(function (name) {
        self.sets[name].ready.then(function (set) {
          if (self.gl) { self._upload(set); }
          performance.mark("eventmap-uploaded");
          self._schedule();
        }).catch(function (error) { self._fail(error); });
      });
      this._schedule();
    },

    onRemove: function (map) {
      map.off("move zoomend resize viewreset", this._schedule, this);
      map.off("click", this._onClick, this);
      L.DomUtil.remove(this.glCanvas);
      L.DomUtil.remove(this.canvas);
    },

    _initGl: function () {
      var gl;
      try {
        gl = this.glCanvas.getContext("webgl", {antialias: false});
        if (!gl) { return null; }
        this.program = compile(gl);
      } catch (e) {
        return null;
      }
      var program = this.program, where = {};
      ["a_x", "a_y", "a_start", "a_end", "a_type", "a_radius", "a_flags", "a_sel"].forEach(
        function (name) { where[name] = gl.getAttribLocation(program, name); });
      ["u_center", "u_scale", "u_size", "u_dpr", "u_d0", "u_d1", "u_on", "u_colours", "u_lod",
       "u_candidate"].forEach(function (name) { where[name] = gl.getUniformLocation(program, name); });
      this.where = where;
      return gl;
    },

    _upload: function (set) {
      var gl = this.gl, d = set.data, make = function (array) {
        var buffer = gl.createBuffer();
        gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
        gl.bufferData(gl.ARRAY_BUFFER, array, gl.STATIC_DRAW);
        return buffer;
      };
      set.buffers = {
        a_x: [make(d.x), 1, gl.FLOAT],
        a_y: [make(d.y), 1, gl.FLOAT],
        a_start: [make(d.start), 1, gl.UNSIGNED_SHORT],
        a_end: [make(d.end), 1, gl.UNSIGNED_SHORT],
        a_type: [make(d.type), 1, gl.UNSIGNED_BYTE],
        a_radius: [make(d.radius), 1, gl.UNSIGNED_BYTE],
        a_flags: [make(d.flags), 1, gl.UNSIGNED_BYTE],
        a_sel: null
      };
    },

    _fail: function (error) {
      this.error = String(error && error.message || error);
      window.eventmapStats = Object.assign({}, window.eventmapStats || {}, {error: this.error});
      this._status("The events could not be loaded: " + this.error);
    },

    _schedule: function () {
      var self = this;
      if (this._pending) { return; }
      this._pending = true;
      requestAnimationFrame(function () { self._pending = false; self.draw(); });
      // rAF is paused in hidden frames; a timer makes sure the stats still follow.
      setTimeout(function () { if (self._pending) { self._pending = false; self.draw(); } }, 50);
    },

    /** Move the events' window (days since origin, inclusive), type mask and selection. */
    setWindow: function (name, d0, d1, mask, selectionUrl) {
      var self = this, set = this.sets[name];
      if (!set) { return; }
      set.setWindow(d0, d1, mask, selectionUrl).then(function () { self._schedule(); })
        .catch(function (error) { self._fail(error); });
      this._schedule();
    },

    _view: function () {
      var map = this._map, size = map.getSize(), zoom = map.getZoom();
      var scale = 256 * Math.pow(2, zoom);
      var center = map.project(map.getCenter(), zoom);
      return {size: size, scale: scale, cx: center.x / scale, cy: center.y / scale};
    },

    _pixels: function (set, indices, view) {
      var xs = set.xs || (set.xs = new Float32Array(set.data.n));
      var ys = set.ys || (set.ys = new Float32Array(set.data.n));
      var hx = view.size.x / 2, hy = view.size.y / 2;
      for (var k = 0; k < indices.length; k++) {
        var i = indices[k];
        xs[i] = (set.wx[i] - view.cx) * view.scale + hx;
        ys[i] = (set.wy[i] - view.cy) * view.scale + hy;
      }
      return [xs, ys];
    },

    draw: function () {
      var map = this._map;
      if (!map) { return; }
      var view = this._view(), dpr = window.devicePixelRatio || 1;
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      var self = this;
      [this.glCanvas, this.canvas].forEach(function (c) {
        L.DomUtil.setPosition(c, topLeft);
        if (c.width !== view.size.x * dpr || c.height !== view.size.y * dpr) {
          c.width = view.size.x * dpr;
          c.height = view.size.y * dpr;
          c.style.width = view.size.x + "px";
          c.style.height = view.size.y + "px";
        }
      });
      var ctx = this.canvas.getContext("2d");
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, view.size.x, view.size.y);
      if (this.gl) {
        this.gl.viewport(0, 0, this.glCanvas.width, this.glCanvas.height);
        this.gl.clearColor(0, 0, 0, 0);
        this.gl.clear(this.gl.COLOR_BUFFER_BIT);
      }
      var events = this.sets.events;
      events.update();
      var shown = events.indices.length;
      var renderer = this.gl ? "webgl" : (shown <= CANVAS_LIMIT ? "canvas" : "grid");
      Object.keys(this.sets).forEach(function (name) {
        var set = self.sets[name];
        if (name !== "events") { set.update(); }
        if (!set.data || !set.window || !self.show[name]) { return; }
        if (self.gl) {
          self._drawGl(set, view, dpr);
        } else if (set.indices.length <= CANVAS_LIMIT) {
          self._drawCircles(ctx, set, view);
        } else {
          self._drawGrid(ctx, set, view);
        }
      });
      if (this.show.clusters && events.data) { this._drawGrid(ctx, events, view); }
      this.stackCount = 0;
      if (this.show.events && events.data && events.window && shown <= STACK_LIMIT) {
        this._drawStacks(ctx, events, view);
      }
      if (this.heat) { this._updateHeat(); }
      var w = events.window;
      window.eventmapStats = {
        renderer: renderer,
        total: this.config.events.n,
        visible: events.data && w ? shown : null,
        start: w ? core.isoDay(this.config.events.origin, w.d0) : null,
        end: w ? core.isoDay(this.config.events.origin, w.d1) : null,
        ready: Boolean(events.data && w),
        stacks: this.stackCount,
        error: this.error || null
      };
      this.renderer = renderer;
      this._status(this._label(renderer, shown, events));
      if (events.data && w) {
        performance.clearMarks("eventmap-drawn");
        performance.mark("eventmap-drawn");
      }
    },

    _label: function (renderer, shown, events) {
      if (!events.data) { return "Loading " + this.config.events.n.toLocaleString("en") + " events…"; }
      var count = shown.toLocaleString("en") + (shown === 1 ? " event" : " events");
      if (renderer === "webgl") {
        return "WebGL · " + count + (shown > LOD_LIMIT ? " (drawn small)" : "");
      }
      if (renderer === "canvas") { return "Canvas (no WebGL) · " + count; }
      return "No WebGL: " + count + " counted in grid cells (markers up to " +
        CANVAS_LIMIT.toLocaleString("en") + ")";
    },

    _status: function (text) {
      if (!this.statusControl) {
        var control = L.control({position: "bottomright"});
        control.onAdd = function () {
          var div = L.DomUtil.create("div", "eventmap-renderer");
          div.style.cssText = "background:rgba(255,255,255,.85);padding:2px 6px;" +
            "font:11px/1.4 sans-serif;border-radius:3px";
          return div;
        };
        control.addTo(this._map);
        this.statusControl = control;
      }
      this.statusControl.getContainer().textContent = text;
    },

    _drawGl: function (set, view, dpr) {
      var gl = this.gl, where = this.where, w = set.window, d = set.data;
      if (!set.buffers) { return; }
      gl.useProgram(this.program);
      gl.enable(gl.BLEND);
      gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);  // colours are premultiplied
      if (set.selectionChanged && set.selection) {
        if (!set.selBuffer) { set.selBuffer = gl.createBuffer(); }
        gl.bindBuffer(gl.ARRAY_BUFFER, set.selBuffer);
        gl.bufferData(gl.ARRAY_BUFFER, set.selection, gl.DYNAMIC_DRAW);
      }
      set.selectionChanged = false;
      Object.keys(set.buffers).forEach(function (name) {
        var b = set.buffers[name], loc = where[name];
        if (loc < 0) { return; }
        if (name === "a_sel") {
          if (set.selection) {
            gl.bindBuffer(gl.ARRAY_BUFFER, set.selBuffer);
            gl.enableVertexAttribArray(loc);
            gl.vertexAttribPointer(loc, 1, gl.UNSIGNED_BYTE, false, 0, 0);
          } else {
            gl.disableVertexAttribArray(loc);
            gl.vertexAttrib1f(loc, 1.0);
          }
          return;
        }
        gl.bindBuffer(gl.ARRAY_BUFFER, b[0]);
        gl.enableVertexAttribArray(loc);
        gl.vertexAttribPointer(loc, b[1], b[2], false, 0, 0);
      });
      var on = [], colours = [];
      for (var t = 0; t < 8; t++) {
        on.push(core.typeOn(w.mask, t) ? 1 : 0);
        colours.push.apply(colours, hexToRgb(this.config.colours[t] || "#7f7f7f"));
      }
      gl.uniform2f(where.u_center, view.cx, view.cy);
      gl.uniform1f(where.u_scale, view.scale);
      gl.uniform2f(where.u_size, view.size.x, view.size.y);
      gl.uniform1f(where.u_dpr, dpr);
      gl.uniform1f(where.u_d0, w.d0);
      gl.uniform1f(where.u_d1, w.d1);
      gl.uniform1fv(where.u_on, on);
      gl.uniform3fv(where.u_colours, colours);
      gl.uniform1f(where.u_lod, set.indices.length > LOD_LIMIT ? 1 : 0);
      gl.uniform1f(where.u_candidate, set.candidate ? 1 : 0);
      // Only the rows whose start can fall in the window: the file is sorted by start.
      var range = core.windowRange(d.start, set.config.longest, w.d0, w.d1);
      if (range[1] > range[0]) { gl.drawArrays(gl.POINTS, range[0], range[1] - range[0]); }
    },

    _drawCircles: function (ctx, set, view) {
      var p = this._pixels(set, set.indices, view), xs = p[0], ys = p[1], d = set.data;
      var colours = this.config.colours;
      for (var k = 0; k < set.indices.length; k++) {
        var i = set.indices[k], r = d.radius[i] / 10, colour = colours[d.type[i]] || "#7f7f7f";
        var hollow = d.flags[i] & core.HOLLOW, flagged = d.flags[i] & core.FLAGGED;
        ctx.beginPath();
        ctx.arc(xs[i], ys[i], r, 0, 2 * Math.PI);
        ctx.globalAlpha = set.candidate ? 0.25 : (hollow ? 0.08 : 0.7);
        ctx.fillStyle = colour;
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.lineWidth = 2;
        ctx.setLineDash(set.candidate ? [2, 3] : (hollow ? [4, 3] : []));
        ctx.strokeStyle = set.candidate ? "#555" : (flagged ? "#141414" : colour);
        ctx.stroke();
      }
      ctx.setLineDash([]);
    },

    /** A number beside each point where several events stand at the same place (the popup
     * steps through them), so seven events at "Iraq" do not look like one. */
    _drawStacks: function (ctx, set, view) {
      if (set.stacked === undefined || set.stackedFor !== set.counted) {
        set.stacked = core.stacks(set.data, set.indices);
        set.stackedFor = set.counted;
      }
      if (!set.stacked.length) { return; }
      var firsts = set.stacked.map(function (g) { return g.i; });
      var p = this._pixels(set, firsts, view), d = set.data;
      ctx.font = "bold 11px sans-serif";
      ctx.textAlign = "left";
      ctx.textBaseline = "middle";
      ctx.lineWidth = 3;
      ctx.strokeStyle = "#ffffff";
      ctx.fillStyle = "#222222";
      set.stacked.forEach(function (g) {
        var x = p[0][g.i] + d.radius[g.i] / 10 + 2, y = p[1][g.i] - d.radius[g.i] / 10;
        var label = "×" + g.n;
        ctx.strokeText(label, x, y);
        ctx.fillText(label, x, y);
      });
      this.stackCount = set.stacked.length;
    },

    _drawGrid: function (ctx, set, view) {
      var p = this._pixels(set, set.indices, view);
      var cells = core.grid(p[0], p[1], set.indices, GRID_CELL);
      ctx.font = "bold 11px sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      cells.forEach(function (c) {
        var r = Math.min(24, 9 + 3 * Math.log(c.count) / Math.LN2);
        ctx.beginPath();
        ctx.arc(c.x, c.y, r, 0, 2 * Math.PI);
        ctx.fillStyle = "rgba(49, 130, 189, 0.75)";
        ctx.fill();
        ctx.lineWidth = 2;
        ctx.strokeStyle = "#fff";
        ctx.stroke();
        ctx.fillStyle = "#fff";
        ctx.fillText(c.count >= 10000 ? Math.round(c.count / 1000) + "k" : String(c.count),
                     c.x, c.y);
      });
    },

    /** The heatmap: one layer of ours, shown while a Heatmap group is on the map (its plugin
     * loaded the first time). It is hidden, never removed: leaflet.heat redraws on the next
     * frame and fails if it has left the map meanwhile. */
    setHeat: function (on) {
      var self = this, map = this._map;
      this.heatOn = on;
      if (this.heat) { this.heat._canvas.style.display = on ? "" : "none"; }
      if (!on) { return; }
      ns.load(this.config.heatJs).then(function () {
        if (!self.heat) {
          self.heat = L.heatLayer([], {radius: 22, blur: 18, minOpacity: 0.35}).addTo(map);
        }
        self.heat._canvas.style.display = self.heatOn ? "" : "none";
        self._updateHeat();
      });
    },

    _updateHeat: function () {
      var events = this.sets.events, d = events.data, points = [];
      if (!d || !this.heat || !this.heatOn) { return; }
      for (var k = 0; k < events.indices.length; k++) {
        var i = events.indices[k];
        var p = core.unmercator(d.x[i], d.y[i]);
        points.push([p[1], p[0], d.radius[i] / 10 - 5]);
      }
      this.heat.setLatLngs(points);
    },

    // --- clicks: nearest visible event, its popup fetched on demand -----------------------

    _onClick: function (e) {
      var view = this._view(), point = e.containerPoint, self = this;
      var order = this.sets.candidates ? ["events", "candidates"] : ["events"];
      for (var s = 0; s < order.length; s++) {
        var set = this.sets[order[s]];
        if (!set.data || !this.show[order[s]] || !set.indices.length) { continue; }
        var p = this._pixels(set, set.indices, view);
        var lod = set.indices.length > LOD_LIMIT || (!this.gl && set.indices.length > CANVAS_LIMIT);
        var radius = function (i) { return lod ? 3 : set.data.radius[i] / 10; };
        var i = core.pick(p[0], p[1], radius, set.indices, point.x, point.y, 4);
        if (i >= 0) {
          self.openPopup(order[s], core.samePoint(set.data, set.indices, i), 0);
          return;
        }
      }
    },

    /** The popup of `group[at]` (events sharing one point), with ‹ › to step through them. */
    openPopup: function (name, group, at) {
      var set = this.sets[name], i = group[at], self = this, map = this._map;
      var point = core.unmercator(set.data.x[i], set.data.y[i]);
      var latlng = L.latLng(point[1], point[0]);
      var box = L.DomUtil.create("div", "eventmap-popup");
      box.textContent = "Loading…";
      // Leaflet's autopan knows only the map's edges: ours (fitPopup) keeps the popup clear of
      // the controls too, which are drawn above every popup (issue 9).
      var popup = this.popup = this.popup || L.popup({
        maxWidth: 380, maxHeight: POPUP_HEIGHT, autoPan: false
      });
      popup.options.maxHeight = POPUP_HEIGHT;
      popup.setLatLng(latlng).setContent(box).openOn(map);
      fitPopup(map, popup);
      this._report(name, i, latlng);
      set.row(i).then(function (found) {
        if (popup.getContent() !== box) { return; }
        box.textContent = "";
        if (group.length > 1) {
          var nav = L.DomUtil.create("div", "eventmap-here", box);
          var back = L.DomUtil.create("button", "eventmap-prev", nav);
          back.textContent = "‹";
          back.disabled = at === 0;
          L.DomUtil.create("span", "", nav).textContent =
            " " + (at + 1) + " of " + group.length + " events here ";
          var next = L.DomUtil.create("button", "eventmap-next", nav);
          next.textContent = "›";
          next.disabled = at === group.length - 1;
          L.DomEvent.on(back, "click", function (ev) {
            L.DomEvent.stop(ev); self.openPopup(name, group, at - 1);
          });
          L.DomEvent.on(next, "click", function (ev) {
            L.DomEvent.stop(ev); self.openPopup(name, group, at + 1);
          });
        }
        renderDetails(box, core.describe(found.shard, found.k, self.config.labels));
        popup.update();
        fitPopup(map, popup);
      }).catch(function (error) {
        box.textContent = "The details could not be loaded (" + error.message + ").";
        popup.update();
        fitPopup(map, popup);
      });
    },

    /** Tell the page (streamlit-folium) which event was picked, so its details show below. */
    _report: function (name, i, latlng) {
      var text = name + ":" + i;
      var source = {
        _tooltip: {_content: text},
        getTooltip: function () { return {getContent: function () { return text; }}; }
      };
      this.fire("click", {latlng: latlng, sourceTarget: source});
    }
  });

  // --- the page around the layer: popups clear of the controls, focus, failed tiles ---------

  /** A box of the map's pixels: where `element` is drawn inside the map's container. */
  function boxOf(map, element) {
    var origin = map.getContainer().getBoundingClientRect(), r = element.getBoundingClientRect();
    return {left: r.left - origin.left, top: r.top - origin.top,
            right: r.right - origin.left, bottom: r.bottom - origin.top};
  }

  /** The controls drawn on the map now (the zoom buttons, layers, legend, player, notices...). */
  function controlBoxes(map) {
    var found = map.getContainer().querySelectorAll(".leaflet-control-container .leaflet-control");
    return Array.prototype.map.call(found, function (c) { return boxOf(map, c); })
      .filter(function (b) { return b.right > b.left && b.bottom > b.top; });
  }

  /** Controls sit above every map pane, popups included, whatever their z-index: so the popup
   * is given no more height than the controls of its columns leave, and the map pans it to the
   * nearest place clear of them (and of the map's edges). */
  function fitPopup(map, popup) {
    var element = popup.getElement();
    if (!element || !map.hasLayer(popup)) { return; }
    var size = map.getSize(), controls = controlBoxes(map), box = boxOf(map, element);
    var content = element.querySelector(".leaflet-popup-content");
    var chrome = (box.bottom - box.top) - (content ? content.offsetHeight : 0);
    var room = core.roomAbove(box, controls, size.y, MARGIN) - chrome;
    var height = Math.max(120, Math.min(POPUP_HEIGHT, Math.floor(room)));
    if (height !== popup.options.maxHeight) {
      popup.options.maxHeight = height;
      popup.update();
      box = boxOf(map, element);
    }
    var shift = core.clearOf(box, controls, size.x, size.y, MARGIN);
    if (shift.dx || shift.dy) { map.panBy([-shift.dx, -shift.dy]); }
  }

  /** A control position of our own, centred at the top of the map (Leaflet has corners only):
   * the player and the notices, apart from the zoom buttons' and the legend's column. */
  function addTopCentre(map) {
    if (!map._controlCorners.topcenter) {
      map._controlCorners.topcenter = L.DomUtil.create(
        "div", "leaflet-top eventmap-topcenter", map._controlContainer);
    }
  }

  /** Mouse clicks leave no focus ring on the map; the keyboard does (issue 9). Leaflet focuses
   * the map on every mouse press, and browsers then count it as :focus-visible; the class says
   * the focus came from the pointer, until a key other than a modifier is pressed. A press
   * marks the focus it causes, and only that one: a time window also marked a Tab that came
   * soon after a click. */
  function watchFocus(map) {
    var container = map.getContainer(), pressing = false;
    var pointer = function (on) {
      L.DomUtil[on ? "addClass" : "removeClass"](container, "eventmap-pointer");
    };
    container.addEventListener("pointerdown", function () { pressing = true; pointer(true); },
                               true);
    window.addEventListener("pointerup", function () { pressing = false; }, true);
    window.addEventListener("pointercancel", function () { pressing = false; }, true);
    container.addEventListener("focus", function () { pointer(pressing); });
    document.addEventListener("keydown", function (e) {
      if (["Shift", "Control", "Alt", "Meta"].indexOf(e.key) < 0) { pointer(false); }
    }, true);
  }

  /** A tile basemap that cannot be reached shows a grey map: say so on the map, and offer the
   * offline basemap (the text is ours, set with textContent). */
  function watchTiles(map) {
    var notice = null;
    var hide = function () { if (notice) { notice.remove(); notice = null; } };
    var show = function (layer) {
      if (notice || !map.hasLayer(layer)) { return; }
      notice = L.control({position: "topcenter"});
      notice.onAdd = function () {
        var div = L.DomUtil.create("div", "eventmap-notice");
        div.setAttribute("role", "alert");
        var offline = ns.offlineBasemap;
        add(div, "span", "Map tiles could not be loaded (no internet?). " + (offline ? "" :
          "Choose the offline basemap in the layers menu (top right)."));
        if (offline) {
          var button = add(div, "button", "Use the offline basemap", "eventmap-use-offline");
          button.type = "button";
          L.DomEvent.on(button, "click", function () {
            map.eachLayer(function (other) {
              if (other instanceof L.TileLayer) { map.removeLayer(other); }
            });
            map.addLayer(offline);
          });
        }
        L.DomEvent.disableClickPropagation(div);
        return div;
      };
      notice.addTo(map);
    };
    var watch = function (layer) {
      if (!(layer instanceof L.TileLayer) || layer.eventmapWatch) { return; }
      var tiles = layer.eventmapWatch = new core.TileWatch(TILE_ERRORS);
      layer.on("tileerror", function () { if (tiles.error()) { show(layer); } });
      layer.on("tileload", function () { tiles.load(); hide(); });
      layer.on("remove", function () { tiles.reset(); hide(); });
    };
    map.eachLayer(watch);
    map.on("layeradd", function (e) { watch(e.layer); });
  }

  function add(parent, tag, text, className) {
    var node = L.DomUtil.create(tag, className || "", parent);
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function field(parent, label, value) {
    add(parent, "b", label + ": ");
    parent.appendChild(document.createTextNode(value));
    add(parent, "br");
  }

  function renderDetails(box, e) {
    if (e.flag) { add(box, "b", e.flag); add(box, "br"); }
    add(box, "b", e.dates);
    add(box, "br");
    box.appendChild(document.createTextNode(e.type));
    add(box, "br");
    field(box, "Actors", e.actors);
    field(box, "Where", e.place);
    add(box, "b", "Fatalities: ");
    box.appendChild(document.createTextNode(e.fatalities + " · "));
    add(box, "b", "Injured: ");
    box.appendChild(document.createTextNode(e.injured));
    add(box, "p", e.notes);
    if (e.origin.length) {
      var more = add(box, "details", undefined, "eventmap-origin");
      add(more, "summary", "From the source dataset");
      e.origin.forEach(function (pair) { field(more, pair[0], pair[1]); });
    }
    if (e.flags.length) {
      add(box, "b", "Flags (what was odd in the data)");
      var flags = add(box, "ul", undefined, "eventmap-flags");
      e.flags.forEach(function (f) { add(flags, "li", f); });
    }
    if (e.sources.length) {
      add(box, "b", "Sources");
      var list = add(box, "ul");
      e.sources.forEach(function (s) {
        var item = add(list, "li");
        add(item, "q", s.quote);
        item.appendChild(document.createTextNode(" "));
        add(item, "cite", s.document);
        if (s.linked) { add(item, "small", " — also reported as " + s.linked); }
      });
    }
    add(box, "small", e.id);
  }

  // --- in-map playback: the window animated over the same arrays, no server round trip ----

  function Player(layer, days) {
    this.layer = layer;
    this.days = days;
    var config = layer.config.events, self = this;
    this.last = 0;
    layer.sets.events.ready.then(function (set) {
      var d = set.data, last = 0;
      for (var i = 0; i < d.n; i++) { if (d.end[i] > last && d.end[i] < 65535) { last = d.end[i]; } }
      self.last = last;
      self.range.max = String(last);
    });
    // At the top centre, not under the zoom buttons: that column is the legend's (issue 9).
    var control = L.control({position: "topcenter"});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "eventmap-player leaflet-bar");
      self.button = add(div, "button", "▶ Play", "eventmap-play");
      self.range = add(div, "input", undefined, "eventmap-play-range");
      self.range.type = "range";
      self.range.min = "0";
      self.range.value = "0";
      self.label = add(div, "span", " " + config.origin, "eventmap-play-date");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.on(self.button, "click", function () { self.toggle(); });
      L.DomEvent.on(self.range, "input", function () { self.show(Number(self.range.value)); });
      return div;
    };
    this.control = control.addTo(layer._map);
  }

  Player.prototype.show = function (day) {
    var w = this.layer.sets.events.window || {mask: 255};
    this.day = day;
    this.range.value = String(day);
    this.label.textContent = " " + core.isoDay(this.layer.config.events.origin, day);
    this.layer.setWindow("events", day - this.days + 1, day, w.mask,
                         this.layer.sets.events.selectionUrl);
  };

  Player.prototype.toggle = function () {
    var self = this;
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      this.button.textContent = "▶ Play";
      return;
    }
    var step = Math.max(1, Math.ceil(this.last / 240));  // a whole run in about a minute
    if (this.day === undefined || this.day >= this.last) { this.day = 0; }
    this.button.textContent = "Pause";
    this.timer = setInterval(function () {
      if (self.day >= self.last) { self.toggle(); return; }
      self.show(Math.min(self.last, self.day + step));
    }, 250);
  };

  Player.prototype.remove = function () {
    if (this.timer) { clearInterval(this.timer); }
    this.control.remove();
  };

  // --- the page's hooks: the base map calls init once; each slider step calls step ---------

  /** Set up the layer on `map` (the base map's script, run once per map). */
  ns.init = function (map, config) {
    map.setMinZoom(2);
    map.setMaxZoom(16);  // float32 positions stay within a pixel up to here
    map.getContainer().style.background = "#dfe9f2";
    addTopCentre(map);
    watchFocus(map);
    watchTiles(map);
    ns.map = map;
    ns.layers = ns.layers || config.layers;
    ns.layer = new EventLayer(config);
    ns.layer.addTo(map);
    // Remember only what the user ticks: swapping the step's groups also fires overlayremove.
    map.getContainer().addEventListener("change", function (e) {
      var box = e.target;
      if (box.closest && box.closest(".leaflet-control-layers-overlays")) {
        var label = box.nextElementSibling ? box.nextElementSibling.textContent : "";
        ns.layers[label.trim()] = box.checked;
      }
    }, true);
  };

  /** One swapped feature group of a slider step: `kind` is events, clusters, heat or
   * candidates; `args` the window (numbers and our own URLs only). */
  ns.step = function (group, name, kind, args) {
    var layer = ns.layer, map = ns.map;
    if (!layer) { return; }
    var chosen = ns.layers[name] !== false;
    var apply = function (on) {
      if (kind === "heat") {
        layer.setHeat(on);
      } else {
        layer.show[kind] = on;
      }
      layer._schedule();
    };
    if (args) {
      var d0 = args.d0, d1 = args.d1, player = layer.player;
      if (kind === "events" && player && args.player && player.day !== undefined) {
        d1 = player.day;  // a rerun while playing keeps the player's window
        d0 = d1 - player.days + 1;
      }
      layer.setWindow(kind, d0, d1, args.mask, args.selection || null);
    }
    if (kind === "events") {
      if (layer.player && !args.player) { layer.player.remove(); layer.player = null; }
      if (!layer.player && args.player) { layer.player = new Player(layer, args.player); }
    }
    // streamlit-folium adds every group to the map, and removes the last step's before it adds
    // the next; only the adds and removes of the current group after that are the user's.
    var settled = false;
    ns.current = ns.current || {};
    ns.current[name] = group;
    group.on("add", function () { if (settled) { apply(true); } });
    group.on("remove", function () {
      setTimeout(function () { if (settled && ns.current[name] === group) { apply(false); } }, 0);
    });
    setTimeout(function () {
      if (!chosen && map.hasLayer(group)) { map.removeLayer(group); }
      settled = true;
      apply(chosen);
    }, 0);
  };
})();
