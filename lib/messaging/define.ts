// One message's definition in the protocol (./protocol.ts): who may send it, and its request and
// response schemas, built on first use. The service worker evaluates the protocol on every start,
// and zod constructs every schema object when it is declared: building each message's schemas
// there cost milliseconds of each wake for messages the wake never sees.
import type { z } from 'zod';
import type { SenderContext } from './protocol';

export function def<Req extends z.ZodType, Res extends z.ZodType>(from: readonly SenderContext[], request: () => Req, response: () => Res) {
  let req: Req | undefined;
  let res: Res | undefined;
  return {
    from,
    get request(): Req {
      return (req ??= request());
    },
    get response(): Res {
      return (res ??= response());
    },
  };
}
