// Sandbox mode: what `npm start` runs when no Feishu credentials are set. Random secrets, the
// stand-in platform on 127.0.0.1 with the demo helpdesk, and the real bot built from a Config
// exactly as production builds it; only the SDK's base URL and the credentials differ. The console
// and its API are mounted on the bot's own server.
import { randomBytes, randomInt } from 'node:crypto';
import { loadConfig } from '../config/load.js';
import { ENV_OVERRIDES, type Config, type Connection } from '../config/schema.js';
import { isReceiving } from '../intake/intake.js';
import type { Logger } from '../obs/log.js';
import type { Metrics } from '../obs/metrics.js';
import { startBot, type RunningBot } from '../runtime/start.js';
import { DemoActivity } from './activity.js';
import { consoleRoutes, CONSOLE_PATH } from './console/index.js';
import { longConnectionTransport, webhookTransport } from '@helpdesk-bot/feishu-standin/transport';
import { DEMO_AGENTS, FIRST_TICKET_ID, HOSTILE_TICKET_ID, seedConversations, seedTickets } from './seed.js';
import { DEMO_FAQS } from './seed/faqs.js';
import { DEMO_AGENT_SCHEDULES, DEMO_GUESTS, HELPDESK_BOT } from './seed/people.js';
import { TAGS } from './seed/words.js';
import { randomHex } from '@helpdesk-bot/feishu-standin/ids';
import { CALLBACK_PATH } from '../feishu/signIn.js';
import { StandIn, type Retention } from '@helpdesk-bot/feishu-standin';

export interface SandboxOptions {
  /** The bot's HTTP port; 0 picks a free one. */
  port: number;
  log: Logger;
  metrics?: Metrics;
  /** Epoch ms the demo helpdesk is seeded around; now by default. */
  now?: number;
  /** The app.yaml text, for the settings that are not credentials (time zone, limits, log level). */
  yaml?: string;
  /** Its file name, for messages. */
  file?: string;
  /** REDIS_URL, if set: the sandbox's state lives there too (its keys are its random app's). */
  redisUrl?: string;
  host?: string;
  /** How the console's messages reach the bot: webhook deliveries (default) or the long connection. */
  connection?: Connection;
  /**
   * The demo comes alive: a watch and a board are set up in the console's group chat, and every
   * `activityMs` a ticket arrives, is taken or is closed (0: only "new ticket now"). Off by default
   * (tests start quiet); `npm start` turns it on.
   */
  demo?: { activityMs: number };
}

/** What the demo types in the group chat at start, so a watch posts and a board moves on their own. */
export const DEMO_COMMANDS = ['/watch open', '/board'] as const;

/** Waits for a condition; resolves with whether it came within `ms`. */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return check();
}

export interface Sandbox {
  bot: RunningBot;
  standin: StandIn;
  config: Config;
  /** The console's address, for people: http://localhost:PORT/console */
  consoleUrl: string;
  stop(deadlineMs?: number): Promise<boolean>;
  /** The demo helpdesk's activity ("new ticket now", and its steps). */
  activity: DemoActivity;
}

export const BOT_NAME = 'Helpdesk Bot';

/**
 * What the sandbox's stand-in remembers, so that it runs for days without growing: each chat's
 * last 300 messages (more than the console shows: it asks for 100 at a time), the last 1,000
 * requests and the last 1,000 ticket events and long-connection records.
 */
export const SANDBOX_RETENTION: Retention = { calls: 1000, messagesPerChat: 300, events: 1000 };

/** The console's "Try" chips, in the language the console is shown in. */
const EXAMPLES = {
  en_us: ['/help', `/ticket ${FIRST_TICKET_ID}`, '/tickets open today', '/tickets mine 7d', '/tickets', '/watch open tag VIP', '/board', '/stats 7d', `/ticket ${HOSTILE_TICKET_ID}`],
  zh_cn: ['/帮助', `/工单 ${FIRST_TICKET_ID}`, '/工单列表 未关闭 今天', '/工单列表 我的 近7天', '/工单列表', '/关注 未关闭 标签 VIP', '/看板', '/统计 近7天', `/工单 ${HOSTILE_TICKET_ID}`],
};

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { log } = options;
  const secrets = {
    appId: `cli_${randomHex(16)}`,
    appSecret: randomBytes(24).toString('base64url'),
    verificationToken: randomBytes(24).toString('base64url'),
    encryptKey: randomBytes(24).toString('base64url'),
    helpdeskId: String(randomInt(1_000_000_000, 9_999_999_999)),
    helpdeskToken: randomBytes(24).toString('base64url'),
    botOpenId: `ou_${randomHex(32)}`,
  };
  const agentIds = DEMO_AGENTS.map((a) => a.id!);
  const standin = await StandIn.start({
    ...secrets,
    botName: BOT_NAME,
    tags: TAGS,
    helpdeskBot: HELPDESK_BOT,
    retention: SANDBOX_RETENTION,
    // Agents sign in as themselves (the console's user is the first), and the helpdesk lets its agents change tickets.
    people: [...DEMO_AGENTS, ...DEMO_GUESTS],
    agents: agentIds,
    faqs: DEMO_FAQS,
    agentSchedules: [...DEMO_AGENT_SCHEDULES],
  });
  standin.userAuth.setBrowserUser(agentIds[0]!);
  try {
    const longConnection = options.connection === 'long-connection';
    const result = loadConfig(
      options.yaml ?? '',
      {
        FEISHU_APP_ID: secrets.appId,
        FEISHU_APP_SECRET: secrets.appSecret,
        // Over the long connection there is nothing to sign or encrypt: neither is set, as in production.
        ...(longConnection ? {} : { FEISHU_VERIFICATION_TOKEN: secrets.verificationToken, FEISHU_ENCRYPT_KEY: secrets.encryptKey }),
        FEISHU_CONNECTION: longConnection ? 'long-connection' : 'webhook',
        FEISHU_HELPDESK_ID: secrets.helpdeskId,
        FEISHU_HELPDESK_TOKEN: secrets.helpdeskToken,
        FEISHU_DOMAIN: standin.url,
        FEISHU_OAUTH_URL: standin.url,
        USER_TOKEN_KEY: randomBytes(32).toString('base64url'),
        PORT: String(options.port),
        ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      },
      options.file,
    );
    if (!result.ok) throw new Error(result.problems.join('; '));
    // The demo's agents may reply and suggest answers, unless app.yaml names agents of its own.
    const config = result.config.access.agents.length ? result.config : { ...result.config, access: { ...result.config.access, agents: agentIds } };
    const tickets = seedTickets(options.now ?? Date.now(), { timezone: config.display.timezone, helpdeskId: secrets.helpdeskId });
    standin.setTickets(tickets);
    standin.setConversations(seedConversations(tickets));

    const [you, ...others] = DEMO_AGENTS.map((a) => ({ openId: a.id!, name: a.name! }));
    let botUrl = '';
    const transport = longConnection ? longConnectionTransport(standin) : webhookTransport({ botUrl: () => botUrl, encryptKey: secrets.encryptKey, verificationToken: secrets.verificationToken });
    // Ticket events reach the bot the way the console's messages do.
    standin.pushTicketEventsTo(transport);
    const activity = new DemoActivity({ standin, intervalMs: options.demo?.activityMs ?? 0, helpdeskId: secrets.helpdeskId, timezone: config.display.timezone, log });
    const { routes, session } = consoleRoutes({
      standin,
      appId: secrets.appId,
      transport,
      bot: { openId: secrets.botOpenId, name: BOT_NAME },
      you: you!,
      people: others,
      log,
      examples: EXAMPLES,
      menu: config.menu,
      connection: config.feishu.connection,
      newTicket: () => activity.arrive(),
    });
    // Only /healthz reports the mode, and the records (watches, live cards, boards) are not kept
    // in a file: the demo platform, its chats and its messages are new at every start. Everything
    // else runs as in production.
    // Sign-in comes back to the bot's own address, as the console's browser reaches it; over the
    // long connection (no address a browser could reach, as in production) agents confirm a code.
    const publicUrl = (port: number) => {
      if (longConnection) return '';
      const url = `http://localhost:${port}`;
      standin.userAuth.registerRedirectUri(url + CALLBACK_PATH);
      return url;
    };
    const bot = await startBot(
      { ...config, mode: 'sandbox', state: { ...config.state, file: '' } },
      { log, routes, publicUrl, ...(options.metrics ? { metrics: options.metrics } : {}), ...(options.host ? { host: options.host } : {}) },
    );
    botUrl = bot.url;
    const consoleUrl = `http://localhost:${bot.port}${CONSOLE_PATH}`;
    const credentials = Object.keys(ENV_OVERRIDES).filter((v) => v.startsWith('FEISHU_') && !['FEISHU_DOMAIN', 'FEISHU_CONNECTION', 'FEISHU_OAUTH_URL'].includes(v));
    // The first line leads with the console's address, so a person finds it at a glance; the
    // second says why it is a sandbox and how to connect a real app. Both stay JSON lines.
    log.info('sandbox', { message: `Sandbox console: ${consoleUrl}`, console: consoleUrl, connection: config.feishu.connection });
    log.info('sandbox.why', {
      message:
        `No Feishu credentials are set, so the bot runs against a built-in stand-in of the Feishu platform with a demo helpdesk` +
        (longConnection ? ', receiving events over a long connection. ' : '. ') +
        `To connect a real Feishu app, set ${credentials.join(', ')} (see README, "Setting up the Feishu app").`,
    });
    // Logged first (above): the connection's own line comes once it is up. The bot's SDK takes
    // frames only once its connect step is over: wait for that, not just the socket.
    if (longConnection && !(await until(() => isReceiving(bot.connection()), 30_000))) {
      throw new Error('the bot did not connect to the stand-in over the long connection');
    }
    if (options.demo) {
      // Once the bot has subscribed to ticket events: the first ones must not be missed (after
      // 10 s the demo starts anyway).
      await until(() => standin.subscriptions.length > 0, 10_000);
      for (const command of DEMO_COMMANDS) await session.say('group', command);
      activity.start();
    }
    return {
      bot,
      standin,
      config,
      consoleUrl,
      activity,
      async stop(deadlineMs?: number) {
        activity.stop();
        const finished = await bot.stop(deadlineMs);
        await standin.close();
        return finished;
      },
    };
  } catch (error) {
    await standin.close();
    throw error;
  }
}
