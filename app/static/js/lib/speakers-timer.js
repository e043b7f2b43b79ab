// The speaking timer, computed from what the server stores (started_at + limit_seconds), so every screen
// shows the same time and a restart changes nothing. `offsetMs` is server clock minus device clock.

// Server-minus-device clock offset from a snapshot's `server_now` (ISO, UTC), measured on arrival.
export function clockOffset(serverNowIso, deviceNow = Date.now()) {
  const server = Date.parse(serverNowIso ?? "");
  return Number.isNaN(server) ? 0 : server - deviceNow;
}

// {elapsed, remaining, limit, warn, over, paused} in whole seconds for a speaking request, or null. The chair's
// pauses are left out of the elapsed time; while the clock is held it stands at the server's remaining_seconds.
export function timerState(speaking, warnSeconds, offsetMs = 0, deviceNow = Date.now()) {
  if (!speaking?.started_at || !speaking.limit_seconds) return null;
  const started = Date.parse(speaking.started_at);
  const paused = !!speaking.paused && speaking.remaining_seconds != null;
  const elapsed = paused ? speaking.limit_seconds - speaking.remaining_seconds
    : Math.max(0, Math.floor((deviceNow + offsetMs - started) / 1000) - (speaking.paused_seconds ?? 0));
  const remaining = speaking.limit_seconds - elapsed;
  return {
    elapsed, remaining, limit: speaking.limit_seconds, paused,
    warn: remaining > 0 && remaining <= warnSeconds,
    over: remaining <= 0,
  };
}

// "2:05", or "−0:12" once the time is up.
export function formatSeconds(seconds) {
  const sign = seconds < 0 ? "−" : "";
  const abs = Math.abs(seconds);
  return `${sign}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, "0")}`;
}
