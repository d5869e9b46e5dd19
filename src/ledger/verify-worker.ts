/** One range of the chain, walked in a worker thread for `verifyLedgerFile`. */
import { Database } from "bun:sqlite";
import { verifySeqRange } from "./verify.ts";

declare const self: Worker;

self.onmessage = (event: MessageEvent<{ path: string; fromSeq: number; toSeq: number }>) => {
  const { path, fromSeq, toSeq } = event.data;
  const db = new Database(path, { readonly: true });
  try {
    self.postMessage(verifySeqRange(db, fromSeq, toSeq));
  } finally {
    db.close();
  }
};
