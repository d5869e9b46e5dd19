import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import QRCode from "qrcode";
import { del, get, post } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { Empty } from "../components/Empty.tsx";
import { TextField } from "../components/Field.tsx";
import { Icon } from "../components/Icon.tsx";
import { Loading } from "../components/Loading.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { SettingsNav } from "../components/SettingsNav.tsx";
import { lang, t } from "../i18n/index.ts";
import { formatTime } from "../logic/dates.ts";
import { useLoad } from "../logic/load.ts";
import { becauseText, problemDetail, problemText } from "../logic/problems.ts";
import { villageId } from "../state/session.ts";
import type { Kiosk } from "../types.ts";
import { FormButtons } from "../components/FormButtons.tsx";
import { ConfirmDialog } from "../components/ConfirmDialog.tsx";

const MINUTE_MS = 60_000;
const ONLINE_WITHIN_MS = 5 * MINUTE_MS;

/** "3 分钟前", "2 小时前", or the day and time. */
function seen(iso: string | null, nowMs: number): string {
  if (iso === null) return t("kiosks.never");
  const ago = nowMs - Date.parse(iso);
  if (ago < MINUTE_MS) return t("kiosks.justNow");
  if (ago < 60 * MINUTE_MS) return t("kiosks.minutesAgo", { n: Math.floor(ago / MINUTE_MS) });
  if (ago < 24 * 60 * MINUTE_MS)
    return t("kiosks.hoursAgo", { n: Math.floor(ago / (60 * MINUTE_MS)) });
  return formatTime(iso, lang.value);
}

/** The supermarket's kiosk devices: register one and pair it by its QR code, see when each was last seen, revoke. */
export default function KiosksPage() {
  const vid = villageId.value;
  const [kiosks, reload] = useLoad(
    () => (vid === null ? null : get<{ items: Kiosk[] }>(`/api/villages/${vid}/kiosks`)),
    [vid],
  );
  const adding = useSignal(false);
  const paired = useSignal<{ name: string; pairUrl: string } | null>(null);
  const revoking = useSignal<Kiosk | null>(null);
  const outcome = useSignal<{ tone: "ok" | "error"; text: string } | null>(null);
  if (vid === null) return <Loading />;
  const list = kiosks.value.state === "ok" ? kiosks.value.data.items : [];
  const now = Date.now();
  const revoke = async (k: Kiosk) => {
    const res = await del(`/api/kiosks/${k.id}`);
    outcome.value = res.ok
      ? { tone: "ok", text: t("kiosks.revoked", { name: k.name }) }
      : { tone: "error", text: problemText(res.error) };
    reload();
  };
  return (
    <section class="page kiosks">
      <PageHeader
        title={t("nav.settings")}
        lead={t("kiosks.lead")}
        actions={
          <button type="button" class="button primary" onClick={() => (adding.value = true)}>
            <Icon name="plus" />
            {t("kiosks.add")}
          </button>
        }
      />
      <SettingsNav />
      {outcome.value ? <Alert tone={outcome.value.tone}>{outcome.value.text}</Alert> : null}
      {kiosks.value.state === "loading" ? <Loading /> : null}
      {kiosks.value.state === "error" ? (
        <Alert tone="error">{problemText(kiosks.value.error)}</Alert>
      ) : null}
      {kiosks.value.state === "ok" && list.length === 0 ? (
        <Empty icon="goods" title={t("kiosks.none")}>
          {t("kiosks.noneBody")}
        </Empty>
      ) : null}
      {list.length > 0 ? (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t("kiosks.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("kiosks.name")}</th>
                <th scope="col">{t("kiosks.lastSeen")}</th>
                <th scope="col">{t("kiosks.since")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((k) => {
                const online =
                  !k.revoked &&
                  k.lastSeenAt !== null &&
                  now - Date.parse(k.lastSeenAt) < ONLINE_WITHIN_MS;
                return (
                  <tr key={k.id} class={k.revoked ? "muted-row" : undefined}>
                    <td>
                      <bdi>{k.name}</bdi>
                      {k.revoked ? (
                        <span class="tag muted">{t("kiosks.revokedTag")}</span>
                      ) : online ? (
                        <span class="tag ok">{t("kiosks.online")}</span>
                      ) : null}
                    </td>
                    <td>{seen(k.lastSeenAt, now)}</td>
                    <td>{formatTime(k.createdAt, lang.value)}</td>
                    <td class="row-actions">
                      {!k.revoked ? (
                        <button
                          type="button"
                          class="button small danger-outline"
                          onClick={() => (revoking.value = k)}
                          aria-label={t("kiosks.revokeOne", { name: k.name })}
                        >
                          {t("kiosks.revoke")}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <Dialog open={adding.value} title={t("kiosks.add")} onClose={() => (adding.value = false)}>
        {adding.value ? (
          <AddKiosk
            villageId={vid}
            onCancel={() => (adding.value = false)}
            onDone={(name, pairUrl) => {
              adding.value = false;
              paired.value = { name, pairUrl };
              reload();
            }}
          />
        ) : null}
      </Dialog>
      <Dialog
        open={paired.value !== null}
        title={t("kiosks.pairTitle", { name: paired.value?.name ?? "" })}
        onClose={() => (paired.value = null)}
        wide
      >
        {paired.value ? (
          <PairingCode url={paired.value.pairUrl} onClose={() => (paired.value = null)} />
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={revoking.value !== null}
        title={t("kiosks.revokeTitle")}
        confirm={t("kiosks.revoke")}
        onClose={() => (revoking.value = null)}
        onConfirm={() => {
          const k = revoking.value;
          if (k) void revoke(k);
        }}
      >
        {t("kiosks.revokeBody", { name: revoking.value?.name ?? "" })}
      </ConfirmDialog>
    </section>
  );
}

function AddKiosk({
  villageId: vid,
  onDone,
  onCancel,
}: {
  villageId: string;
  onDone: (name: string, pairUrl: string) => void;
  onCancel: () => void;
}) {
  const name = useSignal("");
  const error = useSignal<string | null>(null);
  const failure = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (name.value.trim() === "" || name.value.trim().length > 60) {
      error.value = t("kiosks.errName");
      return;
    }
    busy.value = true;
    const res = await post<{ id: string; token: string; pairUrl: string }>(
      `/api/villages/${vid}/kiosks`,
      { name: name.value.trim() },
    );
    busy.value = false;
    if (res.ok) onDone(name.value.trim(), res.data.pairUrl);
    else
      failure.value =
        becauseText(res.error) ?? `${problemText(res.error)} ${problemDetail(res.error)}`;
  };
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <TextField
        id="kiosk-name"
        label={t("kiosks.name")}
        error={error.value}
        hint={t("kiosks.nameHint")}
        maxLength={60}
        value={name.value}
        onValue={(v) => (name.value = v)}
      />
      {failure.value ? <Alert tone="error">{failure.value}</Alert> : null}
      <FormButtons busy={busy.value} submit={t("kiosks.create")} onCancel={onCancel} />
    </form>
  );
}

/** The pairing QR, large enough to be read by the tablet's camera across a counter, and its address. */
function PairingCode({ url, onClose }: { url: string; onClose: () => void }) {
  const svg = useSignal<string | null>(null);
  useEffect(() => {
    void QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 4 }).then(
      (s) => (svg.value = s),
    );
  }, [url]);
  return (
    <div class="stack pairing">
      <Alert tone="warn">{t("kiosks.onceOnly")}</Alert>
      <ol class="steps">
        <li>{t("kiosks.step1")}</li>
        <li>{t("kiosks.step2")}</li>
        <li>{t("kiosks.step3")}</li>
      </ol>
      <div
        class="qr-box"
        role="img"
        aria-label={t("kiosks.qrAlt")}
        dangerouslySetInnerHTML={svg.value ? { __html: svg.value } : undefined}
      />
      <p class="pair-url">
        <span class="hint">{t("kiosks.orOpen")}</span>
        <code class="mono">{url}</code>
      </p>
      <div class="button-row">
        <button type="button" class="button primary" onClick={onClose}>
          {t("kiosks.done")}
        </button>
      </div>
    </div>
  );
}
