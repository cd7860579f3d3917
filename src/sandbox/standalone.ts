// npm run standin: the stand-in of the Feishu platform on its own, seeded with the demo helpdesk,
// for a bot started with `npm start` in another terminal (FEISHU_DOMAIN pointing here). It takes
// the same credential variables as the bot, so one environment serves both, and it is driven
// through its control API (packages/feishu-standin/src/control.ts): curl or a script plays the users.
import { StandIn } from '@helpdesk-bot/feishu-standin';
import { controlRoutes } from '@helpdesk-bot/feishu-standin/control';
import { randomHex } from '@helpdesk-bot/feishu-standin/ids';
import { longConnectionTransport, webhookTransport } from '@helpdesk-bot/feishu-standin/transport';
import { createLogger } from '../obs/log.js';
import { DemoActivity } from './activity.js';
import { DEMO_AGENTS, seedConversations, seedTickets } from './seed.js';
import { DEMO_AGENT_SCHEDULES, HELPDESK_BOT } from './seed/people.js';
import { TAGS } from './seed/words.js';

const REQUIRED = ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_HELPDESK_ID', 'FEISHU_HELPDESK_TOKEN'] as const;

async function main() {
  const env = process.env;
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length) return fail(`set ${missing.join(', ')} (the values the bot gets), and optionally STANDIN_PORT (default 3100) and STANDIN_WEBHOOK_URL`);
  const port = Number(env.STANDIN_PORT ?? 3100);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail(`STANDIN_PORT "${env.STANDIN_PORT}" is not a port number`);
  // Deliveries go over the long connection, or as webhook POSTs to the bot when its URL is given.
  const webhook = env.STANDIN_WEBHOOK_URL;
  if (webhook && (!env.FEISHU_ENCRYPT_KEY || !env.FEISHU_VERIFICATION_TOKEN)) return fail('webhook deliveries (STANDIN_WEBHOOK_URL) need FEISHU_ENCRYPT_KEY and FEISHU_VERIFICATION_TOKEN');
  // The long connection's client config, in seconds: the platform's unless shortened for a test.
  const seconds = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} "${env[name]}" is not a number of seconds`);
    return value;
  };
  const clientConfig = {
    PingInterval: seconds('STANDIN_PING_INTERVAL', 120),
    ReconnectCount: -1,
    ReconnectInterval: seconds('STANDIN_RECONNECT_INTERVAL', 120),
    ReconnectNonce: seconds('STANDIN_RECONNECT_NONCE', 30),
  };
  const activitySeconds = seconds('STANDIN_ACTIVITY_SECONDS', 0);
  const botOpenId = `ou_${randomHex(32)}`;
  const tickets = seedTickets(Date.now(), { helpdeskId: env.FEISHU_HELPDESK_ID! });
  let control: ReturnType<typeof controlRoutes> | undefined;
  const standin = await StandIn.start(
    {
      appId: env.FEISHU_APP_ID!,
      appSecret: env.FEISHU_APP_SECRET!,
      helpdeskId: env.FEISHU_HELPDESK_ID!,
      helpdeskToken: env.FEISHU_HELPDESK_TOKEN!,
      botOpenId,
      tickets,
      conversations: seedConversations(tickets),
      tags: TAGS,
      helpdeskBot: HELPDESK_BOT,
      agentSchedules: [...DEMO_AGENT_SCHEDULES],
      longConnection: { clientConfig },
      routes: (app) => app.use('/standin', (req, res, next) => (control ? control(req, res, next) : next())),
    },
    port,
  );
  const transport = webhook
    ? webhookTransport({ botUrl: () => webhook.replace(/\/+$/, ''), encryptKey: env.FEISHU_ENCRYPT_KEY!, verificationToken: env.FEISHU_VERIFICATION_TOKEN! })
    : longConnectionTransport(standin);
  // Ticket changes reach the bot the way its other events do (once it has subscribed).
  standin.pushTicketEventsTo(transport);
  const activity = new DemoActivity({ standin, intervalMs: activitySeconds * 1000, helpdeskId: env.FEISHU_HELPDESK_ID!, log: createLogger('warn') });
  activity.start();
  control = controlRoutes({ standin, appId: env.FEISHU_APP_ID!, botOpenId, transport, newTicket: (spec) => activity.arrive(spec), agents: DEMO_AGENTS });
  process.stdout.write(
    [
      `Stand-in of the Feishu platform at ${standin.url} (demo helpdesk seeded; bot open_id ${botOpenId}).`,
      `Deliveries go ${webhook ? `as webhook POSTs to ${webhook}` : 'over the long connection'}. Start the bot with FEISHU_DOMAIN=${standin.url}, then for example:`,
      `  curl -s -XPOST ${standin.url}/standin/say -H 'content-type: application/json' -d '{"text":"/ticket 6626871355780366331"}'`,
      `Control routes: POST /standin/say, /click, /add-bot, /remove-bot, /disband, /open-dm, /menu, /tickets, /redeliver, /drop, /silence, /refuse-endpoint, /faults, /revoke-tokens, /clear-faults; PATCH /standin/tickets/<id>; GET /standin/messages, /calls, /long-connection, /ticket-events, /subscriptions; PUT /standin/scopes.`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    activity.stop();
    void standin.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function fail(message: string): undefined {
  process.stderr.write(`Cannot start the stand-in: ${message}\n`);
  process.exit(1);
}

main().catch((error: Error) => fail(error.message));
