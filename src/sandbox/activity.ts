// The demo helpdesk's life: every so often a ticket arrives, an agent takes one, one is closed.
// Each step changes the stand-in's helpdesk, which pushes the matching ticket event to the bot
// (it subscribed at start-up), so watches post, posted cards change and boards move on their own.
// Choices come from a seeded generator: the same seed plays the same story.
// A ticket a minute is far denser than a real helpdesk's history (and than the seed's 300 in six
// weeks), and would grow the stand-in without end: older closed tickets it brought are retired.
import type { Logger } from '../obs/log.js';
import { arrivingTicket, closingOutcome, createRng, DEMO_AGENTS, seedConversations, type Rng } from './seed.js';
import { TAGS } from './seed/words.js';
import { applyChange, type RawTicketUser, type StandIn } from '@helpdesk-bot/feishu-standin';
import { HELPDESK_BOT } from './seed/people.js';
import { messageOf } from '../obs/errors.js';

/** A ticket to bring, as the control API asks for it; anything not given is picked at random. */
export interface Arrival {
  status?: number;
  /** Tag names. */
  tags?: string[];
  agent?: RawTicketUser | null;
}

export interface ActivityOptions {
  standin: StandIn;
  /** Time between steps; 0: none (only "new ticket now"). */
  intervalMs: number;
  seed?: number;
  helpdeskId?: string;
  timezone?: string;
  log: Logger;
  /** Which of its closed tickets it keeps; RETIRE by default. */
  retire?: Retirement;
  /** How many of its tickets stay open before it closes one; OPEN_FLOOR by default. */
  openFloor?: number;
}

/**
 * A queue is never empty: the seed's open tickets age past "today" while the sandbox runs, so the
 * activity keeps a few of its own open (arrived in the last few minutes) for `open today` to find.
 */
export const OPEN_FLOOR = 6;

/** Of the closed tickets the activity brought: all the latest `recent`, then one in `oneIn` for `forMs`. */
export interface Retirement {
  recent: number;
  oneIn: number;
  forMs: number;
}

/**
 * At the default pace (a ticket closed a minute): the last three hours in full, then one ticket in
 * three hours, about the seed's own density, for the six weeks the seed spans. At most 516 kept.
 */
export const RETIRE: Retirement = { recent: 180, oneIn: 180, forMs: 42 * 86_400_000 };

/** The story repeats: a ticket arrives, the one before is taken, an older one is closed (once more than OPEN_FLOOR are open). */
const STEPS = ['arrive', 'take', 'close'] as const;

export class DemoActivity {
  private readonly rng: Rng;
  /** Open tickets this activity brought, oldest first, with where they are in their life. */
  private readonly mine: { id: string; stage: 'waiting' | 'taken' }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private step = 0;
  /** Closed tickets it brought: the latest, and the older ones it keeps (with when they were kept). */
  private readonly closed: string[] = [];
  private readonly kept: { id: string; at: number }[] = [];
  private closedCount = 0;

  constructor(private readonly options: ActivityOptions) {
    this.rng = createRng(options.seed ?? 20261126);
  }

  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.next().catch((error: unknown) => this.options.log.warn('sandbox.activity_failed', { error: messageOf(error) })), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A new ticket now ("new ticket now" in the console). Resolves with its id. */
  async arrive(over: Arrival = {}): Promise<string> {
    const vip = this.rng.chance(0.5);
    const tags = [...(vip ? [TAGS[1]!] : []), ...(this.rng.chance(0.5) ? [this.rng.pick(TAGS.filter((t) => t.name !== 'VIP'))] : [])];
    const now = Date.now();
    const arrived = arrivingTicket(now, this.rng, {
      status: this.rng.chance(0.6) ? 1 : 3,
      tags,
      ...(this.options.helpdeskId ? { helpdeskId: this.options.helpdeskId } : {}),
      ...(this.options.timezone ? { timezone: this.options.timezone } : {}),
    });
    // What was asked for wins over the random picks, as if the ticket had been changed at once.
    const given = over.status !== undefined || over.tags !== undefined || over.agent !== undefined;
    const ticket = given ? { ...applyChange(arrived, over, now, TAGS, HELPDESK_BOT), updated_at: now } : arrived;
    await this.options.standin.createTicket(ticket, seedConversations([ticket])[ticket.ticket_id]);
    if ((ticket.status ?? 1) < 50) this.mine.push({ id: ticket.ticket_id, stage: ticket.agents?.length ? 'taken' : 'waiting' });
    this.options.log.info('sandbox.activity', { step: 'arrive', ticket_id: ticket.ticket_id, status: ticket.status });
    return ticket.ticket_id;
  }

  /** One step of the story. */
  async next(): Promise<void> {
    const step = STEPS[this.step++ % STEPS.length]!;
    if (step === 'arrive') return void (await this.arrive());
    if (step === 'close' && this.mine.length <= (this.options.openFloor ?? OPEN_FLOOR)) return void (await this.arrive());
    const from = step === 'take' ? 'waiting' : 'taken';
    const ticket = this.mine.find((t) => t.stage === from);
    if (!ticket) return void (await this.arrive());
    if (step === 'take') {
      await this.options.standin.changeTicket(ticket.id, { status: 2, agent: this.rng.pick(DEMO_AGENTS) });
      ticket.stage = 'taken';
    } else {
      // Solved or not, and scored, as the seed's history is: the examples about scores and
      // unsolved tickets in the last 7 days keep finding tickets in a sandbox left running.
      const { solve, score } = closingOutcome(this.rng, 51);
      await this.options.standin.changeTicket(ticket.id, { status: 51, solve, ...(score !== undefined ? { score } : {}) });
      this.mine.splice(this.mine.indexOf(ticket), 1);
      this.retireAfterClosing(ticket.id);
    }
    this.options.log.info('sandbox.activity', { step, ticket_id: ticket.id });
  }

  private retireAfterClosing(id: string): void {
    const { recent, oneIn, forMs } = this.options.retire ?? RETIRE;
    const now = Date.now();
    this.closed.push(id);
    if (this.closed.length > recent) {
      const older = this.closed.shift()!;
      const index = this.closedCount - recent;
      if (index % oneIn === 0) this.kept.push({ id: older, at: now });
      else this.options.standin.removeTicket(older);
    }
    this.closedCount += 1;
    while (this.kept.length > 0 && now - this.kept[0]!.at >= forMs) this.options.standin.removeTicket(this.kept.shift()!.id);
  }
}
