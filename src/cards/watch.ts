// Cards of watched queries: the confirmation of /watch, a chat's watches (each with Unwatch), a
// ticket posted because it matched (compact, with Open), and a digest of many posted at once.
// `label` is always the watch's query in words, plain text (see describe.ts).
import type { Ticket } from '../helpdesk/types.js';
import { formatClock, formatWhen, ticketCount } from './format.js';
import { button, card, clip, columns, esc, footerRow, grey, header, hr, joinL, l, mapL, markdown, plain, same, type Element, type Json, type L10n } from './kit.js';
import { ROW_LEVELS, ticketRow } from './list.js';
import { cardHeader, changedAsOf, compactFacts, type MaskedField } from './ticket.js';

const quoted = (s: string) => `“${esc(clip(s, 80))}”`;

export interface WatchCreatedData {
  label: L10n;
  /** Its number in the chat's list (for /unwatch). */
  number: number;
  /** Tickets matching right now, which are not posted; undefined when they could not be counted. */
  matchingNow?: number;
  /** More tickets match now than the bot noted: those may be posted when they next change. */
  capped?: number;
  /** More matches than this within a few seconds come as one digest card. */
  digestAfter: number;
  actions: { matching?: Json; watches: Json };
}

export function watchCreatedCard(d: WatchCreatedData): Json {
  const what = l(
    `有新的符合条件的工单时（包括后来变得符合条件的工单），我会发到这里，每个工单只发一次。同时超过 ${d.digestAfter} 个时合并成一张汇总卡片。`,
    `New tickets that match, and tickets that come to match later, are posted here, each once. More than ${d.digestAfter} at once come as one digest card.`,
  );
  const now =
    d.matchingNow === undefined
      ? undefined
      : d.matchingNow === 0
        ? l('现在没有符合条件的工单。', 'No tickets match right now.')
        : mapL(ticketCount(d.matchingNow), (s, loc) => (loc === 'zh_cn' ? `现在已有 ${s}符合条件，它们不会被发出来。` : `${s} match right now; those are not posted.`));
  const capped =
    d.capped !== undefined
      ? l(
          `（只记下了其中最新的 ${d.capped.toLocaleString('en-US')} 个；其余的工单下次变更时可能会被发出。）`,
          `(The bot noted the first ${d.capped.toLocaleString('en-US')} of them; the others may be posted when they next change.)`,
        )
      : undefined;
  const stop = l(`发送 \`/unwatch ${d.number}\` 取消关注，\`/watch\` 查看本会话的全部关注。`, `Send \`/unwatch ${d.number}\` to stop, \`/watch\` for every watch here.`);
  const body = joinL([what, ...(now ? [now] : []), ...(capped ? [capped] : []), grey(stop)], '\n');
  const buttons = [
    ...(d.actions.matching && d.matchingNow ? [button({ text: l('查看现在符合的工单', 'Show those matching now'), value: d.actions.matching })] : []),
    button({ text: l('全部关注', 'All watches'), value: d.actions.watches }),
  ];
  return card(header({ title: mapL(d.label, (s, loc) => (loc === 'zh_cn' ? `已关注：${clip(plain(s), 80)}` : `Watching: ${clip(plain(s), 80)}`)), color: 'green' }), [
    markdown(body),
    ...footerRow(buttons, grey(l(`第 ${d.number} 个关注`, `Watch ${d.number}`))),
  ]);
}

export interface WatchListData {
  /** `number`: as announced, for /unwatch (numbers of removed watches are not reused). */
  watches: { number: number; label: L10n; since: number; unwatch?: Json }[];
  /** How many one chat may have. */
  max: number;
  timezone: string;
  now: number;
  /** Said first (e.g. which watch was just removed). */
  note?: L10n;
  refresh: Json;
}

export function watchListCard(d: WatchListData): Json {
  const rows: Element[] = d.watches.map((w) =>
    columns([
      {
        elements: [
          markdown(joinL([mapL(w.label, (s) => `**${w.number}.** ${esc(clip(s, 120))}`), grey(l(`自 ${formatWhen(w.since, d.now, d.timezone)} 起`, `since ${formatWhen(w.since, d.now, d.timezone)}`))], ' ')),
        ],
        weight: 5,
      },
      ...(w.unwatch ? [{ elements: [button({ text: l('取消关注', 'Unwatch'), value: w.unwatch })], width: 'auto' as const, align: 'center' as const }] : []),
    ]),
  );
  const empty = l(
    '这里还没有关注。发送 `/watch` 加上 `/tickets` 的筛选条件来关注，例如 `/watch 未关闭 标签 VIP`。',
    'No watches here yet. Send `/watch` with `/tickets` filters to start one, for example `/watch open tag VIP`.',
  );
  const how = l(`也可以发送 \`/unwatch 编号\` 取消。每个会话最多 ${d.max} 个关注。`, `\`/unwatch <number>\` removes one too. A chat has at most ${d.max} watches.`);
  const subtitle = d.watches.length === 0 ? l('没有关注', 'None') : l(`${d.watches.length} 个关注`, `${d.watches.length} ${d.watches.length === 1 ? 'watch' : 'watches'}`);
  return card(header({ title: l('本会话的关注', 'Watches in this chat'), subtitle, color: d.watches.length ? 'wathet' : 'grey' }), [
    ...(d.note ? [markdown(d.note)] : []),
    ...(d.watches.length ? rows.flatMap((r, i) => (i > 0 ? [hr(), r] : [r])) : [markdown(empty)]),
    ...footerRow([button({ text: l('刷新', 'Refresh'), value: d.refresh })], grey(how)),
  ]);
}

/** The watches a ticket matched, in words: "Open · tag VIP", or "1. Open · tag VIP; 2. Open". */
export function watchesLabel(watches: readonly { number: number; label: L10n }[]): L10n {
  if (watches.length === 1) return watches[0]!.label;
  return joinL(
    watches.map((w) => mapL(w.label, (s) => `${w.number}. ${s}`)),
    l('；', '; '),
  );
}

export interface WatchPostOptions {
  /** The watches it matched, in words (watchesLabel). */
  label: L10n;
  /** Why it was posted: a new ticket, or one that came to match. */
  change: 'created' | 'updated';
  /** What the customer asked (their first message); '' or absent: nothing is said. */
  question?: string;
  timezone: string;
  now: number;
  hide: readonly MaskedField[];
  actions: { open: Json };
}

/** A ticket the chat's watches matched: what was asked, its state in a few lines, and Open for the full card. */
export function watchPostCard(t: Ticket, o: WatchPostOptions): Json {
  const why = o.change === 'created' ? l('新工单', 'New ticket') : l('现在符合条件', 'Now matches');
  const subtitle = joinL([why, mapL(o.label, (s, loc) => (loc === 'zh_cn' ? `关注：${clip(plain(s), 80)}` : `watching ${clip(plain(s), 80)}`))], ' · ');
  const asked = o.question ? [same(`💬 ${esc(clip(o.question, 200))}`)] : [];
  return card(cardHeader(t, subtitle), [
    markdown(joinL([...asked, compactFacts(t, o)], '\n')),
    ...footerRow([button({ text: l('查看详情', 'Open'), kind: 'primary', value: o.actions.open })], changedAsOf(t, o.now, o.timezone)),
  ]);
}

export interface DigestData {
  /** The chat's watches the tickets matched, each with its number and the button that lists what matches it. */
  watches: { number: number; label: L10n; all: Json }[];
  /** The tickets posted, newest first; the card shows the first DIGEST_ROWS. */
  tickets: Ticket[];
  /** Each ticket's question, by id ('' none); absent where the conversation is hidden. */
  questions?: ReadonlyMap<string, string>;
  timezone: string;
  now: number;
  hideGuestName: boolean;
  actions: { open: (ticketId: string) => Json };
}

export const DIGEST_ROWS = 10;

/** Many matches at once in a chat: one card that counts them and lists the newest, whatever watches they matched. */
export function digestCard(d: DigestData): Json {
  const total = d.tickets.length;
  const shown = d.tickets.slice(0, DIGEST_ROWS);
  const more = total - shown.length;
  const label = watchesLabel(d.watches);
  const title = mapL(ticketCount(total), (s, loc) => (loc === 'zh_cn' ? `${s}符合关注条件` : `${s} match`));
  const subtitle = mapL(label, (s, loc) => (loc === 'zh_cn' ? `关注：${clip(plain(s), 80)}` : `watching ${clip(plain(s), 80)}`));
  const intro =
    d.watches.length === 1
      ? l(`这些工单刚刚新建或变得符合 ${quoted(label.zh_cn)}，一起发出以免刷屏。`, `These tickets were just created or came to match ${quoted(label.en_us)}; they come as one card so the chat is not flooded.`)
      : l(
          `这些工单刚刚新建或变得符合这个会话的关注（第 ${d.watches.map((w) => w.number).join('、')} 个），一起发出以免刷屏。`,
          `These tickets were just created or came to match this chat's watches ${d.watches.map((w) => w.number).join(', ')}; they come as one card so the chat is not flooded.`,
        );
  const rows = shown.flatMap((t) => [
    hr(),
    ticketRow(
      t,
      { now: d.now, timezone: d.timezone, open: d.actions.open(t.id), hideGuestName: d.hideGuestName, withClock: true, ...(d.questions ? { question: d.questions.get(t.id) ?? '' } : {}) },
      ROW_LEVELS[1]!,
    ),
  ]);
  const rest = more > 0 ? [markdown(grey(l(`还有 ${more} 个没有列出。`, `${more} more not listed here.`)))] : [];
  const all = d.watches.map((w) => button({ text: d.watches.length === 1 ? l('查看全部符合的工单', 'Show all matching') : l(`第 ${w.number} 个关注的全部工单`, `All of watch ${w.number}`), value: w.all }));
  return card(header({ title, subtitle, color: 'wathet' }), [markdown(intro), ...rows, ...rest, ...footerRow(all, grey(l(`更新于 ${formatClock(d.now, d.timezone)}`, `as of ${formatClock(d.now, d.timezone)}`)))]);
}
