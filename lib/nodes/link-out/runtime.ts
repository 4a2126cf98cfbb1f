import type { NodeFactory } from "../../runtime/node-api";
import type { LinkOutConfig } from "./definition";

export const createLinkOutNode: NodeFactory<LinkOutConfig> = (config, services) => ({
  input(msg) {
    if (config.mode === "return") {
      if (!services.linkReturn(msg)) {
        services.error(new Error("link return: this message did not come from a link call node, so there is nowhere to return it"), msg);
      }
      return;
    }
    if (config.links.length > 0) services.linkTo(config.links, msg);
  },
});
