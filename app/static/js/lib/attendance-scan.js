// Badge scanning in the browser: camera frames (getUserMedia) drawn on a canvas and decoded with jsQR
// (vendored, loaded as a classic script that defines window.jsQR). Nothing leaves the device but the code.

// Decode a QR code in an ImageData; returns its text or null. The same function serves the camera loop
// and the tests (which feed it a picture of a badge).
export function decodeImageData(imageData, jsQR = globalThis.jsQR) {
  if (!jsQR || !imageData) return null;
  const found = jsQR(imageData.data, imageData.width, imageData.height, { inversionAttempts: "dontInvert" });
  return found && found.data ? found.data : null;
}

// Decode a QR code in any drawable (an <img>, <video>, <canvas>), scaled to at most maxSide pixels.
export function decodeDrawable(source, canvas, maxSide = 640) {
  const w = source.videoWidth || source.naturalWidth || source.width;
  const hgt = source.videoHeight || source.naturalHeight || source.height;
  if (!w || !hgt) return null;
  const scale = Math.min(1, maxSide / Math.max(w, hgt));
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(hgt * scale);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  return decodeImageData(ctx.getImageData(0, 0, canvas.width, canvas.height));
}

// Start the back camera in `video` and call onCode(text) for each QR read (the same code is not
// reported again within `quietMs`). Resolves with a stop() function; rejects when there is no camera.
export async function startScanner(video, canvas, onCode, { quietMs = 3000, everyMs = 150 } = {}) {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error("no camera API");
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false,
  });
  video.srcObject = stream;
  video.setAttribute("playsinline", "");
  video.muted = true;
  await video.play();
  let last = "";
  let lastAt = 0;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    if (video.readyState >= 2) {
      const text = decodeDrawable(video, canvas);
      const now = Date.now();
      if (text && (text !== last || now - lastAt > quietMs)) {
        last = text;
        lastAt = now;
        onCode(text);
      }
    }
    setTimeout(tick, everyMs);
  };
  tick();
  return () => { stopped = true; stream.getTracks().forEach((t) => t.stop()); video.srcObject = null; };
}
