import { beforeEach, describe, expect, it } from "vitest";
import type { FlowDocument } from "../flow/schema";
import { DraftReadError, getDraft, hasDraft, saveDraft } from "./draft-repo";
import { useTestDatabase } from "./testing";

const t = useTestDatabase();

function doc(): FlowDocument {
  return {
    schemaVersion: 1,
    flows: [
      {
        id: "f-garage",
        name: "Garage",
        disabled: false,
        info: "Door and light",
        nodes: [
          { id: "in", type: "mqtt in", name: "Motion", x: 100, y: 80, wires: [["tr"]], disabled: false, config: { topic: "garage/+", qos: "1", broker: "br" } },
          { id: "tr", type: "trigger", name: "", x: 300, y: 80, wires: [["out"], []], disabled: true, config: { duration: "2", units: "min", op1: "on" } },
          { id: "out", type: "mqtt out", name: "Light", x: 500, y: 80, wires: [], disabled: false, config: { topic: "garage/light/set", nested: { a: [1, 2, { b: null }] } } },
        ],
      },
      { id: "f-attic", name: "Attic", disabled: true, info: "", nodes: [] },
      { id: "f-basement", name: "Basement", disabled: false, info: "", nodes: [{ id: "dbg", type: "debug", name: "", x: 0, y: 0, wires: [], disabled: false, config: {} }] },
    ],
    configNodes: [
      { id: "br2", type: "mqtt-broker", name: "Cloud", config: { broker: "mqtt.example", port: 8883 } },
      { id: "br", type: "mqtt-broker", name: "Home", config: { broker: "localhost", port: 1883 } },
    ],
  };
}

beforeEach(async () => {
  await t.prisma.flow.deleteMany();
  await t.prisma.configNode.deleteMany();
});

describe("draft repository", () => {
  it("starts with an empty draft", async () => {
    expect(await hasDraft(t.prisma)).toBe(false);
    expect(await getDraft(t.prisma)).toEqual({ schemaVersion: 1, flows: [], configNodes: [] });
  });

  it("gives back exactly the saved document: tab order, nodes, wires, config and config node order", async () => {
    await saveDraft(t.prisma, doc());
    expect(await hasDraft(t.prisma)).toBe(true);
    expect(await getDraft(t.prisma)).toEqual(doc());
  });

  it("replaces the previous draft: removed tabs and config nodes are gone, reordered tabs keep the new order", async () => {
    await saveDraft(t.prisma, doc());
    const next = doc();
    next.flows = [next.flows[2], next.flows[0]];
    next.flows[1].name = "Garage (renamed)";
    next.configNodes = [next.configNodes[1]];
    await saveDraft(t.prisma, next);
    const stored = await getDraft(t.prisma);
    expect(stored.flows.map((f) => f.id)).toEqual(["f-basement", "f-garage"]);
    expect(stored.flows[1].name).toBe("Garage (renamed)");
    expect(stored.configNodes.map((c) => c.id)).toEqual(["br"]);
  });

  it("keeps the old draft whole when saving fails halfway", async () => {
    await saveDraft(t.prisma, doc());
    // Make the last write of the transaction fail inside the database.
    await t.prisma.$executeRawUnsafe(
      `CREATE TRIGGER fail_config BEFORE INSERT ON "ConfigNode" WHEN NEW.type = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`,
    );
    try {
      const broken = doc();
      broken.flows = [{ id: "f-new", name: "New", disabled: false, info: "", nodes: [] }];
      broken.configNodes = [{ id: "x", type: "boom", name: "", config: {} }];
      await expect(saveDraft(t.prisma, broken)).rejects.toThrow();
    } finally {
      await t.prisma.$executeRawUnsafe("DROP TRIGGER fail_config");
    }
    expect(await getDraft(t.prisma)).toEqual(doc());
  });

  it("refuses two tabs with the same id and writes nothing", async () => {
    await saveDraft(t.prisma, doc());
    const bad = doc();
    bad.flows[1].id = "f-garage";
    await expect(saveDraft(t.prisma, bad)).rejects.toThrow("Two flows share the id 'f-garage'");
    expect(await getDraft(t.prisma)).toEqual(doc());
  });

  it("names the tab whose stored nodes are not valid JSON instead of crashing", async () => {
    await saveDraft(t.prisma, doc());
    await t.prisma.flow.update({ where: { id: "f-attic" }, data: { nodes: "[{oops" } });
    const err = await getDraft(t.prisma).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DraftReadError);
    expect((err as DraftReadError).flowId).toBe("f-attic");
    expect((err as DraftReadError).message).toMatch(/Draft flow 'Attic' \(id f-attic\) cannot be read: its nodes are not valid JSON/);
  });

  it("names the tab whose stored nodes have the wrong shape", async () => {
    await saveDraft(t.prisma, doc());
    await t.prisma.flow.update({ where: { id: "f-basement" }, data: { nodes: JSON.stringify([{ id: "", type: "debug" }]) } });
    await expect(getDraft(t.prisma)).rejects.toMatchObject({ name: "DraftReadError", flowId: "f-basement" });
  });

  it("names the config node whose stored configuration is unreadable", async () => {
    await saveDraft(t.prisma, doc());
    await t.prisma.configNode.update({ where: { id: "br" }, data: { config: "not json" } });
    await expect(getDraft(t.prisma)).rejects.toMatchObject({
      name: "DraftReadError",
      configNodeId: "br",
      message: expect.stringMatching(/Draft config node 'Home' \(mqtt-broker, id br\) cannot be read/),
    });
  });
});
