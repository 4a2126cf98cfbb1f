import { describe, expect, it } from "vitest";
import { deleteSetting, getSetting, setSetting } from "./settings-repo";
import { useTestDatabase } from "./testing";

const t = useTestDatabase();

describe("settings", () => {
  it("returns null for a setting never set, then the stored value, then the overwritten one", async () => {
    expect(await getSetting(t.prisma, "example.seeded")).toBeNull();
    await setSetting(t.prisma, "example.seeded", "2025-01-01T00:00:00.000Z");
    expect(await getSetting(t.prisma, "example.seeded")).toBe("2025-01-01T00:00:00.000Z");
    await setSetting(t.prisma, "example.seeded", "again");
    expect(await getSetting(t.prisma, "example.seeded")).toBe("again");
    await deleteSetting(t.prisma, "example.seeded");
    await deleteSetting(t.prisma, "example.seeded");
    expect(await getSetting(t.prisma, "example.seeded")).toBeNull();
  });
});
