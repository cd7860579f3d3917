// What a failed platform call says about a write: whether it may have been applied anyway (the
// reply not sent twice, the card not claiming "nothing was changed"), and whether to try again.
import { describe, expect, it } from 'vitest';
import { PlatformError, type PlatformErrorKind } from '../../../src/feishu/errors.js';

const MAY_HAVE: PlatformErrorKind[] = ['upstream', 'timeout', 'network', 'unreadable'];
const REFUSED: PlatformErrorKind[] = ['not-found', 'unauthorized', 'token', 'bad-request', 'rate-limited', 'busy'];

describe('a failed write', () => {
  it.each(MAY_HAVE)('may have been applied after %s', (kind) => {
    expect(new PlatformError(kind, 'x').mayHaveHappened).toBe(true);
  });
  it.each(REFUSED)('changed nothing after %s', (kind) => {
    expect(new PlatformError(kind, 'x').mayHaveHappened).toBe(false);
  });
});
