// Which group chats the bot may post to. The stand-in does not hear of every group: tests and the
// console speak in groups they make up, and the demo helpdesk has its own. So a group counts as one
// the bot is in unless the stand-in was told otherwise: the bot was removed from it (until it is
// added again) or the group was disbanded (for good). Posting there is refused as the platform
// refuses it (the send and reply APIs' error tables).
import { E, type PlatformError } from './codes.js';

export class ChatBook {
  private readonly gone = new Map<string, 'removed' | 'disbanded'>();

  added(chatId: string): void {
    if (this.gone.get(chatId) === 'removed') this.gone.delete(chatId);
  }

  removed(chatId: string): void {
    if (!this.gone.has(chatId)) this.gone.set(chatId, 'removed');
  }

  disbanded(chatId: string): void {
    this.gone.set(chatId, 'disbanded');
  }

  /** Why the bot may not post to this chat, or undefined when it may. */
  refusal(chatId: string): PlatformError | undefined {
    const gone = this.gone.get(chatId);
    return gone === 'removed' ? E.imBotNotInChat : gone === 'disbanded' ? E.imChatDisbanded : undefined;
  }
}
