// The camera reader, loaded only when the scan screen opens: the zxing-wasm ponyfill and its
// .wasm (about 1 MB) stay off the first screen. The .wasm is served by the kiosk build itself,
// never from a CDN (kiosks have no internet).
import { BarcodeDetector, prepareZXingModule } from "barcode-detector/ponyfill";

export const ZXING_WASM_URL = "/kiosk/assets/zxing_reader.wasm";
const SCAN_INTERVAL_MS = 120;

prepareZXingModule({
  overrides: {
    locateFile: (path: string, prefix: string) =>
      path.endsWith(".wasm") ? ZXING_WASM_URL : prefix + path,
  },
});

/** Starts the camera into `video` and reads QR codes until the returned stop function is called. */
export async function startCamera(
  video: HTMLVideoElement,
  onText: (text: string) => void,
): Promise<() => void> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: 640 }, height: { ideal: 480 } },
    audio: false,
  });
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  try {
    await video.play();
  } catch {
    // Autoplay of a muted stream is allowed; a failure here only delays the first frame.
  }
  const detector = new BarcodeDetector({ formats: ["qr_code"] });
  const loop = async (): Promise<void> => {
    while (!stopped) {
      if (video.readyState >= 2) {
        try {
          const codes = await detector.detect(video);
          const first = codes[0];
          if (!stopped && first !== undefined && first.rawValue !== "") onText(first.rawValue);
        } catch {
          // A frame that cannot be read is skipped.
        }
      }
      await new Promise((r) => setTimeout(r, SCAN_INTERVAL_MS));
    }
  };
  void loop();
  return stop;
}
