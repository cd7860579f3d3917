// A rate-limit slot is a promise about when a request reaches the platform, so it must be kept at
// the moment the request leaves, not only when its waiter wakes. Under a busy event loop the steps
// between the two (the SDK's token lookup, building the request) can take longer than the window's
// margin: measured at over 100 ms with two CPU-bound processes beside the bot, enough to put six
// of a chat's replies into one second. So the call runs with its slot's lateness test in
// AsyncLocalStorage, and the HTTP client checks it just before the request is sent (checkSlot);
// a request that would leave too late throws LateForSlot instead, before any byte is sent, and is
// given a new slot without counting as an attempt.
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How late a waiter may wake after its slot, and then how long after that its request may still
 * leave: at most 2 × 25 ms after the slot in all, well inside the window's 100 ms margin.
 */
export const LATE_MS = 25;

export class LateForSlot extends Error {
  constructor() {
    super('the request would have left too long after its rate-limit slot');
    this.name = 'LateForSlot';
  }
}

const slots = new AsyncLocalStorage<() => boolean>();

/** Runs `call` for a slot: `late()` says whether it is now too late to send. */
export function inSlot<T>(late: () => boolean, call: () => Promise<T>): Promise<T> {
  return slots.run(late, call);
}

/** Throws LateForSlot if the request about to be sent is too late for its slot. */
export function checkSlot(): void {
  if (slots.getStore()?.()) throw new LateForSlot();
}
