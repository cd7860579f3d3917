// How much the stand-in remembers. The platform keeps messages for good and a test wants every
// request it made, but a sandbox left running for days must not grow: it passes caps, and each
// record keeps only its newest entries (messages: per chat, the least recently changed go first).
// Windows the platform itself has (the reply uuid's hour, a card update token's 30 minutes, a
// tenant token's two hours) are forgotten once over, with or without caps.

export interface Retention {
  /** Requests recorded (calls, callsTo). */
  calls: number;
  /** Messages per chat, the bot's and those delivered to it; the least recently sent or changed go first. */
  messagesPerChat: number;
  /** Helpdesk ticket events pushed, and the long connection's pushes, connections and events. */
  events: number;
}

/** Everything kept: what tests and `npm run standin` get unless they ask for less. */
export const KEEP_ALL: Retention = { calls: Infinity, messagesPerChat: Infinity, events: Infinity };

/** Appends `item` to `list`, then drops the oldest entries beyond `cap`. */
export function append<T>(list: T[], item: T, cap: number): void {
  list.push(item);
  if (list.length > cap) list.splice(0, list.length - cap);
}

/** Drops entries from the start of an insertion-ordered map while `over` says they are. */
export function dropWhile<K, V>(map: Map<K, V>, over: (value: V) => boolean): void {
  for (const [key, value] of map) {
    if (!over(value)) return;
    map.delete(key);
  }
}
