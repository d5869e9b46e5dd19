/** Pieces of the chain, walked in a worker thread for `verifyLedgerFile`. */
import { Database } from "bun:sqlite";
import { walkPieces, type VerifyJob } from "./verify-file.ts";

declare const self: Worker;

self.onmessage = (event: MessageEvent<VerifyJob>) => {
  const { path, ...job } = event.data;
  const db = new Database(path, { readonly: true });
  try {
    self.postMessage(walkPieces(db, job));
  } finally {
    db.close();
  }
};
