// Shared set-up: a stand-in with known credentials and a real SDK client pointed at it.
import * as lark from '@larksuiteoapi/node-sdk';
import { isAxiosError } from 'axios';
import { StandIn, type RawTicket, type StandInOptions } from '@helpdesk-bot/feishu-standin';

export const CREDS = {
  appId: 'cli_a5fb0ae6a4c0d00e',
  appSecret: 'stand-in-secret',
  helpdeskId: '6626871355780366330',
  helpdeskToken: 'ht-stand-in',
  botOpenId: 'ou_0b8e2f5a9c1d4e7f8a3b6c9d2e5f8a1b',
} as const;

/** A fresh cache per client, so no token leaks between tests through the SDK's shared default. */
export function freshCache(): lark.Cache {
  const values = new Map<string, { value: unknown; expiresAt?: number }>();
  const keyOf = (key: { toString(): string }, namespace?: string) => `${namespace ?? ''}/${key.toString()}`;
  return {
    async get(key, options) {
      const entry = values.get(keyOf(key, options?.namespace));
      return entry && (entry.expiresAt === undefined || entry.expiresAt > Date.now()) ? entry.value : undefined;
    },
    async set(key, value, expiresAt, options) {
      values.set(keyOf(key, options?.namespace), { value, expiresAt });
      return true;
    },
  };
}

const quiet = () => undefined;
export const silentLogger: lark.Logger = { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet };

export function sdkClient(standIn: StandIn, overrides: Partial<{ appSecret: string; helpDeskToken: string }> = {}) {
  return new lark.Client({
    appId: CREDS.appId,
    appSecret: overrides.appSecret ?? CREDS.appSecret,
    domain: standIn.url,
    helpDeskId: CREDS.helpdeskId,
    helpDeskToken: overrides.helpDeskToken ?? CREDS.helpdeskToken,
    cache: freshCache(),
    loggerLevel: lark.LoggerLevel.fatal,
    // The SDK reads `loggerLevel || info`, so fatal (0) falls back to info; silence it outright.
    logger: silentLogger,
  });
}

export function startStandIn(extra: Partial<StandInOptions> = {}): Promise<StandIn> {
  return StandIn.start({ ...CREDS, ...extra });
}

export interface HttpFailure {
  status: number;
  data: { code?: number; msg?: string; error?: Record<string, unknown> };
  headers: Record<string, unknown>;
}

/** The HTTP error the SDK threw (it throws axios errors for non-2xx answers). */
export async function httpFailure(call: Promise<unknown>): Promise<HttpFailure> {
  try {
    await call;
  } catch (error) {
    if (isAxiosError(error) && error.response) {
      return {
        status: error.response.status,
        data: error.response.data as HttpFailure['data'],
        headers: { ...error.response.headers },
      };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A complete ticket, in the API's shape, with the fields the tests vary. */
export function ticket(id: string, fields: Partial<RawTicket> = {}): RawTicket {
  return {
    ticket_id: id,
    helpdesk_id: CREDS.helpdeskId,
    guest: { id: `ou_guest_${id}`, name: `Guest ${id}` },
    ticket_type: 2,
    status: 2,
    score: 3,
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000,
    agents: [],
    channel: 9,
    solve: 1,
    collaborators: [],
    customized_fields: [],
    ...fields,
  };
}

export const markdownElements = (count: number) => Array.from({ length: count }, (_, i) => ({ tag: 'markdown', content: `line ${i}` }));

/** A schema 2.0 card with `count` markdown elements. */
export function card2(count = 1): Record<string, unknown> {
  return {
    schema: '2.0',
    header: { title: { tag: 'plain_text', content: 'Ticket' } },
    body: { elements: markdownElements(count) },
  };
}
