// The console in a real browser (Debian's Chromium through playwright-core). Part one runs
// `npm start` with no credentials, as a person would, and uses the console: /tickets with its
// paging and ticket buttons, and the hostile guest name. Part two renders hand-written fixture
// cards (every element, hostile strings) in the chat of an in-process sandbox and clicks them.
// Screenshots of each step go to test/artifacts/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { welcomeCard } from '../../src/cards/welcome.js';
import { memoryLogger } from '../../src/obs/log.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/mode.js';
import { HOSTILE_TICKET_ID } from '../../src/sandbox/seed.js';
import { freePort, npmStart, REPO, type Started } from '../support/process.js';
import { systemProgram } from '../support/system.js';

// Without Chromium this whole file is skipped, and the run says so (test/support/globalSetup.ts).
const CHROMIUM = systemProgram('chromium');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ARTIFACTS = join(REPO, 'test/artifacts');
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const NEXT = /^(Next|下一页)$/;
const OPEN = /^(Open|查看)$/;
const BACK = /^(Back to list|返回列表)$/;
const BOT = 'Helpdesk Bot';

/** Code that runs in the page (the project's TypeScript has no DOM types). */
type PageGlobals = { __pwned?: unknown; getComputedStyle(node: unknown): { color: string; backgroundColor: string; fontWeight: string } };
const pwned = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned);
const styleOf = (locator: Locator) =>
  locator.evaluate((node) => {
    const style = (globalThis as unknown as PageGlobals).getComputedStyle(node);
    return { color: style.color, backgroundColor: style.backgroundColor, fontWeight: style.fontWeight };
  });

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/cards/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

let context: BrowserContext;
let userDataDir: string;

beforeAll(async () => {
  if (!CHROMIUM) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  userDataDir = mkdtempSync(join(tmpdir(), 'console-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 900, height: 1300 },
    locale: 'en-US',
  });
}, 30_000);

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  dialogs: string[];
  problems: string[];
}

/** A page that records every dialog (alert & co.), script error and CSP violation. */
async function openConsole(url: string): Promise<Watched> {
  const page = await context.newPage();
  const dialogs: string[] = [];
  const problems: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 10_000 });
  return { page, dialogs, problems };
}

const botMessages = (page: Page) => page.getByRole('article', { name: BOT });

async function say(page: Page, text: string): Promise<Locator> {
  const before = await botMessages(page).count();
  // The chat's own box: a form on a card has text boxes too.
  await page.locator('#text').fill(text);
  await page.locator('#text').press('Enter');
  await waitUntil(`a reply to ${text}`, async () => (await botMessages(page).count()) > before);
  return botMessages(page).last();
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });

describe.skipIf(!CHROMIUM)('npm start with no credentials, used in the browser', () => {
  let bot: Started;
  let consoleUrl: string;

  beforeAll(async () => {
    bot = npmStart({ PORT: String(await freePort()) });
    await bot.waitFor(/"event":"started"/);
    consoleUrl = String(bot.logs()[0]!['console']);
  }, 60_000);
  afterAll(() => bot?.stop());

  it('says so on its first log line, with the console URL', () => {
    const first = bot.logs()[0]!;
    expect(first['event']).toBe('sandbox');
    expect(consoleUrl).toMatch(/^http:\/\/localhost:\d+\/console$/);
    expect(String(first['message'])).toBe(`Sandbox console: ${consoleUrl}`);
    expect(String(bot.logs()[1]!['message'])).toContain('FEISHU_APP_ID');
  });

  it("lists today's open tickets, pages to the next page, opens a ticket and goes back", async () => {
    const { page, dialogs, problems } = await openConsole(`${consoleUrl}?lang=en_us`);
    const list = await say(page, '/tickets open today');
    await list
      .getByRole('button', { name: NEXT })
      .waitFor({ timeout: 10_000 })
      .catch(async (error: Error) => {
        await shot(page, 'console-1-tickets-list.png');
        throw new Error(`no Next button on the /tickets reply: ${error.message}\ncard text: ${await list.innerText()}`);
      });
    expect(await list.getByRole('button', { name: OPEN }).count()).toBeGreaterThan(0);
    expect(await list.innerText()).toMatch(/\d{19}/);
    await shot(page, 'console-1-tickets-list.png');

    const repliesBefore = await botMessages(page).count();
    const firstPage = await list.innerText();
    await list.getByRole('button', { name: NEXT }).click();
    const updated = botMessages(page).last();
    await waitUntil('the next page', async () => (await updated.innerText()) !== firstPage);
    // Updated in place: the same message, not a new one.
    expect(await botMessages(page).count()).toBe(repliesBefore);
    const secondPage = await updated.innerText();
    const idsOf = (text: string) => new Set(text.match(/\d{19}/g) ?? []);
    expect([...idsOf(secondPage)].some((id) => !idsOf(firstPage).has(id))).toBe(true);
    await shot(page, 'console-2-tickets-next-page.png');

    await updated.getByRole('button', { name: OPEN }).first().click();
    await updated.getByRole('button', { name: BACK }).waitFor({ timeout: 10_000 });
    const detail = await updated.innerText();
    expect([...idsOf(secondPage)].some((id) => detail.includes(id))).toBe(true);
    await shot(page, 'console-3-ticket-detail.png');

    await updated.getByRole('button', { name: BACK }).click();
    await updated.getByRole('button', { name: NEXT }).waitFor({ timeout: 10_000 });
    expect(await botMessages(page).count()).toBe(repliesBefore);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 45_000);

  it('shows the hostile guest name as literal text, and runs no script', async () => {
    const { page, dialogs, problems } = await openConsole(`${consoleUrl}?lang=zh_cn`);
    const card = await say(page, `/ticket ${HOSTILE_TICKET_ID}`);
    await card.getByText(HOSTILE_TICKET_ID).first().waitFor();
    await expect(card.getByText(HOSTILE_NAME).first().isVisible()).resolves.toBe(true);
    await expect(card.getByText('**bold**', { exact: false }).first().isVisible()).resolves.toBe(true);
    await expect(card.getByText('[link](javascript:alert(1))', { exact: false }).first().isVisible()).resolves.toBe(true);
    expect(await card.locator('img, script, iframe').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    await shot(page, 'console-4-hostile-ticket.png');
    expect(await pwned(page)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('in the group chat, mentions the bot and lets you pick a person to mention', async () => {
    const { page, problems } = await openConsole(`${consoleUrl}?lang=en_us`);
    await page.getByRole('tab', { name: 'Group chat' }).click();
    expect(await page.getByRole('tab', { name: 'Group chat' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('textbox').fill('/tickets agent');
    await page.getByRole('button', { name: 'Mention someone' }).click();
    await page.getByRole('option', { name: '王磊' }).click();
    expect(await page.getByRole('textbox').inputValue()).toBe('/tickets agent @王磊 ');
    const before = await botMessages(page).count();
    await page.getByRole('textbox').press('Enter');
    await waitUntil('a reply in the group', async () => (await botMessages(page).count()) > before);
    const mine = page.getByRole('article', { name: '陈静' }).last();
    expect(await mine.innerText()).toContain('@Helpdesk Bot /tickets agent @王磊');
    const reply = botMessages(page).last();
    await reply.getByText('王磊').first().waitFor();
    await shot(page, 'console-9-group-mention.png');
    // The direct-message conversation is a separate chat.
    await page.getByRole('tab', { name: 'Direct message' }).click();
    await waitUntil('the DM conversation', async () => !(await page.getByRole('article', { name: '陈静' }).last().innerText()).includes('@王磊'));
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('draws /stats as charts with VChart, filled in as its parts arrive, in both languages and at phone width', async () => {
    const { page, dialogs, problems } = await openConsole(`${consoleUrl}?lang=en_us`);
    await page.setViewportSize({ width: 900, height: 3000 });
    const card = await say(page, '/stats 7d');
    await waitUntil('the card to be complete', async () => (await card.innerText()).includes('· complete'), 30_000);
    await waitUntil('VChart to draw the charts', async () => (await card.locator('.chart[data-chart="drawn"]').count()) === 5, 20_000);
    expect(await card.locator('.chart canvas').count()).toBeGreaterThanOrEqual(5);
    const text = await card.innerText();
    expect(text).toContain('Tickets created and closed per day');
    expect(text).toContain('agent_first_response_duration');
    expect(await card.getByRole('img').first().getAttribute('aria-label')).toMatch(/^bar chart: bucket \d\d-\d\d, series 新建 \/ Created, count \d+/);
    await card.screenshot({ path: join(ARTIFACTS, 'console-40-stats-en.png') });
    await page.goto(`${consoleUrl}?lang=zh_cn`);
    await page.setViewportSize({ width: 390, height: 3000 });
    const zh = botMessages(page).last();
    await waitUntil('the charts drawn again', async () => (await zh.locator('.chart[data-chart="drawn"]').count()) === 5, 20_000);
    expect(await zh.innerText()).toContain('每天新建和关闭的工单');
    await zh.screenshot({ path: join(ARTIFACTS, 'console-41-stats-zh-phone.png') });
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('answers /tickets alone with a form whose submission lists the tickets and says the words for next time', async () => {
    const { page, dialogs, problems } = await openConsole(`${consoleUrl}?lang=en_us`);
    await page.setViewportSize({ width: 390, height: 1600 });
    const card = await say(page, '/tickets');
    await card.getByRole('button', { name: 'Show tickets' }).waitFor();
    const [statuses, tags] = [card.locator('details.multi').nth(0), card.locator('details.multi').nth(1)];
    await statuses.locator('summary').click();
    await card.getByRole('checkbox', { name: 'In progress' }).check();
    await card.getByRole('checkbox', { name: 'Waiting for customer' }).check();
    await statuses.locator('summary').click();
    await tags.locator('summary').click();
    await card.getByRole('checkbox', { name: 'VIP' }).check();
    await tags.locator('summary').click();
    await card.locator('select').nth(1).selectOption('7d');
    await card.screenshot({ path: join(ARTIFACTS, 'console-42-form-phone.png') });
    await card.getByRole('button', { name: 'Show tickets' }).click();
    await waitUntil('the list', async () => (await card.innerText()).includes('also: /tickets processing waiting 7d tag VIP'));
    expect(await card.innerText()).toMatch(/In progress or Waiting for customer · created in the last 7 days · tag VIP/);
    await card.screenshot({ path: join(ARTIFACTS, 'console-43-form-list-phone.png') });
    await card.getByRole('button', { name: 'Filter' }).click();
    await card.getByRole('button', { name: 'Back to list' }).waitFor();
    expect(await statuses.locator('summary').innerText()).toBe('In progress, Waiting for customer');
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 45_000);
});

describe.skipIf(!CHROMIUM)('FEISHU_CONNECTION=long-connection npm start, used in the browser', () => {
  let bot: Started;
  let consoleUrl: string;

  beforeAll(async () => {
    bot = npmStart({ PORT: String(await freePort()), FEISHU_CONNECTION: 'long-connection' });
    await bot.waitFor(/"event":"started"/);
    consoleUrl = String(bot.logs()[0]!['console']);
  }, 60_000);
  afterAll(() => bot?.stop());

  it('pages over the long connection, and answers a tap on the bot menu in the DM', async () => {
    const { page, dialogs, problems } = await openConsole(`${consoleUrl}?lang=en_us`);
    expect(await page.locator('#note').innerText()).toContain('over its long connection');
    const list = await say(page, '/tickets open today');
    const firstPage = await list.innerText();
    await list.getByRole('button', { name: NEXT }).click();
    await waitUntil('the next page', async () => (await list.innerText()) !== firstPage);
    expect(await list.innerText()).toContain('page 2 of');
    await shot(page, 'console-10-long-connection-next-page.png');

    // The menu belongs to the DM: its items run their commands, the answer is a new message.
    const before = await botMessages(page).count();
    await page.getByRole('button', { name: '/tickets mine open' }).click();
    await waitUntil('the menu answer', async () => (await botMessages(page).count()) > before);
    const answer = botMessages(page).last();
    await answer.getByText('mine', { exact: false }).first().waitFor();
    // Its buttons are bound to this chat once the bot knows it (sent, then patched): they work.
    await waitUntil('the card bound to the DM', async () => (await answer.innerText()).includes('updated'));
    expect(await answer.innerText()).toMatch(/Open · mine/);
    await shot(page, 'console-11-menu-my-open.png');
    await answer.getByRole('button', { name: OPEN }).first().click();
    await answer.getByRole('button', { name: BACK }).waitFor({ timeout: 10_000 });
    await shot(page, 'console-12-menu-ticket.png');
    await page.getByRole('tab', { name: 'Group chat' }).click();
    expect(await page.locator('#menu').isHidden()).toBe(true);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 45_000);
});

describe.skipIf(!CHROMIUM)('the demo helpdesk comes alive: npm start, nobody typing', () => {
  let bot: Started;
  let consoleUrl: string;

  beforeAll(async () => {
    // A step of the demo's story every 1.5 s instead of 20 s, so the test need not wait long.
    bot = npmStart({ PORT: String(await freePort()), SANDBOX_ACTIVITY_SECONDS: '1.5' });
    await bot.waitFor(/"event":"started"/);
    consoleUrl = String(bot.logs()[0]!['console']);
  }, 60_000);
  afterAll(() => bot?.stop());

  const cardWith = (page: Page, text: string) => botMessages(page).filter({ hasText: text });

  it('posts a new ticket from the watch, changes the posted card, moves the board; New ticket now brings one', async () => {
    const { page, dialogs, problems } = await openConsole(`${consoleUrl}?lang=en_us&chat=group`);
    // The demo set itself up in the group: a watch and a board, typed as the console's user.
    await page.getByRole('article', { name: '陈静' }).filter({ hasText: '/watch open' }).waitFor();
    await cardWith(page, 'Watching: Open').waitFor();
    const board = cardWith(page, 'Queue board');
    await board.waitFor();

    // A ticket arrives and is posted; the next step gives it to an agent and the post changes.
    const post = cardWith(page, 'New ticket · watching Open').first();
    await post.waitFor({ timeout: 20_000 });
    await shot(page, 'console-20-alive-post.png');
    await waitUntil('the posted card to change', async () => /updated/.test(await post.locator('.msg-meta').innerText()) && /In progress|Closed/.test(await post.innerText()), 20_000);
    await post.evaluate((node) => (node as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'center' }));
    await shot(page, 'console-21-alive-post-changed.png');
    // The board recounted on those events.
    await waitUntil('the board to move', async () => /updated/.test(await board.locator('.msg-meta').innerText()), 20_000);
    await board.evaluate((node) => (node as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'start' }));
    await shot(page, 'console-22-alive-board-moved.png');

    // New ticket now: a toast names it, and the watch posts it.
    await page.getByRole('button', { name: 'New ticket now' }).click();
    const arrived = await page.locator('.toast').filter({ hasText: 'arrived in the helpdesk' }).first().innerText();
    const id = /Ticket (\d+)/.exec(arrived)![1]!;
    await cardWith(page, `Ticket ${id}`).first().waitFor({ timeout: 20_000 });

    // In Chinese, and at a phone's width: nothing overflows.
    await page.getByRole('button', { name: '中文' }).click();
    await cardWith(page, '工单看板').waitFor();
    expect(await page.getByRole('button', { name: '来一个新工单' }).isVisible()).toBe(true);
    await shot(page, 'console-23-alive-zh.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await cardWith(page, '工单看板').evaluate((node) => (node as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'start' }));
    const overflow = await page
      .locator('.bubble-card')
      .evaluateAll((cards) => cards.filter((c) => (c as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth > (c as unknown as { clientWidth: number }).clientWidth + 1).length);
    expect(overflow).toBe(0);
    await shot(page, 'console-24-alive-phone.png');
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});

describe.skipIf(!CHROMIUM)('fixture cards in the console of an in-process sandbox', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, log: memoryLogger('warn'), host: '127.0.0.1' });
  });
  afterAll(() => sandbox?.stop(2000));

  /** Sends /help and turns the bot's reply into `card`, as a card update would. */
  /**
   * Puts a card in the chat in place of a reply. `unchecked`: a card the platform would refuse
   * (unknown tags), written straight into the stand-in, to test the renderer alone.
   */
  async function showFixture(page: Page, card: Record<string, unknown>, unchecked = false): Promise<Locator> {
    const reply = await say(page, '/help');
    const id = (await reply.getAttribute('data-id'))!;
    if (unchecked) {
      const message = sandbox.standin.messages.get(id)!;
      Object.assign(message, { content: JSON.stringify(card), updates: message.updates + 1, updatedAt: Date.now() });
    } else {
      expect(sandbox.standin.replaceCard(id, card)).toEqual({ ok: true });
    }
    const title = (card['header'] as { title: { content: string } }).title.content;
    await botMessages(page).last().getByText(title, { exact: false }).first().waitFor({ timeout: 10_000 });
    return botMessages(page).last();
  }

  it('renders the welcome card, in both languages', async () => {
    const { page, problems } = await openConsole(`${sandbox.bot.url}/console?lang=en_us`);
    const card = await showFixture(page, welcomeCard({ masking: 'groups', maskedFields: ['email'] }));
    expect(await card.innerText()).toContain('Three commands worth knowing');
    expect(await card.locator('code').count()).toBeGreaterThanOrEqual(4);
    await shot(page, 'console-13-welcome-en_us.png');
    await page.getByRole('button', { name: '中文' }).click();
    await botMessages(page).last().getByText('最常用的三个命令').waitFor();
    await shot(page, 'console-13-welcome-zh_cn.png');
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('renders every element the bot uses, in both languages, and clicks go through with a toast', async () => {
    const { page, dialogs, problems } = await openConsole(`${sandbox.bot.url}/console?lang=en_us`);
    const card = await showFixture(page, fixture('every-element.json'));

    // Header: title, subtitle, tags.
    await card.getByRole('heading', { name: 'Every element' }).waitFor();
    for (const text of ['A fixture card', 'Processing', 'VIP']) expect(await card.getByText(text, { exact: true }).count(), text).toBe(1);
    // Markdown.
    expect(await card.locator('strong', { hasText: 'Bold words' }).count()).toBe(1);
    expect(await card.locator('em', { hasText: 'italic words' }).count()).toBe(1);
    expect(await card.locator('s', { hasText: 'struck words' }).count()).toBe(1);
    expect(await card.locator('code').first().innerText()).toBe('inline code &#60;kept&#62;');
    expect(await card.getByRole('link', { name: 'https link' }).getAttribute('href')).toBe('https://example.com/docs');
    expect(await card.getByRole('link').count()).toBe(1);
    await card.getByText('script link').waitFor();
    expect((await styleOf(card.getByText('red text'))).color).toBe('rgb(245, 74, 69)');
    expect((await styleOf(card.getByText('Solved tag'))).backgroundColor).not.toBe('rgba(0, 0, 0, 0)');
    await card.getByText('Entities: <b>not bold</b> & *not italic* <i> ☺').waitFor();
    expect((await styleOf(card.getByText('Heading one'))).fontWeight).toBe('600');
    await card.getByText('• a list item').waitFor();
    await card.getByText('@ou_someone').waitFor();
    // Plain text stays plain.
    await card.getByText('Plain text keeps **stars** and <b>tags</b>').waitFor();
    // Columns and buttons.
    await card.getByText('Left column').waitFor();
    for (const name of ['Primary', 'Default', 'Text button', 'Danger']) expect(await card.getByRole('button', { name }).isEnabled(), name).toBe(true);
    expect(await card.getByRole('button', { name: 'Disabled' }).isDisabled()).toBe(true);
    // Table with paging (two rows a page).
    for (const name of ['Field', 'Value', 'Count']) await card.getByRole('columnheader', { name }).waitFor();
    await card.getByRole('cell', { name: 'Expense system' }).waitFor();
    expect(await card.getByRole('cell', { name: '华东' }).count()).toBe(0);
    await card.getByRole('button', { name: 'Next table page' }).click();
    await card.getByRole('cell', { name: '华东' }).waitFor();
    await card.getByRole('cell', { name: '1,234' }).waitFor();
    // Collapsible panel: closed, then open.
    const panel = card.getByRole('button', { name: 'Details' });
    expect(await panel.getAttribute('aria-expanded')).toBe('false');
    expect(await card.getByText('Hidden until expanded').isVisible()).toBe(false);
    await panel.click();
    expect(await panel.getAttribute('aria-expanded')).toBe('true');
    expect(await card.getByText('Hidden until expanded').isVisible()).toBe(true);
    // Unknown elements are shown, not dropped (forms and charts: the next describe's fixture).
    await card.getByText('unsupported element: img').waitFor();
    await shot(page, 'console-5-every-element.png');

    // A click is a real callback: the bot does not know this value and answers with a toast.
    await card.getByRole('button', { name: 'Primary' }).click();
    const toast = page.getByRole('status').locator('div').first();
    await toast.waitFor({ timeout: 5000 });
    const english = await toast.innerText();
    expect(english).toMatch(/[A-Za-z]/);
    await shot(page, 'console-6-toast.png');

    // The language toggle re-renders i18n_content and the toast.
    await page.getByRole('button', { name: '中文' }).click();
    await botMessages(page).last().getByRole('heading', { name: '所有元素' }).waitFor();
    for (const text of ['测试用卡片', '处理中', '粗体字', '左栏', '主要']) await botMessages(page).last().getByText(text).first().waitFor();
    expect(await toast.innerText()).not.toBe(english);
    expect(await toast.innerText()).toMatch(/[\u4e00-\u9fff]/);
    await shot(page, 'console-7-every-element-zh.png');

    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 45_000);

  it('↑ recalls the last commands, sending scrolls to your message, an over-long paste is refused and kept', async () => {
    const { page, problems } = await openConsole(`${sandbox.bot.url}/console?lang=en_us`);
    const box = page.getByRole('textbox');
    await say(page, '/tickets open today');
    await say(page, '/help');
    await box.press('ArrowUp');
    expect(await box.inputValue()).toBe('/help');
    await box.press('ArrowUp');
    expect(await box.inputValue()).toBe('/tickets open today');
    await box.press('ArrowDown');
    await box.press('ArrowDown');
    expect(await box.inputValue()).toBe('');
    // The message just sent is in view, even after a long card.
    await say(page, '/ticket 6626871355780366331');
    const mine = page.getByRole('article', { name: '陈静' }).last();
    expect(await mine.innerText()).toContain('/ticket 6626871355780366331');
    expect(await mine.isVisible()).toBe(true);
    const inView = await mine.evaluate((node) => {
      const r = node.getBoundingClientRect();
      const log = node.parentElement!.getBoundingClientRect();
      return r.top >= log.top - 1 && r.top < log.bottom;
    });
    expect(inView).toBe(true);
    // Over Feishu's 150 KB: refused with the reason, and the text stays in the box.
    const long = 'x'.repeat(160 * 1024);
    await box.fill(long);
    await box.press('Enter');
    await page.getByText(/Feishu accepts text messages up to 150 KB; this one is 161 KB/).waitFor();
    expect((await box.inputValue()).length).toBe(long.length);
    expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    await page.close();
  }, 30_000);

  it('shows the Try chips in the console’s language, and keeps the header on one row at phone width', async () => {
    const { page, problems } = await openConsole(`${sandbox.bot.url}/console?lang=en_us`);
    await page.setViewportSize({ width: 390, height: 800 });
    const chips = () => page.locator('.chip').allInnerTexts();
    const header = () =>
      page.locator('.topbar').evaluate((bar) => {
        const visible = [...bar.querySelectorAll('button')].map((b) => b.getBoundingClientRect()).filter((r) => r.width > 0);
        return { rows: new Set(visible.map((r) => Math.round(r.top))).size, inside: visible.every((r) => r.right <= bar.getBoundingClientRect().right) };
      });
    expect(await chips()).toContain('/tickets open today');
    expect(await header()).toEqual({ rows: 1, inside: true });
    await shot(page, 'console-10-phone-en.png');
    await page.getByRole('button', { name: '中文' }).click();
    expect(await chips()).toContain('/工单列表 未关闭 今天');
    expect((await chips()).some((c) => /open today/.test(c))).toBe(false);
    expect(await header()).toEqual({ rows: 1, inside: true });
    await shot(page, 'console-11-phone-zh.png');
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('renders hostile card text as text: no element, no link, no script', async () => {
    const { page, dialogs, problems } = await openConsole(`${sandbox.bot.url}/console?lang=en_us`);
    const card = await showFixture(page, fixture('hostile.json'), true);
    await card.getByText('<img src=x onerror="window.__pwned=1;alert(1)">Hostile title').waitFor();
    await card.getByText('<script>window.__pwned=1</script>').first().waitFor();
    await card.getByText("<font color='red' onmouseover='alert(1)'>font with extra attribute</font>", { exact: false }).waitFor();
    await card.getByText('<a href="javascript:alert(1)">anchor tag</a>', { exact: false }).waitFor();
    await card.getByText('unsupported element: <img src=x onerror=alert(1)>').waitFor();
    expect(await card.locator('img, script, iframe, svg, a').evaluateAll((nodes) => nodes.map((n) => n.outerHTML))).toEqual([]);
    // Clicking the button whose open_url is javascript: does nothing.
    const pages = context.pages().length;
    await card.getByRole('button', { name: '<img src=x onerror=alert(1)>' }).click();
    for (const element of await card.locator('*').all()) {
      const attributes = await element.evaluate((node) => node.getAttributeNames().filter((name: string) => name.startsWith('on')));
      expect(attributes).toEqual([]);
    }
    await shot(page, 'console-8-hostile-fixture.png');
    expect(await pwned(page)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(context.pages().length).toBe(pages);
    await page.close();
  }, 30_000);
});

describe.skipIf(!CHROMIUM)('forms and charts in the console, over the long connection', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    // Over the long connection the stand-in records every push, callbacks included: what the bot received.
    sandbox = await startSandbox({ port: 0, log: memoryLogger('warn'), host: '127.0.0.1', connection: 'long-connection' });
  });
  afterAll(() => sandbox?.stop(2000));

  /** The card.action.trigger payloads pushed to the bot, with whether it acknowledged each. */
  const callbacks = () =>
    sandbox.standin.ws.pushes
      .map((p) => ({ payload: p.payload as { header: { event_type: string }; event: { action: Record<string, unknown> } }, acked: p.acked !== undefined }))
      .filter((p) => p.payload.header.event_type === 'card.action.trigger');

  async function showCard(page: Page, card: Record<string, unknown>): Promise<Locator> {
    const reply = await say(page, '/help');
    const id = (await reply.getAttribute('data-id'))!;
    expect(sandbox.standin.replaceCard(id, card)).toEqual({ ok: true });
    await botMessages(page).last().getByRole('form').waitFor({ timeout: 10_000 });
    return botMessages(page).last();
  }

  it('fills in a form, asks before sending, sends form_value the bot receives, and draws charts with VChart', async () => {
    const { page, dialogs, problems } = await openConsole(`${sandbox.bot.url}/console?lang=en_us`);
    const card = await showCard(page, fixture('form-and-chart.json'));
    const note = card.getByRole('textbox', { name: 'A note for the customer' });
    expect(await note.getAttribute('placeholder')).toBe('A note for the customer');
    expect(await note.getAttribute('maxlength')).toBe('20');
    expect(await note.getAttribute('aria-required')).toBe('true');
    expect(await card.locator('.field-required').count()).toBe(1);
    const status = card.getByRole('combobox', { name: 'Status' });
    expect(await status.inputValue()).toBe('2');
    expect(await status.locator('option').allInnerTexts()).toEqual(['Status', 'In progress', 'Awaiting user']);
    expect(await card.locator('input[type="date"]').count()).toBe(1);

    // Charts: VChart draws each on a canvas; the figures are in the box's text for screen readers.
    const charts = card.getByRole('img');
    expect(await charts.count()).toBe(2);
    await waitUntil('VChart to draw both charts', async () => (await card.locator('.chart[data-chart="drawn"]').count()) === 2);
    expect(await card.locator('.chart canvas').count()).toBeGreaterThanOrEqual(2);
    expect(await charts.first().getAttribute('aria-label')).toBe('bar chart: agent 王磊, open 7; agent Li Lei, open 3; agent 韩梅梅, open 12');
    expect(await charts.last().getAttribute('aria-label')).toContain('status Closed, count 60');
    await shot(page, 'console-30-form-chart-en.png');

    // A required field empty: the client marks it and sends nothing.
    const save = card.getByRole('button', { name: 'Save' });
    const before = callbacks().length;
    await save.click();
    await card.getByText('Required', { exact: true }).waitFor();
    expect(await note.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('dialog').count()).toBe(0);

    // Filled in: the platform's dialog asks first, and Cancel sends nothing.
    await note.fill('Restart the VPN');
    await status.selectOption('5');
    await card.getByText('Tags').click();
    await card.getByRole('checkbox', { name: 'VPN' }).check();
    await card.getByRole('checkbox', { name: '<b>login</b>' }).check();
    await card.locator('input[type="date"]').fill('2026-11-01');
    await save.click();
    const dialog = page.getByRole('dialog', { name: 'Save the changes?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('The customer sees the note.');
    await shot(page, 'console-31-confirm-en.png');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await new Promise((r) => setTimeout(r, 500));
    expect(callbacks().length).toBe(before);

    // Confirmed: one callback, the submit button's name and value and the form's values as the
    // platform shapes them; the bot acknowledges it and answers (it knows no such form: a toast).
    await save.click();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('.toast').first().waitFor({ timeout: 5000 });
    await waitUntil('the callback to be acknowledged', async () => callbacks().length === before + 1 && callbacks().at(-1)!.acked);
    expect(callbacks().at(-1)!.payload.event.action).toEqual({
      tag: 'button',
      name: 'save',
      value: { fixture: 'form-save' },
      form_value: { note: 'Restart the VPN', status: '5', tags: ['vpn', 'login'], due: '2026-11-01 +0800' },
    });

    // Reset puts the fields back as the card had them.
    await card.getByRole('button', { name: 'Reset' }).click();
    expect(await note.inputValue()).toBe('');
    expect(await status.inputValue()).toBe('2');
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);

    // In Chinese, and at a phone's width: nothing overflows.
    await page.getByRole('button', { name: '中文' }).click();
    const zh = botMessages(page).last();
    await zh.getByRole('textbox', { name: '给客户的备注' }).waitFor();
    await waitUntil('the charts drawn again', async () => (await zh.locator('.chart[data-chart="drawn"]').count()) === 2);
    await shot(page, 'console-32-form-chart-zh.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await zh.getByRole('button', { name: '保存' }).click();
    await zh.getByText('必填', { exact: true }).waitFor();
    const overflow = await zh.locator('.bubble-card').evaluate((c) => (c as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth > (c as unknown as { clientWidth: number }).clientWidth + 1);
    expect(overflow).toBe(false);
    await shot(page, 'console-33-form-chart-phone.png');
    await zh.getByRole('textbox', { name: '给客户的备注' }).fill('好');
    await zh.getByRole('button', { name: '保存' }).click();
    await page.getByRole('dialog', { name: '保存修改？' }).waitFor();
    await shot(page, 'console-34-confirm-phone-zh.png');
    await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
