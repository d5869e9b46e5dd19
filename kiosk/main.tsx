// The kiosk's entry: read the pairing token, start the listeners and the health poll, draw.
// Everything heavy (the camera reader and its .wasm) is imported lazily from the scan screen.
import { render } from "preact";
import { App } from "./components/App.tsx";
import { boot } from "./state/actions.ts";
import { startHealthPolling } from "./state/health.ts";
import { startWatching } from "./state/watch.ts";

boot();
startWatching();
startHealthPolling();
const root = document.getElementById("app");
if (root !== null) render(<App />, root);
