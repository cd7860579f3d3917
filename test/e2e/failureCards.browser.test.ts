// What a person sees when something goes wrong, in the console of an in-process sandbox rendered by
// Debian's Chromium: the real bot answering through faults put into the sandbox's stand-in (a list
// that is not the documented shape, a platform refusing the bot's token, a ticket with a time no
// date holds), read in both languages and at a phone's width, where nothing may overflow.
// Screenshots go to test/artifacts/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/obs/log.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/mode.js';
import { FIRST_TICKET_ID } from '../../src/sandbox/seed.js';
import { REPO } from '../support/process.js';
import { systemProgram } from '../support/system.js';
import { until } from '../support/wait.js';

// Without Chromium this whole file is skipped, and the run says so (test/support/globalSetup.ts).
const CHROMIUM = systemProgram('chromium');
const ARTIFACTS = join(REPO, 'test/artifacts');
const BOT = 'Helpdesk Bot';

describe.skipIf(!CHROMIUM)('failure cards in the console', () => {
  let context: BrowserContext;
  let userDataDir: string;
  let sandbox: Sandbox;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    userDataDir = mkdtempSync(join(tmpdir(), 'failure-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM!,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      viewport: { width: 900, height: 1100 },
    });
    sandbox = await startSandbox({ port: 0, log: memoryLogger('warn'), host: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await sandbox?.stop(2000);
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  async function open(lang: 'en_us' | 'zh_cn'): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${sandbox.bot.url}/console?lang=${lang}`);
    await page.locator('body[data-ready="true"]').waitFor({ timeout: 10_000 });
    return { page, problems };
  }

  async function say(page: Page, text: string): Promise<Locator> {
    const replies = page.getByRole('article', { name: BOT });
    const before = await replies.count();
    await page.getByRole('textbox').fill(text);
    await page.getByRole('textbox').press('Enter');
    await until(`a reply to ${text}`, async () => (await replies.count()) > before);
    return replies.last();
  }

  /** At a phone's width, the card fits: nothing scrolls sideways. The screenshot shows `part` of it (all of it by default). */
  async function fitsAPhone(page: Page, card: Locator, name: string, part?: Locator): Promise<void> {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page
      .locator('.bubble-card')
      .evaluateAll((cards) => cards.filter((c) => (c as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth > (c as unknown as { clientWidth: number }).clientWidth + 1).length);
    expect(overflow).toBe(0);
    if (!part) return void (await card.screenshot({ path: join(ARTIFACTS, name) }));
    await part.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, name) });
  }

  it('a list the helpdesk answered in no documented shape: "cannot read", never "No tickets"', async () => {
    for (const [lang, says] of [
      ['en_us', 'The helpdesk answered something the bot cannot read.'],
      ['zh_cn', '服务台返回了机器人看不懂的内容。'],
    ] as const) {
      const { page, problems } = await open(lang);
      sandbox.standin.inject('ticket_list', { body: [1, 2, 3], times: 1 });
      const card = await say(page, '/tickets closed 7d');
      const text = await card.innerText();
      expect(text).toContain(says);
      expect(text).not.toMatch(/No tickets|没有工单/);
      await fitsAPhone(page, card, `failure-unreadable-${lang}.png`);
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it('a platform that refuses the bot token, a new one too: "Cannot reach Feishu right now"', async () => {
    for (const [lang, title] of [
      ['en_us', 'Cannot reach Feishu right now'],
      ['zh_cn', '暂时连不上飞书'],
    ] as const) {
      const { page, problems } = await open(lang);
      sandbox.standin.inject('ticket_get', { status: 400, code: 99991663, times: 2 });
      const card = await say(page, `/ticket ${FIRST_TICKET_ID}`);
      expect(await card.innerText()).toContain(title);
      await fitsAPhone(page, card, `failure-feishu-${lang}.png`);
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it('a ticket with a time no date holds: its card, the time shown as unknown', async () => {
    const ticket = sandbox.standin.ticket(FIRST_TICKET_ID)!;
    const { page, problems } = await open('en_us');
    sandbox.standin.inject('ticket_get', { body: { code: 0, msg: 'success', data: { ticket: { ...ticket, created_at: 1e16 } } }, times: 1 });
    const card = await say(page, `/ticket ${FIRST_TICKET_ID}`);
    await card.getByText('Times and durations', { exact: false }).click();
    const unknown = card.getByText('unknown', { exact: true });
    await unknown.waitFor({ timeout: 5000 });
    expect(await card.innerText()).toContain(`Ticket ${FIRST_TICKET_ID}`);
    await fitsAPhone(page, card, 'failure-created-unknown.png', unknown);
    expect(problems).toEqual([]);
    await page.close();
  });
});
