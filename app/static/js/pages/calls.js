// A meeting page without a live screen of its own (the agenda, my notes, the minutes): it listens to the room
// only for what calls the member back to it (lib/meeting-calls.js).
import { LiveClient } from "../lib/live-client.js";
import { watchMeeting } from "../lib/meeting-calls.js";

const cfg = JSON.parse(document.getElementById("calls-config").textContent);
if (globalThis.io) {
  const live = new LiveClient({ meeting: cfg.meeting, strings: cfg.strings });
  watchMeeting(live, cfg);
  live.start();
}
