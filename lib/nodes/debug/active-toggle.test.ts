/** The debug node's sidebar toggle while it runs (Node-RED's POST /debug/:id/enable|disable). */
import { expect, it } from "vitest";
import { runNode } from "../test-harness";
import { debugDefinition } from "./definition";
import { createDebugNode } from "./runtime";

it("stops and restarts sidebar output when toggled live, without a redeploy", async () => {
  const h = runNode(createDebugNode, debugDefinition.config.parse({}));
  await h.input({ payload: 1 });
  h.node.setActive?.(false);
  await h.input({ payload: 2 });
  h.node.setActive?.(true);
  await h.input({ payload: 3 });
  expect(h.debugEvents.map((e) => e.value)).toEqual([1, 3]);
});

it("a node deployed inactive shows messages once switched on", async () => {
  const h = runNode(createDebugNode, debugDefinition.config.parse({ active: false }));
  await h.input({ payload: "a" });
  h.node.setActive?.(true);
  await h.input({ payload: "b" });
  expect(h.debugEvents.map((e) => e.value)).toEqual(["b"]);
});
