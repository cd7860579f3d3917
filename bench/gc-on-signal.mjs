// Loaded into the bot's process by the memory benchmark only (node --expose-gc --import …): on
// SIGUSR2, a full garbage collection, so the bench can read the memory the bot really holds
// apart from garbage V8 has not collected yet. Nothing like it runs in production.
process.on('SIGUSR2', () => globalThis.gc?.());
