// The embedded default's records (watches, live cards, boards): in this process's memory, written
// to one JSON file after every change and read back at start, so they survive a restart. The file
// is replaced atomically (a temporary file in the same directory, then a rename): a crash mid-write
// leaves the previous version, never half a file. Changes resolve at once and are written a moment
// later: those made while a write is under way (or in the WRITE_GAP_MS after it) go out together in
// the next one, so a busy bot writes the file a few times a second at most, however many changes
// it makes. What must not be lost waits for sync(), which resolves once all so far is on disk, and
// rejects (NotKept, saying why) when it cannot be written. A file that cannot be written is said
// once in the log, shown by health() (so /healthz answers 503) and tried again every few seconds,
// until it can be; the records meanwhile live on in memory.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../resilience/clock.js';
import type { Logger } from '../obs/log.js';
import { MAX_SET_MEMBERS, NotKept, type Health, type RecordChecks, type Records } from './types.js';

/** What the file holds. Times are epoch ms; 0 means "never expires". */
interface FileShape {
  version: 1;
  values: Record<string, { v: unknown; e: number }>;
  sets: Record<string, Record<string, number>>;
}

export interface FileRecordsOptions {
  /** Where to keep them; undefined: in memory only (lost on restart). */
  file?: string;
  /** How to name the setting in messages to the operator. */
  setting: string;
  clock: Clock;
  log: Logger;
  /** Values and set members kept in all; past it, those that expire soonest go first. */
  maxItems?: number;
  /**
   * What a value must look like, by key prefix ("watch:"): a value read from the file that is not
   * is dropped, and named in a warning, so one bad record cannot break the others.
   */
  checks?: RecordChecks;
}

const NEVER = 0;
const DEFAULT_MAX_ITEMS = 200_000;
/** The least time between the start of one write and the next: the whole file is rewritten each time. */
const WRITE_GAP_MS = 250;
/** While the file cannot be written, it is tried again this often. */
const RETRY_MS = 5000;

export class FileRecords implements Records {
  private values = new Map<string, { v: unknown; e: number }>();
  private sets = new Map<string, Map<string, number>>();
  /** Changes made so far; of them, those the latest write carried, and those on disk. */
  private changes = 0;
  private tried = 0;
  private saved = 0;
  /** The write under way, and the one that will carry the changes made meanwhile. */
  private writing: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  /** Why the file cannot be written, while it cannot. */
  private failure: string | undefined;
  private retry: NodeJS.Timeout | undefined;
  private readonly maxItems: number;

  constructor(private readonly options: FileRecordsOptions) {
    this.maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
  }

  /**
   * Reads the file if there is one; one that cannot be read, or is not the bot's, stops start-up,
   * naming the setting. Records that fail their check are dropped with a warning. Then writes the
   * file (as read, less what expired), so a file that cannot be written is known at once.
   */
  async load(): Promise<void> {
    const { file, setting } = this.options;
    if (!file) return;
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Nothing there to read (the first start, or a path that cannot hold a file at all).
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new Error(`${setting}: cannot read ${file} (${(error as Error).message}); fix its permissions or set another path`);
    }
    if (text !== undefined) this.restore(text);
    await this.changed();
  }

  /** Takes in what the file holds: live, and passing its check. */
  private restore(text: string): void {
    const { file, setting } = this.options;
    const parsed = readShape(text);
    if (!parsed) {
      throw new Error(`${setting}: ${file} is not a state file written by this bot; restore it from a backup, or move it away to start with no watches`);
    }
    const now = this.options.clock();
    for (const [key, entry] of Object.entries(parsed.values)) {
      if (expired(entry.e, now)) continue;
      const problem = this.check(key, entry.v);
      if (problem === undefined) this.values.set(key, entry);
      else this.options.log.warn('state.record_dropped', { key, problem, file, consequence: 'this record is left out; the others are used as usual' });
    }
    for (const [key, members] of Object.entries(parsed.sets)) {
      const live = new Map(Object.entries(members).filter(([, e]) => !expired(e, now)));
      if (live.size) this.sets.set(key, live);
    }
  }

  private check(key: string, value: unknown): string | undefined {
    for (const [prefix, check] of Object.entries(this.options.checks ?? {})) if (key.startsWith(prefix)) return check(value);
    return undefined;
  }

  /** Not while the file cannot be written: what is changed then would not survive a restart. */
  health(): Health {
    return this.failure === undefined ? { ok: true } : { ok: false, reason: this.failure };
  }

  /** Stops trying a file that could not be written (at shutdown, after the last sync). */
  close(): void {
    clearTimeout(this.retry);
  }

  async get<V>(key: string): Promise<V | undefined> {
    return this.value(key) as V | undefined;
  }

  async getMany<V>(keys: readonly string[]): Promise<(V | undefined)[]> {
    return keys.map((key) => this.value(key) as V | undefined);
  }

  async put<V>(key: string, value: V, ttlMs?: number): Promise<void> {
    // A copy, as a store would keep: later changes to the caller's object do not leak in.
    this.values.set(key, { v: structuredClone(value), e: this.expiry(ttlMs) });
    this.bound();
    this.changed();
  }

  async delete(key: string): Promise<void> {
    if (this.values.delete(key)) this.changed();
  }

  async add(set: string, members: readonly string[], ttlMs?: number): Promise<string[]> {
    const now = this.options.clock();
    const live = this.liveSet(set, now) ?? new Map<string, number>();
    const added: string[] = [];
    for (const member of members) {
      if (live.has(member)) continue;
      live.set(member, this.expiry(ttlMs));
      added.push(member);
    }
    if (added.length === 0) return [];
    this.sets.set(set, live);
    trimSet(live, MAX_SET_MEMBERS);
    this.bound();
    this.changed();
    return added;
  }

  async members(set: string): Promise<string[]> {
    return inOrder(this.liveSet(set, this.options.clock()));
  }

  async remove(set: string, members: readonly string[]): Promise<void> {
    const live = this.sets.get(set);
    if (!live) return;
    let removed = false;
    for (const member of members) removed = live.delete(member) || removed;
    if (live.size === 0) this.sets.delete(set);
    if (removed) this.changed();
  }

  async take(set: string): Promise<string[]> {
    const members = inOrder(this.liveSet(set, this.options.clock()));
    if (this.sets.delete(set)) this.changed();
    return members;
  }

  /** Waits for every change so far to be on disk; rejects (NotKept) when they cannot be written. */
  async sync(): Promise<void> {
    if (!this.options.file) return;
    const target = this.changes;
    while (this.saved < target) {
      // A write carried them and failed: there is no knowing when the file can be written again.
      if (this.tried >= target && this.failure !== undefined) throw new NotKept(this.failure);
      await (this.next ?? this.writing ?? this.schedule());
    }
  }

  /** How many values and set members are kept (for tests of the bound). */
  get size(): number {
    let n = this.values.size;
    for (const s of this.sets.values()) n += s.size;
    return n;
  }

  private value(key: string): unknown {
    const entry = this.values.get(key);
    if (!entry) return undefined;
    if (expired(entry.e, this.options.clock())) {
      this.values.delete(key);
      return undefined;
    }
    return structuredClone(entry.v);
  }

  private liveSet(set: string, now: number): Map<string, number> | undefined {
    const live = this.sets.get(set);
    if (!live) return undefined;
    for (const [member, e] of live) if (expired(e, now)) live.delete(member);
    if (live.size === 0) this.sets.delete(set);
    return live.size ? live : undefined;
  }

  private expiry(ttlMs: number | undefined): number {
    return ttlMs === undefined ? NEVER : this.options.clock() + Math.max(1, ttlMs);
  }

  /** Over the bound: drop what is expired, then what expires soonest, until a tenth is free. */
  private bound(): void {
    if (this.size <= this.maxItems) return;
    const now = this.options.clock();
    const items: { e: number; drop: () => void }[] = [];
    for (const [key, entry] of this.values) items.push({ e: entry.e, drop: () => this.values.delete(key) });
    for (const [key, live] of this.sets) {
      for (const [member, e] of live) items.push({ e, drop: () => (live.delete(member), live.size === 0 && this.sets.delete(key)) });
    }
    // Things that never expire (the watches themselves) go last.
    items.sort((a, b) => rank(a.e, now) - rank(b.e, now));
    const target = Math.floor(this.maxItems * 0.9);
    for (let i = 0, n = items.length; i < items.length && n > target; i++, n--) items[i]!.drop();
    this.options.log.warn('state.records_trimmed', { kept: this.size, max: this.maxItems });
  }

  /** Schedules a write carrying the changes so far; resolves once it was tried (at once with no file). */
  private changed(): Promise<void> {
    if (!this.options.file) return Promise.resolve();
    this.changes++;
    return this.schedule();
  }

  private schedule(): Promise<void> {
    if (!this.writing) {
      this.writing = this.write().finally(() => {
        this.writing = undefined;
      });
      return this.writing;
    }
    // A write is under way with older contents: what changed since goes in the one after it.
    this.next ??= this.writing.then(() => {
      this.next = undefined;
      return this.schedule();
    });
    return this.next;
  }

  private lastWrite = 0;

  private async write(): Promise<void> {
    const file = this.options.file!;
    const wait = this.lastWrite + WRITE_GAP_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastWrite = Date.now();
    const carries = this.changes;
    this.tried = carries;
    const shape: FileShape = {
      version: 1,
      values: Object.fromEntries(this.values),
      sets: Object.fromEntries([...this.sets].map(([key, live]) => [key, Object.fromEntries(live)])),
    };
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      // Made again if it went (or first made): a directory that cannot be made is a file that cannot be written.
      await mkdir(dirname(file), { recursive: true });
      await writeFile(temp, JSON.stringify(shape), { mode: 0o600 });
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      this.failed(file, error as NodeJS.ErrnoException);
      return;
    }
    this.saved = Math.max(this.saved, carries);
    if (this.failure !== undefined) {
      this.failure = undefined;
      this.options.log.warn('state.file_writable_again', { file, message: 'the state file is written again; what changed meanwhile is in it' });
    }
  }

  /** The records stay in memory and are tried again shortly; the operator hears why, once. */
  private failed(file: string, error: NodeJS.ErrnoException): void {
    const first = this.failure === undefined;
    this.failure = `the state file ${file} cannot be written (${error.code ?? error.message})`;
    if (first) {
      this.options.log.error('state.file_write_failed', {
        file,
        error: error.message,
        consequence: 'watches cannot be started or stopped and /healthz answers 503 until it can be written; the bot tries again every few seconds',
        fix: `make ${dirname(file)} writable by the bot, or set ${this.options.setting} to a writable path`,
      });
    }
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      if (this.saved < this.changes) void this.schedule();
    }, RETRY_MS);
    this.retry.unref();
  }
}

const expired = (e: number, now: number) => e !== NEVER && e <= now;
const rank = (e: number, now: number) => (e === NEVER ? Number.MAX_SAFE_INTEGER : e <= now ? -1 : e);

/**
 * A set's members as Redis keeps a sorted set scored by expiry: soonest to expire first, those that
 * never do last, and members with the same expiry in the byte order of their UTF-8.
 */
function sorted(live: Map<string, number>): [string, number][] {
  const score = (e: number) => (e === NEVER ? Number.MAX_SAFE_INTEGER : e);
  return [...live].sort((a, b) => score(a[1]) - score(b[1]) || byteOrder(a[0], b[0]));
}

/**
 * Compares as the UTF-8 bytes would (code point order). UTF-16 units order the same, except that
 * surrogates (U+D800-DFFF, the halves of code points above U+FFFF) must come after U+E000-FFFF.
 */
function byteOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixUp(x) - fixUp(y);
  }
  return a.length - b.length;
}

const fixUp = (unit: number) => (unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit);

const inOrder = (live: Map<string, number> | undefined): string[] => (live ? sorted(live).map(([member]) => member) : []);

/** Keeps at most `max` members, dropping the first in order: those that expire soonest. */
function trimSet(live: Map<string, number>, max: number): void {
  if (live.size <= max) return;
  for (const [member] of sorted(live).slice(0, live.size - max)) live.delete(member);
}

function readShape(text: string): FileShape | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const v = value as Partial<FileShape> | null;
  if (!v || typeof v !== 'object' || v.version !== 1 || !isMap(v.values) || !isMap(v.sets)) return undefined;
  for (const entry of Object.values(v.values)) if (!isMap(entry) || typeof (entry as { e?: unknown }).e !== 'number') return undefined;
  for (const members of Object.values(v.sets)) {
    if (!isMap(members) || Object.values(members).some((e) => typeof e !== 'number')) return undefined;
  }
  return v as FileShape;
}

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
