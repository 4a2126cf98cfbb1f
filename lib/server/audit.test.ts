import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../db/testing";
import { AuditService } from "./audit";

const t = useTestDatabase();

describe("audit log", () => {
  it("keeps entries newest first with paging and an action filter", async () => {
    const audit = new AuditService(t.prisma);
    for (let i = 0; i < 5; i++) await audit.record({ actor: "admin", action: i % 2 ? "user.create" : "deploy", target: `t${i}`, details: { i }, ip: "127.0.0.1" });
    const page1 = await audit.list({ limit: 2 });
    expect(page1.entries.map((e) => e.target)).toEqual(["t4", "t3"]);
    const page2 = await audit.list({ limit: 2, before: page1.next ?? undefined });
    expect(page2.entries.map((e) => e.target)).toEqual(["t2", "t1"]);
    expect((await audit.list({ limit: 10, action: "user." })).entries.map((e) => e.target)).toEqual(["t3", "t1"]);
    expect(page1.actions).toEqual(["deploy", "user.create"]);
    expect(page1.entries[0].details).toEqual({ i: 4 });
  });

  it("prunes to the newest maxRows", async () => {
    await t.prisma.auditEntry.deleteMany();
    const audit = new AuditService(t.prisma, { maxRows: 3 });
    for (let i = 0; i < 6; i++) await audit.record({ actor: "a", action: "x", target: String(i) });
    expect(await audit.prune()).toBe(3);
    expect((await audit.list({ limit: 10 })).entries.map((e) => e.target)).toEqual(["5", "4", "3"]);
  });

  it("never throws into the caller, even when the database is gone or details are circular", async () => {
    const warnings: string[] = [];
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const audit = new AuditService(t.prisma, { warn: (w) => warnings.push(w) });
    await expect(audit.record({ actor: "a", action: "circular", details: circular })).resolves.toBeUndefined();
    const broken = new AuditService({ auditEntry: { create: () => Promise.reject(new Error("disk full")) } } as never, { warn: (w) => warnings.push(w) });
    await expect(broken.record({ actor: "a", action: "deploy" })).resolves.toBeUndefined();
    expect(warnings.some((w) => w.includes("could not record 'deploy': disk full"))).toBe(true);
  });
});
