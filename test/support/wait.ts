// Waiting on conditions, never on fixed sleeps: polls until `check` gives something truthy.
export async function until<T>(what: string, check: () => T | Promise<T>, timeoutMs = 15_000): Promise<Exclude<T, undefined | null | false | 0 | ''>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, undefined | null | false | 0 | ''>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
