/** The only source of "now" in the bot (epoch ms), injected so tests can fix the time. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
