// The test app's credentials, shared by the in-process harness, spawned processes and the bench.
export const SECRETS = {
  appId: 'cli_a1b2c3d4e5f60718',
  appSecret: 'test-app-secret',
  verificationToken: 'test-verification-token',
  encryptKey: 'test-encrypt-key',
  helpdeskId: '7001',
  helpdeskToken: 'test-helpdesk-token',
  botOpenId: 'ou_bot_0000000000000000000000000001',
};

/** The environment of those credentials, with the SDK pointed at a stand-in. */
export function credentialsFor(domain: string): Record<string, string> {
  return {
    FEISHU_APP_ID: SECRETS.appId,
    FEISHU_APP_SECRET: SECRETS.appSecret,
    FEISHU_VERIFICATION_TOKEN: SECRETS.verificationToken,
    FEISHU_ENCRYPT_KEY: SECRETS.encryptKey,
    FEISHU_HELPDESK_ID: SECRETS.helpdeskId,
    FEISHU_HELPDESK_TOKEN: SECRETS.helpdeskToken,
    FEISHU_DOMAIN: domain,
  };
}
