// The live room client: connects, joins the meeting, holds the snapshot, applies deltas in seq order,
// asks for a fresh snapshot on a gap, shows the reconnecting state, and lets pages subscribe to kinds.
//
//   const live = new LiveClient({ meeting: 7, strings });
//   live.on("snapshot", (state) => render(state));          // after every (re)join or gap recovery
//   live.on("present", (data, state) => show(state.presented));
//   live.reducer("vote", (state, data) => { state.vote = data; });  // optional: default is state[kind] = data
//   const ack = await live.send("chair.present", { document: 3, page: 2 });   // meeting id added for you
//   live.start();
//
// Deltas arrive as the `live.delta` event: {meeting, seq, kind, data}; seq is null for staff/user deltas.

const DEFAULT_REDUCERS = {
  status(state, d) { state.meeting.status = d.status; state.meeting.read_only = !!d.read_only; },
  item(state, d) { state.current_item = d.item_id; state.presented = d.presented ?? null; },
  present(state, d) {
    const before = state.presented;
    state.presented = d.presented ?? null;
    // A page turn in the same document carries no document meta: keep the one the tablet already has.
    if (state.presented && !state.presented.document && before?.document_id === state.presented.document_id) {
      state.presented.document = before.document;
    }
    state.current_item = d.item_id ?? state.current_item;
  },
  presence(state, d) { state.presence = d; },
  agenda(state, d) {
    state.agenda = d.agenda ?? state.agenda;
    if ("current_item" in d) state.current_item = d.current_item;
    if ("presented" in d) state.presented = d.presented;
  },
};

export class LiveClient {
  constructor({ meeting, display = null, strings = {}, ackTimeout = 10000, io = globalThis.io }) {
    this.meeting = meeting;
    this.display = display;
    this.strings = strings;
    this.ackTimeout = ackTimeout;
    this.state = null;
    this.online = false;
    this._io = io;
    this._listeners = new Map();
    this._reducers = { ...DEFAULT_REDUCERS };
    this._buffer = null;   // deltas that arrive while a snapshot is on its way
    this._resyncing = false;
  }

  // Subscribe to a delta kind, or to "snapshot", "connection" (online: bool), "error" ({error, message}),
  // "revoked" ({message}), "signed_out" ({reason, message, action, href}). Returns a function that unsubscribes.
  on(kind, fn) {
    if (!this._listeners.has(kind)) this._listeners.set(kind, new Set());
    this._listeners.get(kind).add(fn);
    return () => this._listeners.get(kind).delete(fn);
  }

  // How a delta kind changes the state (the default for unknown kinds is state[kind] = data).
  reducer(kind, fn) { this._reducers[kind] = fn; }

  _fire(kind, ...args) {
    for (const fn of this._listeners.get(kind) ?? []) {
      try { fn(...args); } catch (err) { console.error(`live listener for ${kind} failed`, err); }
    }
  }

  start() {
    const opts = { transports: ["websocket", "polling"], reconnectionDelay: 500, reconnectionDelayMax: 5000 };
    if (this.display) opts.auth = { display: this.display };
    this.socket = this._io(opts);
    this.socket.on("connect", () => this._join("meeting.join"));
    this.socket.on("disconnect", () => this._setOnline(false));
    this.socket.on("connect_error", (err) => {
      this._setOnline(false);
      // A refusal by the server (not signed in, revoked link) does not retry by itself.
      if (!this.socket.active) this._fire("error", { error: "refused", message: err.message });
    });
    this.socket.on("live.delta", (msg) => this._onDelta(msg));
    this.socket.on("live.revoked", (msg) => { this._fire("revoked", msg); this.socket.disconnect(); });
    // Signed out (on this device, or its badge reissued as lost): the server closes the socket next; no retry.
    this.socket.on("live.signed_out", (msg) => { this._fire("signed_out", msg); this.socket.disconnect(); });
    return this;
  }

  // Send an event with the meeting id; resolves with the ack ({ok: true, ...} or {ok: false, error, message}).
  async send(event, payload = {}) {
    if (!this.socket?.connected) {
      return { ok: false, error: "offline", message: this.strings.offline ?? "offline" };
    }
    try {
      return await this.socket.timeout(this.ackTimeout).emitWithAck(event, { meeting: this.meeting, ...payload });
    } catch {
      return { ok: false, error: "timeout", message: this.strings.offline ?? "timeout" };
    }
  }

  async _join(event) {
    this._buffer = this._buffer ?? [];
    const ack = await this.send(event);
    const buffered = this._buffer ?? [];
    this._buffer = null;
    this._resyncing = false;
    if (!ack.ok) {
      this._fire("error", ack);
      if (ack.error === "timeout" && this.socket.connected) setTimeout(() => this._join(event), 1000);
      return;
    }
    this.state = ack.snapshot;
    this._setOnline(true);
    this._fire("snapshot", this.state);
    buffered.sort((a, b) => a.seq - b.seq).forEach((m) => this._onDelta(m));
  }

  _onDelta(msg) {
    if (!msg || msg.meeting !== this.meeting) return;
    if (this._buffer) { this._buffer.push(msg); return; }
    if (!this.state) return;
    if (msg.seq !== null && msg.seq !== undefined) {
      if (msg.seq <= this.state.seq) return;             // already in the snapshot
      if (msg.seq !== this.state.seq + 1) {              // a gap: we missed something
        if (!this._resyncing) { this._resyncing = true; this._join("live.snapshot"); }
        return;
      }
      this.state.seq = msg.seq;
    }
    const reduce = this._reducers[msg.kind] ?? ((state, d) => { state[msg.kind] = d; });
    reduce(this.state, msg.data ?? {});
    this._fire(msg.kind, msg.data ?? {}, this.state, msg);
    this._fire("change", msg.kind, this.state);
  }

  _setOnline(online) {
    if (this.online === online) return;
    this.online = online;
    document.documentElement.classList.toggle("live-offline", !online);
    this._fire("connection", online);
  }
}

// A small status pill that says "Reconnecting…" while offline (hidden when connected).
export function connectionPill(live, el, strings) {
  const show = (online) => {
    el.hidden = online;
    el.textContent = strings.reconnecting ?? "Reconnecting…";
  };
  live.on("connection", show);
  show(false);
  el.hidden = true;  // not before the first attempt fails
  setTimeout(() => { if (!live.online) el.hidden = false; }, 1500);
}
