// The long-connection intake: the SDK's WSClient opens a WebSocket to the platform and receives
// events and card callbacks over it, with no public URL. Each payload takes the same path as a
// webhook delivery: interpret -> accept. The handler returns as soon as accept has answered
// (messages are queued, a callback's answer is ready), because the acknowledgement only goes back
// when it returns and the platform pushes the event again after 3 s. A refusal (full queue,
// shutting down) throws, so the SDK acknowledges with code 500 and the platform pushes it again.
import type * as Lark from '@larksuiteoapi/node-sdk';
import { sdk as lark } from '../feishu/sdk.js';
import type { Accept } from './accept.js';
import { APP_ID_SHAPE } from '../config/schema.js';
import type { Logger } from '../obs/log.js';
import { platformHttp, sdkLogger } from '../feishu/client.js';
import { interpret, type Delivery } from './interpret.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'stopped';

/** The connection as /healthz and the metrics see it. */
export interface LongConnectionStatus {
  mode: 'long-connection';
  state: ConnectionState;
  reconnects: number;
  reconnectAttempts: number;
  error?: string;
}

export interface LongConnectionOptions {
  appId: string;
  appSecret: string;
  /** Base URL of the Open Platform (the endpoint request goes to {domain}/callback/ws/endpoint). */
  domain: string;
  /** Only needed if the app's events are encrypted; over the long connection they normally are not. */
  encryptKey: string;
  /** A connection with no frame this long after a ping is replaced. */
  pingTimeoutSeconds: number;
  handshakeTimeoutMs: number;
  botOpenId: string;
  accept: Accept;
  log: Logger;
  /** The platform refused the connection for good: the bot cannot receive anything until fixed. */
  onFatal(message: string): void;
}

type Payload = Record<string, unknown>;

/**
 * The SDK's EventDispatcher routes by event type and flattens header and event into one object
 * (so the event's card update token overwrites the header's token). Both intakes share one
 * classifier instead, so this dispatcher hands the whole payload over, as the webhook does.
 */
class IntakeDispatcher extends lark.EventDispatcher {
  constructor(
    private readonly handle: (payload: Payload) => Promise<unknown>,
    logger: Lark.Logger,
  ) {
    super({ logger, loggerLevel: lark.LoggerLevel.warn });
  }

  override invoke(data: unknown): Promise<unknown> {
    return this.handle(data && typeof data === 'object' ? (data as Payload) : {});
  }
}

export class LongConnection {
  private readonly client: Lark.WSClient;
  private readonly dispatcher: IntakeDispatcher;
  private readonly cipher: Lark.AESCipher | undefined;
  private stopped = false;
  private fatal: string | undefined;
  private reconnects = 0;
  /** Payloads being handled right now: their acknowledgements must go out before the socket closes. */
  private inFlight = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly options: LongConnectionOptions) {
    const { log } = options;
    if (!APP_ID_SHAPE.test(options.appId)) {
      // WSClient.start() would log and return without connecting.
      throw new Error(`feishu.app_id (or FEISHU_APP_ID) "${options.appId}" is not an app id (cli_ followed by 16 hex digits): the long connection cannot start`);
    }
    this.cipher = options.encryptKey ? new lark.AESCipher(options.encryptKey) : undefined;
    // The SDK's own warnings and errors here are worth seeing (reconnect trouble, lost frames).
    const logger = sdkLogger(log, (_kind, fields) => log.warn('long_connection.sdk', fields));
    this.dispatcher = new IntakeDispatcher((payload) => this.handle(payload), logger);
    this.client = new lark.WSClient({
      appId: options.appId,
      appSecret: options.appSecret,
      domain: options.domain,
      httpInstance: platformHttp(15_000),
      logger,
      loggerLevel: lark.LoggerLevel.warn,
      source: 'helpdesk-bot',
      handshakeTimeoutMs: options.handshakeTimeoutMs,
      wsConfig: { pingTimeout: options.pingTimeoutSeconds },
      onReady: () => log.info('long_connection.connected', { domain: options.domain }),
      onReconnecting: () => log.warn('long_connection.reconnecting', { reconnects: this.reconnects }),
      onReconnected: () => {
        this.reconnects += 1;
        log.info('long_connection.reconnected', { reconnects: this.reconnects });
      },
      onError: (error) => {
        if (this.stopped) return;
        this.fatal = explainRefusal(error.message, options.domain);
        log.error('long_connection.failed', { error: this.fatal });
        options.onFatal(this.fatal);
      },
    });
  }

  /** Starts connecting; the state says when it is up. */
  start(): void {
    void this.client.start({ eventDispatcher: this.dispatcher });
  }

  status(): LongConnectionStatus {
    const sdk = this.client.getConnectionStatus();
    const state: ConnectionState = this.stopped ? 'stopped' : sdk.state === 'idle' ? 'connecting' : sdk.state;
    return {
      mode: 'long-connection',
      state,
      reconnects: this.reconnects,
      reconnectAttempts: sdk.reconnectAttempts,
      ...(this.fatal ? { error: this.fatal } : {}),
    };
  }

  /**
   * Stops receiving. Call after the bot has stopped accepting (so new frames are refused and
   * pushed again elsewhere): waits up to `waitMs` for the frames being handled to be acknowledged,
   * then closes the socket.
   */
  async close(waitMs = 3000): Promise<void> {
    this.stopped = true;
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([new Promise<void>((resolve) => this.idle.push(resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
      // The SDK writes each acknowledgement right after its handler returns: let that happen first.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.client.close();
    this.options.log.info('long_connection.closed', {});
  }

  private async handle(raw: Payload): Promise<unknown> {
    this.inFlight += 1;
    try {
      const answer = await this.options.accept(this.delivery(raw), 'long-connection');
      // Throwing makes the SDK acknowledge with code 500: the platform pushes the event again.
      if (answer.status === 503) throw new Error(`refused: ${answer.body.error}`);
      // Malformed payloads are acknowledged (accept logged them): pushing them again cannot help.
      if (answer.status !== 200) return undefined;
      // The acknowledgement carries a callback's answer (a card, a toast); nothing for events.
      return Object.keys(answer.body).length > 0 ? answer.body : undefined;
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.idle.splice(0).forEach((resolve) => resolve());
    }
  }

  /** Events come in plaintext over the connection; an app with an encrypt key may get them encrypted. */
  private delivery(payload: Payload): Delivery {
    if (typeof payload.encrypt !== 'string') return interpret(payload, this.options.botOpenId);
    if (!this.cipher) return { kind: 'invalid', reason: 'encrypted event, but feishu.encrypt_key is not set' };
    try {
      const inner: unknown = JSON.parse(this.cipher.decrypt(payload.encrypt));
      if (inner && typeof inner === 'object' && !Array.isArray(inner)) return interpret(inner as Payload, this.options.botOpenId);
    } catch {
      /* answered below */
    }
    return { kind: 'invalid', reason: 'encrypted event that does not decrypt with feishu.encrypt_key' };
  }
}

/** The SDK's final error, in words that say what to fix. */
export function explainRefusal(error: string, domain: string): string {
  const what = /exhausted/.test(error) ? `could not reconnect to ${domain} (${error})` : `the platform refused the long connection (${error})`;
  return `${what}: ${refusalFix(error, domain)}`;
}

/** What to fix for an endpoint refusal, by its code (oapi-sdk-go ws/const.go). */
export function refusalFix(error: string, domain: string): string {
  switch (/code=(\d+)/.exec(error)?.[1]) {
    case '403':
    case '514':
    case '1000040344':
      return 'check feishu.app_id and feishu.app_secret (FEISHU_APP_ID, FEISHU_APP_SECRET), and that the app is a custom app set to "receive events through persistent connection" under Events & Callbacks';
    case '1000040350':
      return 'this app already has as many connections as the platform allows (50). Stop other instances, and anyone else running the bot with this app id (a laptop or a staging copy takes a share of the events too)';
    case '1':
      return 'the platform was busy and the SDK does not retry that; start the bot again in a minute';
    default:
      if (/exhausted/.test(error)) return `check the network path to ${domain} (feishu.domain, FEISHU_DOMAIN)`;
      return 'check feishu.app_id, feishu.app_secret and feishu.domain';
  }
}
