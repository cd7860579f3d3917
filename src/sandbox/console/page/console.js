// @ts-check
// The sandbox console: a chat with the bot. Messages, clicks and menu taps go to the sandbox API,
// which sends them to the bot as real Feishu deliveries (or frames over its long connection); the
// conversation is polled back from the stand-in platform, cards included, and re-rendered in place
// when the bot updates them.
import { knownPeople, renderCard } from './card.js';
import { releaseCharts } from './card-chart.js';

const POLL_MS = 700;
const TOAST_MS = 4000;
const API = '/sandbox/api';

/** @typedef {'zh_cn' | 'en_us'} Locale */
/** @typedef {'dm' | 'group'} ChatName */
/**
 * The page's words in one language.
 * @typedef {Record<'title' | 'dm' | 'group' | 'dmShort' | 'groupShort' | 'placeholder' | 'send' | 'mention' | 'examples' | 'menu' | 'activity' | 'newTicket' | 'empty' | 'updated' | 'language' | 'chat' | 'conversation' | 'message' | 'failed', string>
 *   & { note: (you: string, bot: string, longConnection: boolean) => string, arrived: (ticketId: string) => string }} Strings
 */
/**
 * What the sandbox API's /info answers (src/sandbox/console/api.ts).
 * @typedef {object} Info
 * @property {{ name: string, openId: string }} you
 * @property {{ name: string }} bot
 * @property {{ name: string, openId: string }[]} people
 * @property {Record<Locale, string[]>} examples
 * @property {{ key: string, command: string }[]} menu
 * @property {string} connection
 * @property {boolean} [activity]
 */
/**
 * A message of a chat, as /chats/:chat/messages answers: typed in the console, or sent by the bot.
 * @typedef {{ from: 'user', id: string, at: number, updatedAt: number, sender: string, text: string, updates?: undefined, card?: undefined }
 *   | { from: 'bot', id: string, at: number, updatedAt: number, updates: number, card?: unknown, text?: string }} ChatItem
 */
/** @typedef {{ type: string, content?: string, i18n?: Record<string, string> }} ToastData */
/** @typedef {{ data: ToastData, node: HTMLElement, show: () => void }} ToastEntry */

/** @type {Record<Locale, Strings>} */
const STRINGS = {
  zh_cn: {
    title: '服务台机器人 · 沙盒控制台',
    dm: '私聊',
    group: '群聊',
    dmShort: '私聊',
    groupShort: '群聊',
    note: (you, bot, longConnection) =>
      longConnection
        ? `你是演示服务台的客服 ${you}。消息会像飞书那样通过机器人的长连接推送给它，机器人通过模拟的飞书开放平台回复。群聊中的消息会自动 @${bot}。`
        : `你是演示服务台的客服 ${you}。消息会以真实的飞书事件（加密、签名）推送给机器人，机器人通过模拟的飞书开放平台回复。群聊中的消息会自动 @${bot}。`,
    placeholder: '输入命令，例如 /help',
    send: '发送',
    mention: '提及某人',
    examples: '试试：',
    menu: '机器人菜单：',
    activity: '演示服务台：',
    newTicket: '来一个新工单',
    arrived: (id) => `新工单 ${id} 已进入服务台`,
    empty: '还没有消息。试试 /help。',
    updated: '已更新',
    language: '语言',
    chat: '会话',
    conversation: '对话',
    message: '消息',
    failed: '发送失败',
  },
  en_us: {
    title: 'Helpdesk bot · sandbox console',
    dm: 'Direct message',
    group: 'Group chat',
    dmShort: 'DM',
    groupShort: 'Group',
    note: (you, bot, longConnection) =>
      longConnection
        ? `You are ${you}, an agent of the demo helpdesk. Your messages reach the bot over its long connection, as Feishu pushes them, and it replies through the stand-in Feishu platform. In the group chat, messages mention @${bot}.`
        : `You are ${you}, an agent of the demo helpdesk. Your messages reach the bot as real Feishu deliveries (encrypted and signed), and it replies through the stand-in Feishu platform. In the group chat, messages mention @${bot}.`,
    placeholder: 'Type a command, e.g. /help',
    send: 'Send',
    mention: 'Mention someone',
    examples: 'Try:',
    menu: 'Bot menu:',
    activity: 'Demo helpdesk:',
    newTicket: 'New ticket now',
    arrived: (id) => `Ticket ${id} arrived in the helpdesk`,
    empty: 'No messages yet. Try /help.',
    updated: 'updated',
    language: 'Language',
    chat: 'Chat',
    conversation: 'Conversation',
    message: 'Message',
    failed: 'Could not send',
  },
};

const params = new URLSearchParams(location.search);
/**
 * @type {{
 *   locale: Locale,
 *   chat: ChatName,
 *   info: Info,
 *   history: { sent: string[], at: number, draft: string },
 *   scrollTo: string | undefined,
 *   chats: Record<ChatName, { cursor: number, items: Map<string, ChatItem>, nodes: Map<string, HTMLElement> }>,
 *   toasts: ToastEntry[],
 * }}
 */
const state = {
  locale: pickLocale(),
  chat: params.get('chat') === 'group' ? 'group' : 'dm',
  info: { you: { name: '', openId: '' }, bot: { name: 'Helpdesk Bot' }, people: [], examples: { en_us: [], zh_cn: [] }, menu: [], connection: 'webhook' },
  /** Commands sent, oldest first, for ↑ and ↓; `at` is the one shown (history.length: the draft). */
  history: { sent: [], at: 0, draft: '' },
  /** The message just sent, to scroll to once it is shown. */
  scrollTo: undefined,
  chats: { dm: { cursor: 0, items: new Map(), nodes: new Map() }, group: { cursor: 0, items: new Map(), nodes: new Map() } },
  toasts: [],
};
/**
 * An element of the page by its id (index.html has every one this script asks for).
 * @param {string} id
 * @returns {HTMLElement}
 */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @returns {Locale} */
function pickLocale() {
  const asked = params.get('lang') ?? localStorage.getItem('console.lang');
  if (asked === 'zh_cn' || asked === 'en_us') return asked;
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh_cn' : 'en_us';
}

/**
 * @template {keyof Strings} K
 * @param {K} key
 * @returns {Strings[K]}
 */
const t = (key) => STRINGS[state.locale][key];

// ---- talking to the sandbox API ----

/**
 * @param {string} path
 * @param {unknown} [body] sent as a POST; none: a GET
 * @returns {Promise<any>} the answer's JSON
 */
async function api(path, body) {
  const res = await fetch(API + path, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  /** @type {{ error?: unknown }} */
  let data = {};
  try {
    data = await res.json();
  } catch {
    /* not JSON */
  }
  if (!res.ok) throw new Error(typeof data.error === 'string' ? data.error : `HTTP ${res.status}`);
  return data;
}

/** The poll under way, if any: a second call while one runs waits for it instead of starting another. */
/** @type {Promise<void> | undefined} */
let polling;
function poll() {
  polling ??= pollOnce().finally(() => {
    polling = undefined;
  });
  return polling;
}

async function pollOnce() {
  const name = state.chat;
  const chat = state.chats[name];
  try {
    /** @type {{ cursor: number, messages: ChatItem[] }} */
    const data = await api(`/chats/${name}/messages?after=${chat.cursor}`);
    chat.cursor = data.cursor;
    let changed = false;
    for (const item of data.messages) {
      const known = chat.items.get(item.id);
      if (known && known.updatedAt === item.updatedAt && known.updates === item.updates) continue;
      chat.items.set(item.id, item);
      forget(chat, item.id);
      changed = true;
    }
    if (changed && name === state.chat) renderLog();
  } catch (error) {
    console.warn('poll failed', error);
  }
}

/**
 * Sends a message. When the sandbox refuses it, `refused` runs first (the text goes back in the
 * box), then the toast says why: by the time the reason shows, the text is there to mend.
 * @param {string} text
 * @param {() => void} [refused]
 */
async function send(text, refused) {
  try {
    /** @type {{ id: string }} */
    const answer = await api('/messages', { chat: state.chat, text });
    state.scrollTo = answer.id;
  } catch (error) {
    refused?.();
    toast({ type: 'error', content: `${t('failed')}: ${/** @type {Error} */ (error).message}` });
  }
  await poll();
}

/**
 * Taps an item of the bot's menu: the answer comes to the direct message.
 * @param {string} key
 * @param {HTMLButtonElement} button
 */
async function tapMenu(key, button) {
  button.disabled = true;
  try {
    await api('/menu', { key });
  } catch (error) {
    toast({ type: 'error', content: /** @type {Error} */ (error).message });
  } finally {
    button.disabled = false;
  }
  await poll();
}

/** @param {HTMLButtonElement} button */
async function newTicket(button) {
  button.disabled = true;
  try {
    /** @type {{ ticketId: string }} */
    const answer = await api('/new-ticket', {});
    // Both languages, so the toast follows a switch of language while it shows.
    toast({ type: 'success', content: STRINGS.en_us.arrived(answer.ticketId), i18n: { zh_cn: STRINGS.zh_cn.arrived(answer.ticketId), en_us: STRINGS.en_us.arrived(answer.ticketId) } });
  } catch (error) {
    toast({ type: 'error', content: /** @type {Error} */ (error).message });
  } finally {
    button.disabled = false;
  }
}

/**
 * A click, a form submitted or a select changed on a card: the sandbox sends the platform's callback.
 * @param {string} messageId
 * @param {import('./card-dom.js').CardAction} action
 * @param {HTMLElement & { disabled?: boolean }} control
 */
async function act(messageId, action, control) {
  control.disabled = true;
  control.setAttribute('aria-busy', 'true');
  try {
    /** @type {{ updated: boolean, toast?: ToastData }} */
    const answer = await api('/actions', { messageId, ...action });
    if (answer.toast) toast(answer.toast);
  } catch (error) {
    toast({ type: 'error', content: /** @type {Error} */ (error).message });
  } finally {
    control.disabled = false;
    control.removeAttribute('aria-busy');
  }
  await poll();
}

// ---- rendering ----

/**
 * Drops a message's rendered node (its card changed, or the language did), releasing its charts.
 * @param {{ nodes: Map<string, HTMLElement> }} chat
 * @param {string} id
 */
function forget(chat, id) {
  const node = chat.nodes.get(id);
  if (node) releaseCharts(node);
  chat.nodes.delete(id);
}

function renderLog() {
  const log = $('log');
  const chat = state.chats[state.chat];
  const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  const items = [...chat.items.values()].sort((a, b) => a.at - b.at || (a.from === b.from ? 0 : a.from === 'user' ? -1 : 1));
  if (items.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = t('empty');
    log.replaceChildren(empty);
    return;
  }
  const nodes = items.map((item) => {
    let node = chat.nodes.get(item.id);
    if (!node) {
      node = renderMessage(item);
      chat.nodes.set(item.id, node);
    }
    return node;
  });
  log.replaceChildren(...nodes);
  // Sending always scrolls to your message; otherwise follow the conversation only if at its end.
  const mine = state.scrollTo && chat.nodes.get(state.scrollTo);
  if (mine) {
    mine.scrollIntoView({ block: 'start' });
    state.scrollTo = undefined;
  } else if (nearBottom) {
    log.scrollTop = log.scrollHeight;
  }
}

/** @param {ChatItem} item */
function renderMessage(item) {
  const article = document.createElement('article');
  article.className = `msg msg-${item.from}`;
  article.dataset.id = item.id;
  const who = item.from === 'user' ? item.sender : state.info.bot.name;
  article.setAttribute('aria-label', who);
  const meta = document.createElement('div');
  meta.className = 'msg-meta';
  const time = new Date(item.at).toLocaleTimeString(state.locale === 'zh_cn' ? 'zh-CN' : 'en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  meta.textContent = `${who} · ${time}${item.from === 'bot' && item.updates > 0 ? ` · ${t('updated')}` : ''}`;
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  if (item.from === 'user') {
    bubble.append(userText(item.text));
  } else if (item.card !== undefined) {
    bubble.classList.add('bubble-card');
    bubble.append(renderCard(item.card, { locale: state.locale, onAction: (action, control) => act(item.id, action, control) }));
  } else {
    bubble.textContent = item.text ?? '';
  }
  article.append(meta, bubble);
  return article;
}

/**
 * The typed text, with mentions of known people highlighted (as text, never as markup).
 * @param {string} text
 */
function userText(text) {
  const fragment = document.createDocumentFragment();
  const names = [state.info.bot.name, ...state.info.people.map((p) => p.name)].sort((a, b) => b.length - a.length);
  if (state.chat === 'group' && !text.includes(`@${state.info.bot.name}`)) fragment.append(mention(state.info.bot.name), ' ');
  let rest = text;
  for (;;) {
    const at = rest.indexOf('@');
    if (at === -1) break;
    const name = names.find((n) => rest.startsWith(n, at + 1));
    if (!name) {
      fragment.append(rest.slice(0, at + 1));
      rest = rest.slice(at + 1);
      continue;
    }
    fragment.append(rest.slice(0, at), mention(name));
    rest = rest.slice(at + 1 + name.length);
  }
  fragment.append(rest);
  return fragment;
}

/** @param {string} name */
function mention(name) {
  const span = document.createElement('span');
  span.className = 'mention';
  span.textContent = `@${name}`;
  return span;
}

/** @param {ToastData} data */
function toast(data) {
  const node = document.createElement('div');
  node.className = `toast toast-${['info', 'success', 'warning', 'error'].includes(data.type) ? data.type : 'info'}`;
  const show = () => {
    node.textContent = (data.i18n && typeof data.i18n[state.locale] === 'string' ? data.i18n[state.locale] : data.content) ?? '';
  };
  /** @type {ToastEntry} */
  const entry = { data, node, show };
  show();
  $('toasts').append(node);
  state.toasts.push(entry);
  setTimeout(() => {
    node.remove();
    state.toasts = state.toasts.filter((e) => e !== entry);
  }, TOAST_MS);
}

/** Everything that depends on the language: the page's own words, every card, visible toasts. */
function applyLocale() {
  document.documentElement.lang = state.locale === 'zh_cn' ? 'zh-CN' : 'en';
  document.title = t('title');
  $('title').textContent = t('title');
  // A long and a short label; the page's CSS shows the short one on phones.
  /**
   * @param {string} long
   * @param {string} short
   */
  const label = (long, short) => {
    const a = document.createElement('span');
    a.className = 'label-long';
    a.textContent = long;
    const b = document.createElement('span');
    b.className = 'label-short';
    b.textContent = short;
    return [a, b];
  };
  $('chat-dm').replaceChildren(...label(t('dm'), t('dmShort')));
  $('chat-dm').setAttribute('aria-label', t('dm'));
  $('chat-group').replaceChildren(...label(t('group'), t('groupShort')));
  $('chat-group').setAttribute('aria-label', t('group'));
  $('chats').setAttribute('aria-label', t('chat'));
  $('languages').setAttribute('aria-label', t('language'));
  $('log').setAttribute('aria-label', t('conversation'));
  $('note').textContent = t('note')(state.info.you.name, state.info.bot.name, state.info.connection === 'long-connection');
  $('menu-label').textContent = t('menu');
  $('activity-label').textContent = t('activity');
  $('new-ticket').textContent = t('newTicket');
  /** @type {HTMLInputElement} */ ($('text')).placeholder = t('placeholder');
  $('text').setAttribute('aria-label', t('message'));
  $('send').textContent = t('send');
  $('mention').setAttribute('aria-label', t('mention'));
  $('mention').title = t('mention');
  $('examples-label').textContent = t('examples');
  renderExamples();
  for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-lang]'))) button.setAttribute('aria-pressed', String(button.dataset.lang === state.locale));
  for (const chat of Object.values(state.chats)) for (const id of [...chat.nodes.keys()]) forget(chat, id);
  for (const entry of state.toasts) entry.show();
  renderLog();
}

/** @param {ChatName} name */
function selectChat(name) {
  state.chat = name;
  for (const tab of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-chat]'))) tab.setAttribute('aria-selected', String(tab.dataset.chat === name));
  // The bot's menu is part of the direct message with it, as in Feishu.
  $('menu').hidden = name !== 'dm' || state.info.menu.length === 0;
  renderLog();
  void poll();
}

// ---- the composer ----

/** The "Try" chips, in the console's language. */
function renderExamples() {
  const input = /** @type {HTMLInputElement} */ ($('text'));
  const chips = (state.info.examples[state.locale] ?? []).map((example) => {
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.className = 'chip';
    chip.textContent = example;
    chip.addEventListener('click', () => {
      input.value = example;
      input.focus();
    });
    return chip;
  });
  $('examples').replaceChildren($('examples-label'), ...chips);
}

/** @param {string} text */
function remember(text) {
  const { sent } = state.history;
  if (sent[sent.length - 1] !== text) sent.push(text);
  if (sent.length > 100) sent.shift();
  state.history.at = sent.length;
  state.history.draft = '';
}

/**
 * ↑ and ↓ walk through the commands sent, as in a shell; past the newest comes back the draft.
 * @param {KeyboardEvent} event
 * @param {HTMLInputElement} input
 */
function recall(event, input) {
  if ((event.key !== 'ArrowUp' && event.key !== 'ArrowDown') || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const h = state.history;
  if (h.sent.length === 0) return;
  if (h.at === h.sent.length) h.draft = input.value;
  const at = Math.max(0, Math.min(h.sent.length, h.at + (event.key === 'ArrowUp' ? -1 : 1)));
  if (at === h.at) return;
  event.preventDefault();
  h.at = at;
  input.value = at === h.sent.length ? h.draft : h.sent[at];
  input.setSelectionRange(input.value.length, input.value.length);
}

/**
 * @param {HTMLInputElement} input
 * @param {string} text
 */
function insertAtCaret(input, text) {
  const start = input.selectionStart ?? input.value.length;
  const end = input.selectionEnd ?? start;
  const before = input.value.slice(0, start);
  const spaced = before === '' || before.endsWith(' ') ? text : ` ${text}`;
  input.value = before + spaced + input.value.slice(end);
  const caret = before.length + spaced.length;
  input.setSelectionRange(caret, caret);
  input.focus();
}

function setUpComposer() {
  const input = /** @type {HTMLInputElement} */ ($('text'));
  const picker = $('people');
  const toggle = $('mention');
  const close = () => {
    picker.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
  };
  for (const person of state.info.people) {
    const option = document.createElement('button');
    option.type = 'button';
    option.setAttribute('role', 'option');
    option.className = 'person';
    option.textContent = person.name;
    option.addEventListener('click', () => {
      insertAtCaret(input, `@${person.name} `);
      close();
    });
    picker.append(option);
  }
  toggle.addEventListener('click', () => {
    picker.hidden = !picker.hidden;
    toggle.setAttribute('aria-expanded', String(!picker.hidden));
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
  });
  input.addEventListener('keydown', (event) => recall(event, input));
  for (const item of state.info.menu) {
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.className = 'chip';
    // Feishu shows each item's name from the developer console; here, the command it runs.
    chip.textContent = item.command;
    chip.title = item.key;
    chip.addEventListener('click', () => void tapMenu(item.key, chip));
    $('menu').append(chip);
  }
  // The demo helpdesk: a ticket arrives now; its event reaches the bot like any other.
  $('activity').hidden = !state.info.activity;
  $('new-ticket').addEventListener('click', () => void newTicket(/** @type {HTMLButtonElement} */ ($('new-ticket'))));
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    remember(text);
    input.value = '';
    close();
    void send(text, () => {
      if (input.value === '') input.value = text;
    });
  });
  for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-lang]'))) {
    button.addEventListener('click', () => {
      state.locale = /** @type {Locale} */ (button.dataset.lang);
      localStorage.setItem('console.lang', state.locale);
      applyLocale();
    });
  }
  for (const tab of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-chat]'))) tab.addEventListener('click', () => selectChat(/** @type {ChatName} */ (tab.dataset.chat)));
}

async function start() {
  try {
    state.info = await api('/info');
    knownPeople([state.info.you, ...state.info.people]);
  } catch (error) {
    toast({ type: 'error', content: /** @type {Error} */ (error).message });
  }
  setUpComposer();
  applyLocale();
  selectChat(state.chat);
  setInterval(() => {
    if (!document.hidden) void poll();
  }, POLL_MS);
  document.addEventListener('visibilitychange', () => void poll());
  // Ready once the chat's history is on the page, so what happens next is new.
  await poll();
  document.body.dataset.ready = 'true';
}

void start();
