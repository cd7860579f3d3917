// Acting on a ticket in the sandbox's console, in a real browser (Debian's Chromium through
// playwright-core), as an agent new to it would: Reply opens a form in the card, Preview shows what
// goes, Send posts it into the ticket's conversation; Close as solved asks in the platform's dialog,
// then to sign in, which opens the authorization page in a new tab where 陈静 consents in one click,
// and the card then says who closed it. In English at desktop width and in Chinese at phone width;
// screenshots of each step go to test/artifacts/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/obs/log.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/mode.js';
import { REPO } from '../support/process.js';
import { systemProgram } from '../support/system.js';
import { until } from '../support/wait.js';

const CHROMIUM = systemProgram('chromium');
const ARTIFACTS = join(REPO, 'test/artifacts');
const BOT = 'Helpdesk Bot';

let sandbox: Sandbox;
const log = memoryLogger('info');
let context: BrowserContext;
let userDataDir: string;

beforeAll(async () => {
  if (!CHROMIUM) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  sandbox = await startSandbox({ port: 0, log });
  userDataDir = mkdtempSync(join(tmpdir(), 'actions-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
}, 60_000);
afterAll(async () => {
  await context?.close();
  await sandbox?.stop(2000);
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

async function consoleAt(lang: 'en_us' | 'zh_cn', width: number): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 1300 });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${sandbox.consoleUrl}?lang=${lang}`);
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 10_000 });
  return { page, problems };
}

/** Types a command and resolves with the bot's answer. */
async function say(page: Page, text: string): Promise<Locator> {
  const answers = page.getByRole('article', { name: BOT });
  const before = await answers.count();
  await page.getByRole('textbox').first().fill(text);
  await page.getByRole('textbox').first().press('Enter');
  await until(`an answer to ${text}`, async () => (await answers.count()) > before);
  return answers.last();
}

/** An open ticket's card, opened from the list, as an agent finds one. */
async function openTicket(page: Page, open: RegExp): Promise<{ card: Locator; id: string }> {
  const card = await say(page, '/tickets open');
  await card.getByRole('button', { name: open }).first().click();
  await card.getByRole('button', { name: /^(Reply|回复用户)$/ }).waitFor({ timeout: 10_000 });
  // The card leads with its ticket's id.
  const id = /\d{19}/.exec(await card.innerText())![0];
  return { card, id };
}

/**
 * Waits for `locator`; if it never comes, the failure says what the card showed instead, the
 * console's toasts and the bot's log lines from warn up, and the clicks' outcomes, so a failure on
 * a loaded CI machine can be read from its log alone.
 */
async function shows(page: Page, card: Locator, locator: Locator, what: string, timeout = 30_000): Promise<void> {
  try {
    await locator.waitFor({ timeout });
  } catch (error) {
    const text = await card.innerText().catch((e: unknown) => `(card unreadable: ${String(e)})`);
    const toasts = await page
      .locator('#toasts')
      .allInnerTexts()
      .catch(() => []);
    const lines = log.lines.filter((l) => /"level":"(warn|error)"|"event":"(action|card\.|sign_in)/.test(l)).slice(-20);
    throw new Error(`${what} never showed: ${(error as Error).message}\n--- the card ---\n${text}\n--- toasts ---\n${toasts.join('\n')}\n--- the bot's log ---\n${lines.join('\n')}`);
  }
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });

describe.skipIf(!CHROMIUM)('acting on a ticket in the console', () => {
  it('replies to the customer: a form, a preview of what goes, one message in the conversation', async () => {
    const { page, problems } = await consoleAt('en_us', 900);
    const { card, id } = await openTicket(page, /^Open$/);
    await card.getByRole('button', { name: 'Reply' }).click();
    const field = card.getByPlaceholder(/What to tell the customer/);
    await field.waitFor();
    await shot(page, 'actions-1-reply-form.png');
    const text = 'Hello, we renewed your certificate: please connect again.';
    await field.fill(text);
    await card.getByRole('button', { name: 'Preview' }).click();
    await card.getByText("This goes to the customer (from the helpdesk's bot account, not in your name):").waitFor();
    expect(sandbox.standin.callsTo('ticket_message_create')).toHaveLength(0);
    await shot(page, 'actions-2-preview.png');
    await card.getByRole('button', { name: 'Send', exact: true }).click();
    await card.getByText(/Last from chat: @陈静 replied to the customer/).waitFor();
    const sent = sandbox.standin.callsTo('ticket_message_create');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toBe(`/open-apis/helpdesk/v1/tickets/${id}/messages`);
    expect(sent[0]!.body).toEqual({ msg_type: 'text', content: JSON.stringify({ text }) });
    expect(await card.innerText()).toContain(text);
    await shot(page, 'actions-3-sent.png');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('closes as solved after the platform’s dialog and a one-click sign-in in a new tab, at phone width in Chinese', async () => {
    const { page, problems } = await consoleAt('zh_cn', 390);
    const { card, id } = await openTicket(page, /^查看$/);
    await card.getByRole('button', { name: '关闭：已解决' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`将工单 ${id} 关闭为已解决？`).waitFor();
    await shot(page, 'actions-4-confirm-zh-phone.png');
    await dialog.getByRole('button', { name: '确定' }).click();
    await shows(page, card, card.getByRole('button', { name: '登录以操作' }), 'the sign-in button');
    expect(sandbox.standin.callsTo('ticket_update')).toHaveLength(0);
    await shot(page, 'actions-5-sign-in-zh-phone.png');
    const opened = context.waitForEvent('page');
    await card.getByRole('button', { name: '登录以操作' }).click();
    const tab = await opened;
    await tab.waitForLoadState();
    await tab.screenshot({ path: join(ARTIFACTS, 'actions-6-authorize.png'), fullPage: true });
    await tab.getByRole('button', { name: /Authorize/ }).click();
    await tab.getByText('Signed in as 陈静').waitFor();
    await tab.screenshot({ path: join(ARTIFACTS, 'actions-7-signed-in.png'), fullPage: true });
    await tab.close();
    await shows(page, card, card.getByText('最近在聊天中：陈静关闭了工单（已解决）'), 'the closed ticket', 15_000);
    const updates = sandbox.standin.callsTo('ticket_update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.body).toEqual({ status: 51, solved: 2 });
    expect(sandbox.standin.ticket(id)).toMatchObject({ status: 51, solve: 2 });
    await shot(page, 'actions-8-closed-zh-phone.png');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
