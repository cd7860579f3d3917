// The official SDK, loaded once for the whole bot. It is one 6 MB CommonJS file: imported as an ES
// module, Node first scans all of it for its export names, which costs about 250 ms and 30 MB of
// memory at every start; required, it is only compiled, lazily. Its types are imported as usual
// (`import type * as lark`), which costs nothing at run time.
import { createRequire } from 'node:module';
import type * as lark from '@larksuiteoapi/node-sdk';

export const sdk: typeof lark = createRequire(import.meta.url)('@larksuiteoapi/node-sdk');
