// The demo helpdesk that sandbox mode runs on: a few hundred tickets in the get API's exact shape
// (ticket_v2, snake_case; times in ms, agent_service_duration in minutes, other durations in
// seconds), spread over the last six weeks relative to `now`, so "today" always has tickets.
// Pure and deterministic: the same now, options and seed give the same tickets.
import { DateTime } from 'luxon';
import { FIRST_TICKET_ID, HOSTILE_TICKET_ID } from './seed/ids.js';
import { DEMO_AGENTS, DEMO_GUESTS, HELPDESK_BOT, HOSTILE_GUEST } from './seed/people.js';
import { createRng, type Rng } from './seed/rng.js';
import { COMMENTS, DISSATISFACTION_REASONS, FIELDS, HOSTILE_COMMENT, TAGS } from './seed/words.js';
import type { RawCustomizedField, RawI18n, RawTicket, RawTicketTag, RawTicketUser } from '@helpdesk-bot/feishu-standin';

export { DEMO_AGENTS, DEMO_GUESTS, HOSTILE_GUEST } from './seed/people.js';
export { FIRST_TICKET_ID, HOSTILE_TICKET_ID } from './seed/ids.js';
export { seedConversations } from './seed/conversations.js';
export { createRng, type Rng } from './seed/rng.js';

export interface SeedOptions {
  /** How many tickets; default 300, at least 2 (the two fixed ones). */
  count?: number;
  /** Seed of the pseudo-random choices; default DEFAULT_SEED. */
  seed?: number;
  /** The zone whose "today" gets tickets; default Asia/Shanghai. */
  timezone?: string;
  helpdeskId?: string;
}

export const DEFAULT_SEED = 20240601;
export const DEFAULT_COUNT = 300;
export const ALL_STATUSES = [1, 2, 3, 4, 5, 50, 51, 52] as const;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SPAN_DAYS = 42;
/** Today's tickets: this share of the total, at least TODAY_MIN, and at least 4 in the last hour. */
const TODAY_SHARE = 0.09;
const TODAY_MIN = 12;
const LAST_HOUR_MIN = 4;
const UPDATED_TODAY_MIN = 3;
/** Each of the last RECENT_DAYS days (weekends too) has at least this many tickets, so a date example finds some. */
const RECENT_DAYS = 14;
const PER_RECENT_DAY_MIN = 3;

export const isClosed = (status: number): boolean => status >= 50;

// ---- what each ticket is ----

/** The choices that make a ticket; anything not given is picked at random. */
interface Spec {
  createdAt: number;
  status: number;
  /** The last activity falls today (for tickets created before today). */
  updatedToday?: boolean;
  id?: string;
  type?: number;
  guest?: RawTicketUser;
  agents?: RawTicketUser[];
  collaborators?: RawTicketUser[];
  channel?: number;
  tags?: RawTicketTag[];
  fields?: Partial<Record<keyof typeof FIELDS, string>>;
  comment?: string | null;
  solve?: number;
  score?: number | null;
  /** Epoch ms of the last activity (closing, for a closed ticket). */
  endAt?: number;
}

interface Context {
  now: number;
  startOfToday: number;
  helpdeskId: string;
  rng: Rng;
  ids: Set<string>;
  nextCommentId: number;
}

export function seedTickets(now: number, options: SeedOptions = {}): RawTicket[] {
  const count = Math.max(2, Math.floor(options.count ?? DEFAULT_COUNT));
  const zone = options.timezone ?? 'Asia/Shanghai';
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  const ctx: Context = {
    now,
    startOfToday: today.toMillis(),
    helpdeskId: options.helpdeskId ?? '6626871355780366330',
    rng: createRng(options.seed ?? DEFAULT_SEED),
    ids: new Set([FIRST_TICKET_ID, HOSTILE_TICKET_ID]),
    nextCommentId: 1000,
  };
  const { rng } = ctx;
  const sinceMidnight = now - ctx.startOfToday;

  const specs: Spec[] = [];
  const todayCount = Math.min(count - 2, Math.max(TODAY_MIN, Math.round(count * TODAY_SHARE)));
  for (let i = 0; i < todayCount; i++) {
    const createdAt = i < LAST_HOUR_MIN ? now - rng.int(0, Math.min(HOUR - 1, sinceMidnight)) : rng.int(ctx.startOfToday, now);
    specs.push({ createdAt, status: todayStatus(rng) });
  }
  while (specs.length < count - 2) {
    const createdAt = pastTime(rng, today, ctx.startOfToday);
    specs.push({ createdAt, status: pastStatus(rng, (now - createdAt) / DAY), updatedToday: rng.chance(0.12) });
  }
  coverEveryRecentDay(specs, today, rng);
  coverEveryStatus(specs);
  ensureUpdatedToday(specs, ctx.startOfToday);

  return [firstTicket(ctx), hostileTicket(ctx), ...specs.map((spec) => build(ctx, spec))];
}

function todayStatus(rng: Rng): number {
  return rng.weighted([
    [1, 15],
    [2, 30],
    [3, 10],
    [4, 5],
    [5, 12],
    [50, 8],
    [51, 12],
    [52, 8],
  ]);
}

function pastStatus(rng: Rng, ageDays: number): number {
  const openShare = ageDays < 2 ? 0.55 : ageDays < 7 ? 0.3 : ageDays < 14 ? 0.12 : 0.04;
  if (rng.chance(openShare)) {
    return rng.weighted([
      [1, 5],
      [2, 35],
      [3, 10],
      [4, 30],
      [5, 20],
    ]);
  }
  return rng.weighted([
    [50, 25],
    [51, 50],
    [52, 25],
  ]);
}

/** Working days and hours mostly, over the six weeks before today. */
function pastTime(rng: Rng, today: DateTime, startOfToday: number): number {
  let day = today.minus({ days: rng.int(1, SPAN_DAYS) });
  while (day.weekday >= 6 && rng.chance(0.7)) day = today.minus({ days: rng.int(1, SPAN_DAYS) });
  const hour = rng.chance(0.85) ? rng.int(9, 18) : rng.int(0, 23);
  return Math.min(day.toMillis() + hour * HOUR + rng.int(0, HOUR - 1), startOfToday - 1);
}

/** Weekends are quiet, but not empty: move some of the oldest tickets into recent days that have too few. */
function coverEveryRecentDay(specs: Spec[], today: DateTime, rng: Rng): void {
  const oldestFirst = [...specs].sort((a, b) => a.createdAt - b.createdAt);
  let donor = 0;
  for (let d = 1; d <= RECENT_DAYS; d++) {
    const start = today.minus({ days: d }).toMillis();
    const end = today.minus({ days: d - 1 }).toMillis();
    let have = specs.filter((s) => s.createdAt >= start && s.createdAt < end).length;
    while (have < PER_RECENT_DAY_MIN && donor < oldestFirst.length) {
      const spec = oldestFirst[donor++]!;
      if (spec.createdAt >= today.minus({ days: RECENT_DAYS }).toMillis()) break;
      spec.createdAt = start + rng.int(9, 18) * HOUR + rng.int(0, HOUR - 1);
      spec.status = pastStatus(rng, d);
      have++;
    }
  }
}

/** Small counts might miss a status: give each missing one to a ticket, oldest first. */
function coverEveryStatus(specs: Spec[]): void {
  const present = new Set(specs.map((s) => s.status));
  const missing = ALL_STATUSES.filter((s) => !present.has(s));
  const oldestFirst = [...specs].sort((a, b) => a.createdAt - b.createdAt);
  const used = new Set<Spec>();
  for (const status of missing) {
    const counts = new Map<number, number>();
    for (const s of specs) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    // Take it from a status that has more than one ticket, so no other status goes missing.
    const donor = oldestFirst.find((s) => !used.has(s) && (counts.get(s.status) ?? 0) > 1);
    if (!donor) return;
    donor.status = status;
    used.add(donor);
  }
}

/** Some tickets created before today have their last activity today (a reply, or closing). */
function ensureUpdatedToday(specs: Spec[], startOfToday: number): void {
  const older = specs.filter((s) => s.createdAt < startOfToday).sort((a, b) => b.createdAt - a.createdAt);
  const already = older.filter((s) => s.updatedToday && s.status !== 1).length;
  for (const spec of older.filter((s) => !s.updatedToday && s.status !== 1).slice(0, Math.max(0, UPDATED_TODAY_MIN - already))) {
    spec.updatedToday = true;
  }
}

/**
 * A ticket arriving now (the sandbox's activity): a guest has just written in, and no agent has
 * it yet (status 1, new, or 3, queued). Tags and guest come from `rng`.
 */
export function arrivingTicket(now: number, rng: Rng, options: { status: 1 | 3; helpdeskId?: string; tags?: readonly RawTicketTag[]; timezone?: string }): RawTicket {
  const startOfToday = DateTime.fromMillis(now, { zone: options.timezone ?? 'Asia/Shanghai' })
    .startOf('day')
    .toMillis();
  const ctx: Context = { now, startOfToday, helpdeskId: options.helpdeskId ?? '6626871355780366330', rng, ids: new Set(), nextCommentId: 5000 + rng.int(0, 100_000) };
  // A human ticket in the queue, or a new one with the helpdesk's bot: no agent either way.
  return build(ctx, { createdAt: now, endAt: now, status: options.status, type: options.status === 3 ? 2 : 1, agents: [], ...(options.tags ? { tags: [...options.tags] } : {}) });
}

function firstTicket(ctx: Context): RawTicket {
  const [wang, chen, emily] = [DEMO_AGENTS[1]!, DEMO_AGENTS[0]!, DEMO_AGENTS[2]!];
  return build(ctx, {
    id: FIRST_TICKET_ID,
    createdAt: ctx.now - 3 * HOUR,
    endAt: ctx.now - 30 * MINUTE,
    status: 51,
    type: 2,
    guest: DEMO_GUESTS[0]!,
    agents: [wang, chen],
    collaborators: [emily],
    channel: 2,
    tags: [TAGS[0]!, TAGS[1]!],
    fields: { priority: 'P2', system: 'Expense system', region: '华东' },
    comment: '用户反馈报销单 *无法提交*，已转交财务。\n请跟进 <b>附件</b>',
    solve: 2,
    score: 1,
  });
}

function hostileTicket(ctx: Context): RawTicket {
  const createdAt = ctx.now - Math.min(10 * MINUTE, ctx.now - ctx.startOfToday);
  return build(ctx, {
    id: HOSTILE_TICKET_ID,
    createdAt,
    endAt: createdAt + Math.floor((ctx.now - createdAt) / 2),
    status: 2,
    type: 2,
    guest: HOSTILE_GUEST,
    agents: [DEMO_AGENTS[0]!],
    collaborators: [],
    channel: 9,
    tags: [TAGS[6]!],
    fields: { priority: 'P1', system: 'Jira' },
    comment: HOSTILE_COMMENT,
  });
}

// ---- building one ticket ----

function ticketId(ctx: Context, createdAt: number): string {
  // Snowflake-like: creation time in the high bits, so ids look real and sort roughly by time.
  let id = (BigInt(createdAt) << 22n) | BigInt(ctx.rng.int(0, (1 << 22) - 1));
  while (ctx.ids.has(id.toString())) id += 1n;
  ctx.ids.add(id.toString());
  return id.toString();
}

function typeFor(rng: Rng, status: number): number {
  if (status === 50) return 1;
  if (status === 1) return rng.chance(0.7) ? 1 : 2;
  if (status === 52) return rng.chance(0.3) ? 1 : 2;
  return 2;
}

/** How long after creation the last activity comes, before it is fitted into the time left. */
function typicalSpan(rng: Rng, status: number): number {
  switch (status) {
    case 1:
      return rng.int(0, 10 * MINUTE);
    case 3:
      return rng.int(MINUTE, 30 * MINUTE);
    case 2:
      return rng.int(10 * MINUTE, 2 * DAY);
    case 4:
      return rng.int(DAY, 5 * DAY);
    case 5:
      return rng.int(HOUR, 3 * DAY);
    default:
      return rng.weighted([
        [rng.int(5 * MINUTE, 30 * MINUTE), 30],
        [rng.int(30 * MINUTE, 4 * HOUR), 35],
        [rng.int(4 * HOUR, 2 * DAY), 25],
        [rng.int(2 * DAY, 6 * DAY), 10],
      ]);
  }
}

/** A share of the time between two instants, never past the later one. */
const within = (from: number, to: number, wanted: number, maxShare: number): number => from + Math.max(0, Math.min(wanted, Math.floor((to - from) * maxShare)));

function build(ctx: Context, spec: Spec): RawTicket {
  const { rng, now } = ctx;
  const { createdAt, status } = spec;
  const closed = isClosed(status);
  const type = spec.type ?? typeFor(rng, status);
  const guest = spec.guest ?? rng.pick(DEMO_GUESTS);
  // Agents: a human ticket past the queue has one (sometimes two); queued and bot ones have none.
  const hasAgents = type === 2 && status !== 3;
  const agents = hasAgents ? (spec.agents ?? pickAgents(rng)) : [];

  // The last activity: today for tickets touched today, otherwise a typical span after creation,
  // always between creation and now.
  const endAt = spec.endAt ?? (spec.updatedToday && createdAt < ctx.startOfToday ? rng.int(ctx.startOfToday, now) : within(createdAt, now, typicalSpan(rng, status), 0.98));

  const ticket: RawTicket = {
    ticket_id: spec.id ?? ticketId(ctx, createdAt),
    helpdesk_id: ctx.helpdeskId,
    guest,
    ticket_type: type,
    status,
    created_at: createdAt,
    updated_at: status === 1 && type === 1 && rng.chance(0.5) ? -1 : endAt,
    channel:
      spec.channel ??
      rng.weighted([
        [9, 15],
        [2, 25],
        [14, 15],
        [13, 20],
        [0, 10],
        [1, 8],
        [6, 7],
      ]),
  };

  if (hasAgents) {
    // Bot stage, then the agent joins, first replies, and keeps replying until the end.
    const entry = within(createdAt, endAt, rng.int(20 * SECOND, 10 * MINUTE), 0.2);
    ticket.agents = agents;
    ticket.agent_owner = agents[0]!;
    ticket.agent_entry_time = entry;
    ticket.bot_service_duration = Math.round((entry - createdAt) / SECOND);
    if (status !== 1) {
      const first = within(entry, endAt, rng.int(30 * SECOND, 40 * MINUTE), 0.3);
      const last = closed ? endAt - (within(first, endAt, rng.int(MINUTE, 6 * HOUR), 0.3) - first) : endAt;
      ticket.agent_first_response_time = first;
      ticket.agent_last_response_time = last;
      ticket.agent_first_response_duration = Math.round((first - entry) / SECOND);
      ticket.agent_service_duration = Math.round(((last - entry) / MINUTE) * 100) / 100;
      if (closed) {
        const resolution = Math.round((endAt - entry) / SECOND);
        ticket.agent_resolution_time = resolution;
        ticket.actual_processing_time = rng.chance(0.7) ? resolution : Math.round(resolution * (0.5 + rng.next() * 0.4));
      }
      const comment = spec.comment === undefined ? (rng.chance(0.55) ? rng.pick(COMMENTS) : null) : spec.comment;
      if (comment !== null) {
        const author = rng.pick(agents);
        ticket.comments = {
          content: comment,
          created_at: rng.int(first, last),
          id: ctx.nextCommentId++,
          user_avatar_url: author.avatar_url,
          user_name: author.name,
          user_id: 7262656095919128 + DEMO_AGENTS.indexOf(author),
        };
      }
    }
    const collaborators = spec.collaborators ?? (rng.chance(0.15) ? [rng.pick(DEMO_AGENTS.filter((a) => !agents.includes(a)))] : []);
    if (collaborators.length > 0) ticket.collaborators = collaborators;
  } else if (status !== 1) {
    // Bot tickets, and queued ones waiting for an agent: the bot served until the end.
    ticket.bot_service_duration = Math.round((endAt - createdAt) / SECOND);
  }

  if (closed) {
    ticket.closed_at = endAt;
    ticket.closed_by = status === 50 ? HELPDESK_BOT : status === 52 ? guest : rng.pick(agents.length > 0 ? agents : DEMO_AGENTS);
    const outcome = closingOutcome(rng, status, spec);
    ticket.solve = outcome.solve;
    if (outcome.score !== undefined) ticket.score = outcome.score;
    if (outcome.reason !== undefined) ticket.dissatisfaction_reason = outcome.reason;
  }

  const tags = spec.tags ?? pickTags(rng);
  if (tags.length > 0) ticket.tags = tags;
  const fields = customFields(rng, type, spec.fields);
  if (fields.length > 0) ticket.customized_fields = fields;
  return ticket;
}

/**
 * How a closed ticket ended, drawn as the demo helpdesk's history has it: solved (2) more often than
 * not (less so when the bot closed it, status 50), a score from the guest on most tickets, lower
 * when unsolved, and a reason for most unhappy ones. What `given` fixes is kept.
 */
export function closingOutcome(rng: Rng, status: number, given: { solve?: number; score?: number | null } = {}): { solve: number; score?: number; reason?: RawI18n } {
  const solve = given.solve ?? (rng.chance(status === 50 ? 0.6 : 0.8) ? 2 : 1);
  const score =
    given.score === undefined
      ? rng.chance(0.7)
        ? rng.weighted(
            solve === 2
              ? ([
                  [3, 65],
                  [2, 25],
                  [1, 10],
                ] as const)
              : ([
                  [3, 10],
                  [2, 30],
                  [1, 60],
                ] as const),
          )
        : null
      : given.score;
  if (score === null) return { solve };
  const reason = score === 1 || (score === 2 && rng.chance(0.3)) ? rng.pick(DISSATISFACTION_REASONS) : undefined;
  return { solve, score, ...(reason !== undefined ? { reason } : {}) };
}

function pickAgents(rng: Rng): RawTicketUser[] {
  const first = rng.pick(DEMO_AGENTS);
  if (!rng.chance(0.2)) return [first];
  return [first, rng.pick(DEMO_AGENTS.filter((a) => a !== first))];
}

function pickTags(rng: Rng): RawTicketTag[] {
  const n = rng.weighted([
    [0, 35],
    [1, 40],
    [2, 20],
    [3, 5],
  ]);
  const chosen = new Set<RawTicketTag>();
  while (chosen.size < n) chosen.add(rng.pick(TAGS));
  return TAGS.filter((t) => chosen.has(t));
}

function customFields(rng: Rng, type: number, fixed: Spec['fields']): RawCustomizedField[] {
  const out: RawCustomizedField[] = [];
  for (const key of Object.keys(FIELDS) as (keyof typeof FIELDS)[]) {
    const def = FIELDS[key];
    let value = fixed ? fixed[key] : undefined;
    if (!fixed) {
      const share = key === 'priority' ? (type === 2 ? 1 : 0.3) : key === 'system' ? 0.7 : 0.6;
      if (rng.chance(share)) value = rng.pick(def.values);
    }
    if (value === undefined) continue;
    out.push({ id: def.id, value, key_name: def.key_name, display_name: def.display_name, position: def.position, required: def.required, editable: true });
  }
  return out;
}
