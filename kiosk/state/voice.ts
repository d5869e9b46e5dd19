// Speech where the device has a voice for the language (Chromium on Linux has none unless started
// with speech-dispatcher; its tags are "cmn", "ug", so voices are matched by prefix). The text is
// always a catalog message, the same words as on screen.
import { lang } from "../i18n/index.ts";
import type { Lang } from "../../ui/format.ts";
import { muted } from "./store.ts";

const VOICE_PREFIXES: Record<Lang, string[]> = {
  "zh-CN": ["zh-cn", "cmn", "zh"],
  en: ["en"],
  ug: ["ug"],
};

function voiceFor(l: Lang): SpeechSynthesisVoice | null {
  if (typeof speechSynthesis === "undefined") return null;
  const voices = speechSynthesis.getVoices();
  for (const prefix of VOICE_PREFIXES[l]) {
    const v = voices.find((x) => x.lang.toLowerCase().replace("_", "-").startsWith(prefix));
    if (v) return v;
  }
  return null;
}

export function speak(text: string): void {
  if (muted.value) return;
  const voice = voiceFor(lang.value);
  if (voice === null) return;
  const u = new SpeechSynthesisUtterance(text.replace(/\*/g, ""));
  u.voice = voice;
  u.lang = voice.lang;
  u.rate = 0.9;
  speechSynthesis.cancel();
  speechSynthesis.speak(u);
}

export function hush(): void {
  if (typeof speechSynthesis !== "undefined") speechSynthesis.cancel();
}
