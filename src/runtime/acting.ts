// What acting on tickets needs, built from the Config: the helpdesk's writes, and, when
// sign_in.token_key is set, agents' sign-in (the way in, and their sealed tokens in the state).
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Config } from '../config/schema.js';
import { platformHttp } from '../feishu/client.js';
import { Sealer } from '../feishu/sealed.js';
import { SignIn } from '../feishu/signIn.js';
import { UserTokens } from '../feishu/userTokens.js';
import type { Logger } from '../obs/log.js';
import type { Clock } from '../resilience/clock.js';
import { realSleep } from '../resilience/timing.js';
import type { State } from '../state/types.js';

/** Sign-in, or undefined while it is off. `publicUrl`: the bot's address as browsers reach it ("" for the device flow). */
export function signInFor(config: Config, client: lark.Client, state: State, clock: Clock, log: Logger, publicUrl: () => string): { flow: SignIn; tokens: UserTokens } | undefined {
  const tokenKey = config.sign_in.token_key;
  if (!tokenKey) return undefined;
  const sealer = new Sealer(tokenKey);
  const tokens = new UserTokens({ client, records: state.records, locks: state.locks, sealer, appId: config.feishu.app_id, clock, sleep: realSleep, log });
  const flow = new SignIn({
    client,
    http: platformHttp(config.upstream.timeout_ms),
    appId: config.feishu.app_id,
    appSecret: config.feishu.app_secret,
    oauthUrl: config.feishu.oauth_url,
    publicUrl,
    tokenKey,
    records: state.records,
    sealer,
    tokens,
    clock,
    log,
  });
  return { flow, tokens };
}
