/**
 * Apply progress: each operation as it completes, ✓/✗ with the item and a counter. On a terminal a
 * status line ("Applying 3/7…") is redrawn below the finished lines; elsewhere, plain lines only.
 */

import { kindLabel } from "../../shared/kinds/registry.js";
import type { OperationOutcome } from "../../shared/sync/apply.js";
import type { Terminal } from "./terminal.js";

function outcomeLine(term: Terminal, outcome: OperationOutcome, finished: number, total: number): string {
  const what = `${outcome.operation.action} ${kindLabel(outcome.operation)} ${outcome.operation.key}`;
  const counter = `[${String(finished).padStart(String(total).length)}/${total}]`;
  if (outcome.status === "done") return `  ${term.paint("green", term.glyph("ok"))} ${counter} ${what}`;
  return `  ${term.paint("red", term.glyph("fail"))} ${counter} ${what}: ${outcome.status}: ${outcome.error ?? ""}`;
}

export interface Progress {
  onOutcome: (outcome: OperationOutcome, finished: number, total: number) => void;
  /** Clears the status line (terminal only). */
  end: () => void;
}

export function applyProgress(
  term: Terminal,
  io: { out: (text: string) => void; write?: (text: string) => void },
): Progress {
  const redraw = term.tty && io.write !== undefined;
  let statusShown = false;
  const clear = () => {
    if (redraw && statusShown) io.write?.("\r\x1b[K");
    statusShown = false;
  };
  return {
    onOutcome: (outcome, finished, total) => {
      clear();
      io.out(outcomeLine(term, outcome, finished, total));
      if (redraw && finished < total) {
        io.write?.(term.paint("dim", `Applying ${finished}/${total}${term.unicode ? "…" : "..."}`));
        statusShown = true;
      }
    },
    end: clear,
  };
}
