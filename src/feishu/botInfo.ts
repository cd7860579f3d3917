// The bot's own open_id, which tells its mention apart from everyone else's in group messages.
// Asked once at start-up; a failure names what the operator should check.
import type * as lark from '@larksuiteoapi/node-sdk';
import { startupRetries } from '../resilience/retry.js';
import { realSleep, type Sleep } from '../resilience/timing.js';
import { fromThrown, kindOf, PlatformError, retryVerdict } from './errors.js';

export async function fetchBotOpenId(client: lark.Client, sleep: Sleep = realSleep): Promise<string> {
  try {
    // Wrong credentials will not fix themselves; a network blip or a 5xx might.
    return await startupRetries(() => ask(client).catch((error: unknown) => Promise.reject(fromThrown(error))), retryVerdict, sleep);
  } catch (error) {
    const e = fromThrown(error);
    throw new Error(e.details.tokenEndpoint ? explainToken(e) : explain(e.kind, e.message));
  }
}

async function ask(client: lark.Client): Promise<string> {
  const res: { code?: number; msg?: string; bot?: { open_id?: string } } = await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' });
  const openId = res?.bot?.open_id;
  if (res?.code === 0 && typeof openId === 'string' && openId.startsWith('ou_')) return openId;
  throw new PlatformError(typeof res?.code === 'number' ? kindOf(res.code, 200) : 'upstream', `bot info answered code ${String(res?.code)}: ${String(res?.msg ?? '')}`, {
    status: 200,
    ...(typeof res?.code === 'number' ? { code: res.code } : {}),
  });
}

/** Every call needs a tenant token first: when the token endpoint fails, that is what is said. */
function explainToken(e: PlatformError): string {
  const what = `could not get a tenant access token from the platform (POST ${TOKEN_ENDPOINT}): ${e.message}`;
  if (e.kind === 'network' || e.kind === 'timeout') return `${what}. Check feishu.domain (FEISHU_DOMAIN) and the network or proxy between here and the platform.`;
  if (e.kind === 'upstream' || e.kind === 'rate-limited') return `${what}. The platform failed; start the bot again shortly.`;
  return `${what}. Check feishu.app_id and feishu.app_secret (FEISHU_APP_ID, FEISHU_APP_SECRET) against Credentials & Basic Info in the developer console.`;
}

const TOKEN_ENDPOINT = '/open-apis/auth/v3/tenant_access_token/internal';

function explain(kind: string, detail: string): string {
  const what = "could not learn the bot's open_id from the platform (GET /open-apis/bot/v3/info)";
  switch (kind) {
    case 'unauthorized':
      return `${what}: the platform refused the app's credentials (${detail}). Check feishu.app_id and feishu.app_secret (FEISHU_APP_ID, FEISHU_APP_SECRET), and that the app has the bot capability.`;
    case 'network':
    case 'timeout':
      return `${what}: ${detail}. Check feishu.domain (FEISHU_DOMAIN) and the network, or set feishu.bot_open_id to skip this call.`;
    default:
      return `${what}: ${detail}. Set feishu.bot_open_id to skip this call, or check the app's bot capability.`;
  }
}
