// SPDX-License-Identifier: Apache-2.0
// web/src/shared/qr.js -- reads a QR code from a photo or from the camera, with
// jsQR: a receipt's on the portal's /verify page, a villager's pay code on the
// phone app's redemption page. jsQR is loaded only when first needed (dynamic
// import), so that nobody who just pastes a receipt or types a code downloads
// it. The QR code's bytes are read as UTF-8: a receipt's signature lines start
// with "—" (U+2014).

// Photos from phones are large; jsQR finds a code faster (and as surely) in a
// smaller copy, so try small first and the full size last.
const SIZES = [1024, 2048, Infinity];

let jsQRPromise = null;

function loadJsQR() {
  jsQRPromise ??= import('jsqr').then((m) => m.default);
  return jsQRPromise;
}

function receiptText(code) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(code.binaryData));
  } catch {
    return code.data;
  }
}

// The pixels of 'source' (an image, bitmap or video frame) at most 'max' wide or high.
function pixels(source, width, height, max, canvas) {
  const scale = Math.min(1, max / Math.max(width, height));
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

// The text of the QR code in an image file, or null when none is found.
export async function readQrFromFile(file) {
  const [jsQR, bitmap] = await Promise.all([loadJsQR(), createImageBitmap(file)]);
  const canvas = document.createElement('canvas');
  try {
    for (const max of SIZES) {
      const image = pixels(bitmap, bitmap.width, bitmap.height, max, canvas);
      const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' });
      if (code) return receiptText(code);
      if (max >= Math.max(bitmap.width, bitmap.height)) break;
    }
    return null;
  } finally {
    bitmap.close();
  }
}

// Show the back camera in 'video' and look for a QR code in each frame; calls
// found(text) once and stops. Returns a function that stops the camera.
export async function scanWithCamera(video, found) {
  const jsQR = await loadJsQR();
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  const canvas = document.createElement('canvas');
  let stopped = false;
  let frame = 0;
  const stop = () => {
    stopped = true;
    cancelAnimationFrame(frame);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  const look = () => {
    if (stopped) return;
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
      const image = pixels(video, video.videoWidth, video.videoHeight, SIZES[0], canvas);
      const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
      if (code) {
        stop();
        found(receiptText(code));
        return;
      }
    }
    frame = requestAnimationFrame(look);
  };
  video.srcObject = stream;
  await video.play();
  frame = requestAnimationFrame(look);
  return stop;
}
