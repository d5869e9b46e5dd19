// The staff pages' entry: the language, the router, who is signed in; then draw. Each page's own
// code is loaded when it is first opened (routes.ts).
import { render } from "preact";
import { applyDocumentLang } from "../ui/i18n.ts";
import { App } from "./components/App.tsx";
import { lang } from "./i18n/index.ts";
import { startRouter } from "./router.ts";
import { boot } from "./state/session.ts";

applyDocumentLang(lang.value);
startRouter();
void boot();
const root = document.getElementById("app");
if (root !== null) render(<App />, root);
