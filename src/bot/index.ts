// What the bot does with a message, a click, a menu tap, a chat event or a ticket event: work out
// the view, render it, send it, log one line. Watches, live cards and boards are in watch/.
import { helpCard } from '../cards/help.js';
import type { Json } from '../cards/kit.js';
import { problemCard } from '../cards/problem.js';
import { toastFor } from '../cards/toast.js';
import { welcomeCard } from '../cards/welcome.js';
import { checkAccess, checkChat, hiddenFields, type Verdict, type Who } from '../views/access.js';
import type { ButtonValues } from '../views/buttons.js';
import type { View } from '../views/view.js';
import type { Clock } from '../resilience/clock.js';
import { exampleDates, helpExamples } from '../commands/filters/index.js';
import { parseCommand } from '../commands/parse.js';
import { ticketsView } from '../views/tickets.js';
import { showView, type Audience, type Outcome } from '../views/show.js';
import { sendUuid, type Messenger } from '../feishu/messenger.js';
import type { CardAction, ChatEvent, ChatType, IncomingMessage, Mention } from '../jobs/types.js';
import { newStats, type CallOptions, type CallStats, type Helpdesk } from '../helpdesk/api.js';
import type { AccessConfig, Config, PrivacyConfig } from '../config/schema.js';
import type { Job } from '../jobs/job.js';
import type { Logger } from '../obs/log.js';
import type { Metrics } from '../obs/metrics.js';
import { StateUnavailable, type AddOptions } from '../state/types.js';
import { refreshBoards, showBoard } from '../watch/board.js';
import type { WatchContext } from '../watch/context.js';
import { forgetChat } from '../watch/forget.js';
import type { BoardCounts } from '../cards/board.js';
import { noteShown, refreshCards } from '../watch/liveCards.js';
import { onTicketEvent } from '../watch/onTicket.js';
import { postMatches } from '../watch/posts.js';
import type { WatchStore } from '../watch/store.js';
import { showWatches, startWatch, stopWatchById, stopWatchByNumber } from '../watch/watches.js';
import { messageOf } from '../obs/errors.js';

export interface BotDeps {
  helpdesk: Helpdesk;
  messenger: Messenger;
  values: ButtonValues;
  log: Logger;
  metrics: Metrics;
  clock: Clock;
  timezone: string;
  pageSize: number;
  /** How long a card callback may take before it answers with a toast and updates the card later. */
  callbackBudgetMs: number;
  /** Each command's (and click's) time budget: lookups and the reply finish within it. */
  commandBudgetMs: number;
  access: AccessConfig;
  privacy: PrivacyConfig;
  /** How long a reply may wait for its chat's turn under the message limits, from the command's start. */
  replyWaitMs: number;
  /**
   * Runs the part of a command that prepares its answer (parse, access, lookups) in one of the
   * bounded workers (server.work_concurrency). The reply then waits for its chat's turn outside
   * them, so one busy chat cannot hold them all.
   */
  worker<T>(task: () => Promise<T>): Promise<T>;
  /**
   * Runs the work of ticket events (matching, recounting, redrawing) in a small pool of its own,
   * so a burst of events (a bulk import) waits its turn there and never holds the workers that
   * answer people; the rate limits are shared, each taking its slot in turn.
   */
  eventWorker<T>(task: () => Promise<T>): Promise<T>;
  /** Queues follow-up work (a card update after a slow click, a coalesced post); false if it could not be taken. */
  enqueue(job: Job, options?: AddOptions): Promise<boolean>;
  /** Bot menu event keys -> the command a tap runs. */
  menu: Record<string, string>;
  /** Watches, live cards and boards. */
  store: WatchStore;
  watch: Config['watch'];
}

export interface Bot {
  /**
   * Does queued work to the end: answers a message, welcomes a chat, answers a menu tap, updates
   * or opens a card after a click, or acts on a ticket event (and on the posts, card updates and
   * recounts it schedules). Rejects when the shared state was unavailable, so the job
   * is run again (its reply's uuid keeps a second answer from showing).
   */
  run(job: Job): Promise<void>;
  /** `receivedAt`: when its delivery was accepted (epoch ms), for the latency; now if not given. */
  onMessage(message: IncomingMessage, receivedAt?: number): Promise<void>;
  onCardAction(action: CardAction): Promise<Json>;
}

/**
 * A menu tap names no chat, and a card's buttons are bound to the chat they are in: the answer is
 * sent with its buttons bound to this placeholder, then patched once the platform has said which
 * chat (the person's DM with the bot) it went to.
 */
const DM_NOT_YET_KNOWN = 'oc_dm_not_yet_known';

/** What a command or click showed, so the message can be kept current (a ticket card, a board). */
type Shown = Outcome & { shown?: View; counts?: BoardCounts };
type Answer = Shown & { command: string; filters?: unknown };

export function createBot(deps: BotDeps): Bot {
  const { log, clock } = deps;
  const audienceFor = (chatId: string, chatType: ChatType): Audience => ({ chatId, chatType, hide: hiddenFields(deps.privacy, chatType) });
  const watch: WatchContext = {
    store: deps.store,
    helpdesk: deps.helpdesk,
    messenger: deps.messenger,
    values: deps.values,
    log,
    clock,
    timezone: deps.timezone,
    pageSize: deps.pageSize,
    access: deps.access,
    privacy: deps.privacy,
    settings: deps.watch,
    commandBudgetMs: deps.commandBudgetMs,
    replyWaitMs: deps.replyWaitMs,
    enqueue: deps.enqueue,
    metrics: deps.metrics,
  };

  /** Any view, for the person asking where they are: list and ticket cards, the board, the watches. */
  async function show(view: View, audience: Audience, call: CallOptions, who: Who, hints = {}): Promise<Shown> {
    switch (view.kind) {
      case 'list':
      case 'ticket':
        return { ...(await showView(view, audience, call, deps, hints)), shown: view };
      case 'board':
        return { ...(await showBoard(audience, call, watch)), shown: view };
      case 'watches':
        return { ...(await showWatches(audience, watch)), shown: view };
      case 'unwatch':
        return { ...(await stopWatchById(view.watchId, who, audience, watch)), shown: view };
    }
  }

  /**
   * A ticket card or board just shown on this message (a new one, or one clicked) is kept current
   * from now on. Done after the answer is out and logged; if it cannot be remembered the card just
   * stays as it is, which is no reason to answer again.
   */
  const keepCurrent = (messageId: string, answer: Shown, audience: Audience, sentAt: number, clicked = false): Promise<void> =>
    answer.shown
      ? noteShown(watch, messageId, { view: answer.shown, ok: answer.outcome === 'ok', ...(answer.counts ? { counts: answer.counts } : {}) }, audience, sentAt, clicked).catch(
          (error: unknown) => log.warn('card.not_remembered', { message_id: messageId, error: messageOf(error) }),
        )
      : Promise.resolve();

  // One audit line per lookup, refused or not: who asked, where, what, and what came of it.
  const audit = (who: Who, what: Record<string, unknown>, outcome: string) =>
    log.info('audit', { user: who.userOpenId, chat_id: who.chatId, chat_type: who.chatType, ...what, outcome });

  /** Access check, then the command's card, for whoever asked wherever they are. */
  async function answerCommand(who: Who, text: string, mentions: Mention[], call: CallOptions): Promise<Answer> {
    const command = parseCommand(text);
    const verdict = checkAccess(deps.access, who);
    if (!verdict.ok) {
      return {
        card: refusedCard(verdict),
        outcome: `refused:${verdict.reason}`,
        ticketIds: command.kind === 'ticket' ? [command.id] : [],
        command: command.kind,
      };
    }
    const audience = audienceFor(who.chatId, who.chatType);
    const shown = (view: View, name: string, hints = {}) => show(view, audience, call, who, hints).then((o) => ({ ...o, command: name }));
    switch (command.kind) {
      case 'watch':
        if (command.args.trim() === '') return shown({ kind: 'watches' }, 'watch');
        return { ...(await startWatch(command.args, who, mentions, audience, call, watch)), command: 'watch' };
      case 'unwatch':
        return { ...(await stopWatchByNumber(command.args, who, audience, watch)), command: 'unwatch' };
      case 'board':
        return shown({ kind: 'board' }, 'board');
      case 'help':
        return { card: helpCard({ listExamples: helpExamples(clock(), deps.timezone), dates: exampleDates(clock(), deps.timezone) }), outcome: 'ok', ticketIds: [], command: 'help' };
      case 'problem':
        return { card: problemCard(command.problem), outcome: command.problem.kind, ticketIds: [], command: 'unknown' };
      case 'ticket':
        return shown({ kind: 'ticket', ticketId: command.id }, 'ticket', command.ignored !== undefined ? { ignored: command.ignored } : {});
      case 'tickets': {
        const result = ticketsView(command.args, { openId: who.userOpenId, mentions }, clock(), deps.timezone, deps.pageSize);
        if ('problem' in result) return { card: problemCard(result.problem), outcome: result.problem.kind, ticketIds: [], command: 'tickets' };
        const list = result.view.kind === 'list' ? result.view.list : undefined;
        return { ...(await shown(result.view, 'tickets')), ...(list ? { filters: { ...list.filter, ...list.times, page: list.page } } : {}) };
      }
    }
  }

  const refusedCard = (verdict: Verdict & { ok: false }) => problemCard({ kind: 'refused', reason: verdict.reason, contact: deps.access.contact });

  /**
   * One log line, one audit line and the metrics of a command, however it was asked. `arrived`:
   * when its delivery was accepted, for the latency metric (which counts the time in the queue).
   */
  const logCommand = (who: Who, answer: Answer, via: 'message' | 'menu', ref: Record<string, unknown>, reply: string, stats: CallStats, started: number, arrived = started) => {
    log.info('command', {
      command: answer.command,
      ...(answer.filters ? { filters: answer.filters } : {}),
      ticket_ids: answer.ticketIds,
      asker: who.userOpenId,
      chat_id: who.chatId,
      chat_type: who.chatType,
      ...ref,
      outcome: answer.outcome,
      ...(answer.degraded ? { degraded: answer.degraded } : {}),
      reply,
      upstream_calls: stats.upstreamCalls,
      cache_hits: stats.cacheHits,
      latency_ms: clock() - started,
    });
    audit(who, { via, command: answer.command, ...(answer.filters ? { filters: answer.filters } : {}), ticket_ids: answer.ticketIds }, answer.outcome);
    deps.metrics.command(answer.command, answer.outcome, reply === 'sent' ? 'sent' : 'failed', (clock() - arrived) / 1000);
  };

  /**
   * Why a send failed, for the log. Without the shared state there is no rate limit to keep to:
   * that rethrows, to run the job again later.
   */
  const why = (error: unknown): string => {
    if (error instanceof StateUnavailable) throw error;
    return messageOf(error);
  };

  /** Resolves with `ok` and what was sent, or with why it could not be sent, for the log. */
  const deliver = <T>(sending: Promise<T>, ok: string): Promise<{ delivered: string; sent?: T }> =>
    sending.then(
      (sent) => ({ delivered: ok, sent }),
      (error: unknown) => ({ delivered: why(error) }),
    );

  /** The welcome card where it is allowed, else the card saying why the bot cannot be used there. */
  async function welcome(event: ChatEvent & { kind: 'bot-added' | 'first-dm' }): Promise<void> {
    const chatType: ChatType = event.kind === 'bot-added' ? 'group' : 'p2p';
    // A group is welcomed by its rules for chats: whoever added the bot, others there may ask.
    const verdict = event.kind === 'bot-added' ? checkChat(deps.access, event.chatId, chatType) : checkAccess(deps.access, { userOpenId: event.userOpenId, chatId: event.chatId, chatType });
    const card = verdict.ok ? welcomeCard({ masking: deps.privacy.masking, maskedFields: deps.privacy.masked_fields }) : refusedCard(verdict);
    // Like a reply, it waits for the chat's turn outside the workers.
    const { delivered } = await deliver(deps.messenger.send({ chatId: event.chatId }, card, sendUuid(event.eventId), { chatId: event.chatId, deadline: clock() + deps.replyWaitMs }), 'sent');
    log.info('welcome', { reason: event.kind, chat_id: event.chatId, chat_type: chatType, outcome: verdict.ok ? 'ok' : `refused:${verdict.reason}`, delivered });
  }

  /**
   * A menu tap runs its configured command for the person who tapped, answered in their DM with
   * the bot. A card with buttons is sent, then patched with the buttons bound to that DM.
   */
  async function menu(event: ChatEvent & { kind: 'menu' }): Promise<void> {
    const stats = newStats();
    const text = Object.hasOwn(deps.menu, event.eventKey) ? deps.menu[event.eventKey] : undefined;
    const who: Who = { userOpenId: event.operatorOpenId, chatId: DM_NOT_YET_KNOWN, chatType: 'p2p' };
    // The budget starts when a worker takes the tap, not while it waits for one.
    let started = 0;
    let answer = await deps.worker(async (): Promise<Answer> => {
      started = clock();
      if (text !== undefined) return answerCommand(who, text, [], { stats, deadline: started + deps.commandBudgetMs });
      log.warn('menu.unknown_key', { key: event.eventKey, fix: 'add the key to menu in app.yaml, or change the menu item in the developer console' });
      return { card: problemCard({ kind: 'unknown-menu-item', key: event.eventKey }), outcome: 'unknown-menu-item', ticketIds: [], command: 'unknown' };
    });
    const replyBy = started + deps.replyWaitMs;
    const reply = await (async () => {
      const sent = await deps.messenger.send({ openId: event.operatorOpenId }, answer.card, sendUuid(event.eventId), { deadline: replyBy });
      who.chatId = sent.chatId;
      const bound = text !== undefined && answer.outcome === 'ok' && ['ticket', 'tickets', 'board', 'watch'].includes(answer.command);
      if (bound) {
        // Now that the chat is known (and its rules apply), the same answer with working buttons.
        answer = await deps.worker(() => answerCommand(who, text, [], { stats, deadline: started + deps.commandBudgetMs }));
        await deps.messenger.patch(sent.messageId, answer.card, { chatId: sent.chatId, deadline: replyBy });
        await keepCurrent(sent.messageId, answer, audienceFor(sent.chatId, 'p2p'), clock());
      }
      return 'sent';
    })().catch(why);
    logCommand(who, answer, 'menu', { menu_key: event.eventKey }, reply, stats, started);
  }

  /** Checks a click: a valid button, in the chat its card was sent to, by someone allowed to look. */
  function admitClick(action: CardAction): { ok: false; toast: Json } | ({ ok: true } & Click) {
    const decoded = deps.values.decode(action.value);
    if (!decoded.ok) {
      log.warn('click.refused', { reason: decoded.reason, operator: action.operatorOpenId, chat_id: action.chatId });
      deps.metrics.click('unknown', 'invalid-button');
      return { ok: false, toast: toastFor('invalid-button') };
    }
    const { view, fresh, chatId, chatType, issuedAt } = decoded.action;
    if (action.chatId !== chatId) {
      log.warn('click.refused', { reason: 'card moved to another chat', operator: action.operatorOpenId, chat_id: action.chatId });
      deps.metrics.click(view.kind, 'moved-card');
      return { ok: false, toast: toastFor('moved-card') };
    }
    // The same rules as a typed command, for the person clicking, in the chat the card is in.
    const who: Who = { userOpenId: action.operatorOpenId, chatId, chatType };
    const verdict = checkAccess(deps.access, who);
    if (!verdict.ok) {
      audit(who, { via: 'click', view: view.kind, ticket_ids: view.kind === 'ticket' ? [view.ticketId] : [] }, `refused:${verdict.reason}`);
      deps.metrics.click(view.kind, `refused:${verdict.reason}`);
      return { ok: false, toast: toastFor('refused', deps.access.contact) };
    }
    return { ok: true, view, fresh, newMessage: decoded.action.newMessage === true, chatId, chatType, who, issuedAt };
  }

  /** The click's log and audit lines, once its card is delivered (in the callback's answer or by update). */
  function logClick(action: CardAction, click: Click, outcome: Outcome, stats: CallStats, started: number, delivered: string) {
    const { view } = click;
    audit(click.who, { via: 'click', view: view.kind, ticket_ids: outcome.ticketIds }, outcome.outcome);
    log.info('click', {
      view: view.kind,
      ...(view.kind === 'list' ? { filters: { ...view.list.filter, ...view.list.times, page: view.list.page } } : view.kind === 'ticket' ? { ticket_ids: [view.ticketId] } : {}),
      ...(click.newMessage ? { new_message: true } : {}),
      fresh: click.fresh,
      operator: action.operatorOpenId,
      chat_id: click.chatId,
      chat_type: click.chatType,
      outcome: outcome.outcome,
      ...(outcome.degraded ? { degraded: outcome.degraded } : {}),
      delivered,
      upstream_calls: stats.upstreamCalls,
      cache_hits: stats.cacheHits,
      latency_ms: clock() - started,
    });
    deps.metrics.click(view.kind, outcome.outcome, (clock() - started) / 1000);
  }

  /** A click too slow for the callback: show the view again (its lookup is cached or under way) and update the card. */
  async function updateCard(action: CardAction): Promise<void> {
    const started = clock();
    const click = admitClick(action);
    if (!click.ok) return;
    const stats = newStats();
    const deadline = started + deps.commandBudgetMs;
    const audience = audienceFor(click.chatId, click.chatType);
    const outcome = await show(click.view, audience, { fresh: click.fresh, stats, deadline }, click.who);
    const { delivered } = action.updateToken
      ? await deliver(deps.messenger.updateByToken(action.updateToken, outcome.card, { chatId: click.chatId, deadline }), 'update')
      : { delivered: 'no update token in the callback' };
    logClick(action, click, outcome, stats, started, delivered);
    if (delivered === 'update' && action.messageId) await keepCurrent(action.messageId, outcome, audience, click.issuedAt * 1000, true);
  }

  /** A click that opens its view as a new message in the chat (a board's counts, a digest's rows). */
  async function openCard(action: CardAction): Promise<void> {
    const started = clock();
    const click = admitClick(action);
    if (!click.ok) return;
    const stats = newStats();
    const audience = audienceFor(click.chatId, click.chatType);
    const outcome = await deps.worker(() => show(click.view, audience, { fresh: click.fresh, stats, deadline: started + deps.commandBudgetMs }, click.who));
    const { delivered, sent } = await deliver(
      deps.messenger.send({ chatId: click.chatId }, outcome.card, sendUuid(`open:${action.eventId}`), { chatId: click.chatId, deadline: started + deps.replyWaitMs }),
      'new-message',
    );
    const remembering = sent ? keepCurrent(sent.messageId, outcome, audience, clock()) : undefined;
    logClick(action, click, outcome, stats, started, delivered);
    await remembering;
  }

  /** Ticket events and the work they schedule run in their own small pool. */
  const onEvent = (task: () => Promise<void>) => deps.eventWorker(task);

  const bot: Bot = {
    run(job) {
      switch (job.kind) {
        case 'message':
          return bot.onMessage(job.message, job.receivedAt);
        case 'card-update':
          return updateCard(job.action);
        case 'bot-added':
        case 'first-dm':
          return welcome(job);
        case 'menu':
          return menu(job);
        case 'chat-gone':
          return forgetChat(job.chatId, job.reason, { via: 'event', eventId: job.eventId }, watch);
        case 'card-open':
          return openCard(job.action);
        case 'ticket':
          return onEvent(() => onTicketEvent(job, watch));
        case 'watch-post':
          return postMatches(job.chatId, job.window, watch);
        case 'cards-refresh':
          return onEvent(() => refreshCards(job.ticketId, watch));
        case 'boards-refresh':
          return onEvent(() => refreshBoards(watch));
      }
    },

    async onMessage(message, receivedAt) {
      const arrived = receivedAt ?? clock();
      const stats = newStats();
      const who: Who = { userOpenId: message.senderOpenId, chatId: message.chatId, chatType: message.chatType };
      // The budget starts when a worker takes the command, not while it waits for one.
      let started = 0;
      const answer = await deps.worker(async () => {
        started = clock();
        return answerCommand(who, message.text, message.mentions, { stats, deadline: started + deps.commandBudgetMs });
      });
      // The lookup kept to the command's budget; the reply may wait longer for its chat's turn
      // (5 messages a second), and waits off the workers so one busy chat cannot stall the others.
      const { delivered: reply, sent } = await deliver(deps.messenger.reply(message.messageId, answer.card, { chatId: message.chatId, deadline: started + deps.replyWaitMs }), 'sent');
      // Remembered (in this process at once) before the log line, which does not wait for the disk.
      const remembering = sent ? keepCurrent(sent.messageId, answer, audienceFor(message.chatId, message.chatType), clock()) : undefined;
      logCommand(who, answer, 'message', { message_id: message.messageId }, reply, stats, started, arrived);
      await remembering;
    },

    async onCardAction(action) {
      const started = clock();
      const click = admitClick(action);
      if (!click.ok) return click.toast;
      if (click.newMessage) {
        // The card clicked stays as it is (a board everyone in the chat looks at): the view comes
        // as a new message, from queued work.
        const queued = await deps.enqueue({ kind: 'card-open', action }).catch(() => false);
        return toastFor(queued ? 'opening' : 'busy');
      }
      const stats = newStats();
      const deadline = started + deps.commandBudgetMs;
      const audience = audienceFor(click.chatId, click.chatType);
      const work = show(click.view, audience, { fresh: click.fresh, stats, deadline }, click.who);
      const inTime = await Promise.race([work, sleep(deps.callbackBudgetMs).then(() => undefined)]);
      if (inTime) {
        logClick(action, click, inTime, stats, started, 'response');
        // Remembered without holding up the answer: the platform waits for it.
        if (action.messageId) void keepCurrent(action.messageId, inTime, audience, click.issuedAt * 1000, true);
        return { card: { type: 'raw', data: inTime.card } };
      }
      // Too slow for the 3 s callback window: answer now, and update the card as queued work, so
      // the update survives this instance (the lookup under way fills the cache it will read).
      const queued = await deps.enqueue({ kind: 'card-update', action }).catch((error: unknown) => {
        log.warn('click.not_queued', { error: messageOf(error), chat_id: click.chatId });
        return false;
      });
      return toastFor(queued ? 'loading' : 'busy');
    },
  };
  return bot;
}

interface Click {
  view: View;
  fresh: boolean;
  /** Open the view as a new message rather than in place. */
  newMessage: boolean;
  chatId: string;
  chatType: ChatType;
  who: Who;
  /** Epoch seconds the button was made: the card was sent no later. */
  issuedAt: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
