// The official SDK, loaded once for the whole bot. It is one 6 MB CommonJS file: imported as an ES
// module, Node first scans all of it for its export names, which costs about 250 ms and 30 MB of
// memory at every start; required, it is only compiled, lazily. The built bot requires the
// compacted copy scripts/build.mjs puts beside it (dist/vendor/: the same code without its
// comments, 9 MB less heap); run from the sources (tests, npm run dev), the package itself. Its
// types are imported as usual (`import type * as lark`), which costs nothing at run time.
import { createRequire } from 'node:module';
import type * as lark from '@larksuiteoapi/node-sdk';

const require = createRequire(import.meta.url);
const COMPACTED = './vendor/node-sdk.cjs';

export const sdk: typeof lark = load();

function load(): typeof lark {
  try {
    return require(COMPACTED) as typeof lark;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code !== 'MODULE_NOT_FOUND' || !e.message.includes(COMPACTED)) throw error;
  }
  return require('@larksuiteoapi/node-sdk') as typeof lark;
}
