/**
 * Asks for e-mail delivery once a change that wrote notifications has committed. `notify()`
 * marks that something is waiting; the notifications feature's after-commit hook then kicks the
 * delivery job, which the job runner registers here. Without a runner (tests, CLI) nothing is
 * kicked and the per-minute delivery job (or a direct call) sends the mail.
 */

let waiting = false;
let kicker: (() => void) | undefined;

/** Called by `notify()` inside the transaction: mail may be waiting after it commits. */
export function markMailWaiting(): void {
  waiting = true;
}

/** Registers (or, with undefined, removes) what starts the delivery job. */
export function setDeliveryKicker(kick: (() => void) | undefined): void {
  kicker = kick;
}

/** After a commit: starts delivery when a notification was written since the last kick. */
export function kickIfWaiting(): void {
  if (!waiting) return;
  waiting = false;
  kicker?.();
}
