// How the platform's deliveries (the sandbox console's messages and clicks, the control API's
// events) reach the bot, the way the platform would bring them: over HTTP (encrypted, signed
// deliveries to the webhook routes) or over the long connection (plaintext frames pushed through
// the stand-in's WebSocket, the answer in the acknowledgement).
import { delivery } from './deliveries.js';
import { tryParse } from './json.js';
import type { StandIn } from './index.js';

export type Delivered = { ok: true; body: unknown } | { ok: false; error: string };

export interface Transport {
  /** header.token of the payloads: the verification token over HTTP, empty over the long connection. */
  token: string;
  /** An event; ok once the bot has acknowledged it. */
  event(payload: object): Promise<Delivered>;
  /** A card callback; ok with the bot's answer, within the platform's deadline. */
  callback(payload: object, deadlineMs: number): Promise<Delivered>;
}

const DELIVERY_TIMEOUT_MS = 5000;
/** The platform's own deadline for a card callback's answer (then Feishu shows error 200341). */
export const CALLBACK_DEADLINE_MS = 3000;

export function webhookTransport(options: { botUrl: () => string; encryptKey: string; verificationToken: string }): Transport {
  const post = (route: string, payload: object, timeoutMs: number) => {
    const d = delivery(payload, { encryptKey: options.encryptKey });
    return fetch(options.botUrl() + route, { method: 'POST', headers: d.headers, body: d.body, signal: AbortSignal.timeout(timeoutMs) });
  };
  return {
    token: options.verificationToken,
    async event(payload) {
      let status: number;
      try {
        status = (await post('/webhook/event', payload, DELIVERY_TIMEOUT_MS)).status;
      } catch {
        return { ok: false, error: 'The bot did not answer the delivery.' };
      }
      return status === 200 ? { ok: true, body: {} } : { ok: false, error: `The bot answered the delivery with HTTP ${status}.` };
    },
    async callback(payload, deadlineMs) {
      let answer: Response;
      try {
        answer = await post('/webhook/card', payload, deadlineMs);
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError';
        return { ok: false, error: timedOut ? 'The bot did not answer the callback in time (Feishu shows error 200341).' : 'The bot could not be reached.' };
      }
      if (answer.status !== 200) return { ok: false, error: `The bot answered the callback with HTTP ${answer.status}.` };
      return { ok: true, body: tryParse(await answer.text())?.value };
    },
  };
}

export function longConnectionTransport(standin: StandIn): Transport {
  return {
    token: '',
    async event(payload) {
      // The platform pushes it again later if this attempt fails; the console reports the first.
      const attempt = await standin.ws.push(payload).first;
      switch (attempt.outcome) {
        case 'acked':
          return { ok: true, body: {} };
        case 'failed':
          return { ok: false, error: `The bot refused the event (acknowledged with code ${attempt.ack?.code}); Feishu pushes it again later.` };
        case 'no-connection':
          return { ok: false, error: 'The bot has no long connection open; Feishu pushes the event again once it connects.' };
        default:
          return { ok: false, error: 'The bot did not acknowledge the event in 3 s; Feishu pushes it again later.' };
      }
    },
    async callback(payload, deadlineMs) {
      const push = standin.ws.push(payload, { repush: false });
      const attempt = await Promise.race([push.first, new Promise<undefined>((r) => setTimeout(() => r(undefined), deadlineMs).unref())]);
      if (!attempt || attempt.outcome === 'no-ack') return { ok: false, error: 'The bot did not answer the callback in time (Feishu shows error 200341).' };
      if (attempt.outcome === 'no-connection') return { ok: false, error: 'The bot has no long connection open.' };
      if (attempt.outcome !== 'acked') return { ok: false, error: `The bot failed to answer the callback (acknowledged with code ${attempt.ack?.code}).` };
      return { ok: true, body: attempt.ack?.data ?? {} };
    },
  };
}
