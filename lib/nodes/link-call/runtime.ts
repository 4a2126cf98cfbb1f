import type { Msg } from "../../runtime/message";
import type { NodeFactory, TimerHandle } from "../../runtime/node-api";
import type { LinkCallConfig } from "./definition";

interface LinkSource {
  id: string;
  /** Per-call token, so a late answer after a timeout is not sent twice. */
  call: number;
}

export const createLinkCallNode: NodeFactory<LinkCallConfig> = (config, services) => {
  const waiting = new Map<number, TimerHandle>();
  let calls = 0;
  return {
    input(msg) {
      const call = ++calls;
      const stack = Array.isArray(msg._linkSource) ? [...(msg._linkSource as LinkSource[])] : [];
      stack.push({ id: services.id, call });
      const timeoutMs = config.timeout * 1000;
      waiting.set(
        call,
        services.timers.setTimeout(() => {
          waiting.delete(call);
          services.error(new Error(`link call: no answer within ${config.timeout} s (is there a link out in return mode at the end of the called flow?)`), msg);
        }, timeoutMs),
      );
      services.linkTo(config.links, { ...msg, _linkSource: stack });
    },
    linkReturned(msg: Msg) {
      const stack = [...(msg._linkSource as LinkSource[])];
      const me = stack.pop();
      if (!me || me.id !== services.id) return;
      const timer = waiting.get(me.call);
      if (!timer) return; // timed out already
      services.timers.clearTimeout(timer);
      waiting.delete(me.call);
      const out: Msg = { ...msg };
      if (stack.length > 0) out._linkSource = stack;
      else delete out._linkSource;
      services.send(out);
    },
  };
};
