// The console drives the sandbox's bot (types as its user, clicks its buttons), so only a page of
// its own may use it. A page on another site could otherwise reach it through DNS rebinding: its
// name made to resolve to 127.0.0.1, the browser would send it the console's requests as
// same-origin, with that name in the Host header. So the console answers only to the names it is
// reached by here: localhost, or an IP address, which no one can rebind (a published port of a
// container is reached by the host's address).
import type { RequestHandler } from 'express';
import { isIP } from 'node:net';

/** The host name of a Host header, without its port ("[::1]:3000" -> "::1"). */
function hostname(header: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  if (bracketed) return bracketed[1]!;
  return header.replace(/:\d+$/, '');
}

/** Whether a Host header names this machine the way only it can be named: localhost or an IP. */
export function isOwnHost(header: string | undefined): boolean {
  if (!header) return false;
  const name = hostname(header.trim().toLowerCase()).replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || isIP(name) !== 0;
}

/** Refuses (403) a console request whose Host is a name someone else may point here. */
export const ownHostOnly: RequestHandler = (req, res, next) => {
  if (isOwnHost(req.headers.host)) return next();
  res
    .status(403)
    .type('text/plain; charset=utf-8')
    .send('The sandbox console answers only at http://localhost:<port> or at an IP address of this machine, not under another name (a page elsewhere could use one to drive it).\n');
};
