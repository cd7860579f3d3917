// The helpdesk pushes ticket events only to apps that asked for them: POST
// /open-apis/helpdesk/v1/events/subscribe, with the helpdesk credential. The bot asks at start-up
// (every instance; asking again is harmless) and the doctor asks too, to see that it works.
import type * as lark from '@larksuiteoapi/node-sdk';
import { sdk } from '../feishu/sdk.js';
import { fromCode, fromThrown, type PlatformError } from '../feishu/errors.js';

/** The events the bot acts on: a ticket created, a ticket changed. */
export const TICKET_EVENTS = [
  { type: 'helpdesk.ticket', subtype: 'ticket.created_v1' },
  { type: 'helpdesk.ticket', subtype: 'ticket.updated_v1' },
] as const;

/** The event types as they arrive (header.event_type), for messages to the operator. */
export const TICKET_EVENT_TYPES = TICKET_EVENTS.map((e) => `${e.type}.${e.subtype.split('.').pop()}`);

/** Subscribes to the ticket events; throws a PlatformError saying why not. */
export async function subscribeTicketEvents(client: lark.Client): Promise<void> {
  let res: { code?: number; msg?: string };
  try {
    res = await client.helpdesk.v1.event.subscribe({ data: { events: TICKET_EVENTS.map((e) => ({ ...e })) } }, sdk.withHelpDeskCredential());
  } catch (error) {
    throw fromThrown(error);
  }
  if (res && typeof res.code === 'number' && res.code !== 0) throw fromCode(res.code, res.msg);
}

/** What the operator should do about a failed subscription. */
export function subscribeFix(error: PlatformError): string {
  switch (error.kind) {
    case 'unauthorized':
      return 'check helpdesk.id and helpdesk.token (FEISHU_HELPDESK_ID, FEISHU_HELPDESK_TOKEN) and that the app has the helpdesk:all:readonly scope';
    case 'network':
    case 'timeout':
    case 'upstream':
    case 'rate-limited':
      return 'the platform could not be reached or was busy; the bot asks again at its next start (or run npm run doctor to retry now)';
    default:
      return 'check that the app is a custom app in the tenant that owns the helpdesk, with the helpdesk:all:readonly scope';
  }
}
