// A form's unsaved state, kept in this tab's sessionStorage so that nothing typed is lost when
// the session expires (sign in again, come back, it is still there), on a reload, or when the
// network drops. Keyed by the person and the village, so one clerk never sees another's draft.

export function loadDraft<T>(key: string): T | null {
  try {
    const raw = sessionStorage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

export function saveDraft(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or unavailable: the form still works, it just is not kept.
  }
}
