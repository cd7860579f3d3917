// What a log line says of something thrown: its message, whatever was thrown. Every error the bot
// makes itself says what failed without secrets (see feishu/errors.ts), so the message is enough.

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
