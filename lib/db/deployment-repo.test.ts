import { beforeEach, describe, expect, it } from "vitest";
import { deploymentSummarySchema } from "../api/schemas";
import type { FlowDocument } from "../flow/schema";
import { DeploymentReadError, createDeployment, getDeployment, latestDeployment, listDeployments } from "./deployment-repo";
import { useTestDatabase } from "./testing";

const t = useTestDatabase();

function docWith(name: string): FlowDocument {
  return {
    schemaVersion: 1,
    flows: [{ id: "f1", name, disabled: false, info: "", nodes: [{ id: "n1", type: "inject", name: "", x: 1, y: 2, wires: [[]], disabled: false, config: { repeat: "5" } }] }],
    configNodes: [],
  };
}

beforeEach(async () => {
  await t.prisma.deployment.deleteMany();
});

describe("deployment repository", () => {
  it("has no latest deployment before the first deploy", async () => {
    expect(await latestDeployment(t.prisma)).toBeNull();
    expect(await listDeployments(t.prisma)).toEqual([]);
  });

  it("stores a snapshot and gives it back as deployed", async () => {
    const before = Date.now();
    const created = await createDeployment(t.prisma, { document: docWith("One"), note: "first", createdBy: "admin", nodeCount: 1 });
    expect(created).toMatchObject({ note: "first", createdBy: "admin", nodeCount: 1, document: docWith("One") });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await getDeployment(t.prisma, created.id)).toEqual(created);
    expect(await latestDeployment(t.prisma)).toEqual(created);
  });

  it("lists deployments newest first, as API summaries", async () => {
    const ids: number[] = [];
    for (const name of ["One", "Two", "Three"]) {
      ids.push((await createDeployment(t.prisma, { document: docWith(name), note: name, createdBy: "admin", nodeCount: 1 })).id);
    }
    const list = await listDeployments(t.prisma);
    expect(list.map((d) => d.note)).toEqual(["Three", "Two", "One"]);
    expect(list.map((d) => d.id)).toEqual([...ids].reverse());
    for (const d of list) {
      expect(deploymentSummarySchema.strict().parse(d)).toEqual(d);
      expect(new Date(d.createdAt).toISOString()).toBe(d.createdAt);
    }
    expect((await listDeployments(t.prisma, 2)).map((d) => d.note)).toEqual(["Three", "Two"]);
    expect((await latestDeployment(t.prisma))?.document.flows[0].name).toBe("Three");
  });

  it("returns null for an unknown deployment id", async () => {
    expect(await getDeployment(t.prisma, 987654)).toBeNull();
  });

  it("names the deployment whose stored document is unreadable", async () => {
    const created = await createDeployment(t.prisma, { document: docWith("One"), note: "", createdBy: "", nodeCount: 1 });
    await t.prisma.deployment.update({ where: { id: created.id }, data: { document: "{broken" } });
    const err = await getDeployment(t.prisma, created.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeploymentReadError);
    expect((err as DeploymentReadError).deploymentId).toBe(created.id);
    expect((err as Error).message).toMatch(new RegExp(`Deployment #${created.id} cannot be read: its document is not valid JSON`));
  });
});
