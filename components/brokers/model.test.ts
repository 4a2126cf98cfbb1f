/** The Brokers form model: what is sent, which secrets are kept, errors per field. */
import { describe, expect, it } from "vitest";
import { emptyForm, errorsFromIssues, formFromView, generateClientId, inputFromForm, instanceIdFrom, validateForm } from "./model";
import { brokerSettingsSchema, type BrokerView } from "../../lib/brokers/schema";

const view = (over: Partial<BrokerView> = {}): BrokerView => ({
  id: "b1",
  name: "Home",
  source: "settings",
  settings: brokerSettingsSchema.parse({ url: "mqtt://10.0.0.2:1883", clientId: "flowhouse-abcd1234-0001", username: "u" }),
  secretsSet: { password: true, key: false, passphrase: false },
  health: { connected: true, lastError: null, lastErrorAt: null, lastConnectedAt: null, reconnects: 0, outbox: 0 },
  warnings: [],
  usedBy: [],
  ...over,
});

describe("Brokers form", () => {
  it("leaves a stored password out when the field is empty, sends '' when the user removes it", () => {
    const f = formFromView(view());
    expect(inputFromForm(f).secrets).toEqual({});
    expect(inputFromForm({ ...f, password: "new" }).secrets).toEqual({ password: "new" });
    expect(inputFromForm({ ...f, clearPassword: true, password: "ignored" }).secrets).toEqual({ password: "" });
  });

  it("shows each problem under its field, with the server's wording", () => {
    const errors = validateForm({ ...emptyForm(), url: "http://x", keepaliveSeconds: "abc" });
    expect(errors.name).toBe("Give the broker a name");
    expect(errors.url).toMatch(/URL must look like mqtt:\/\/host:1883/);
    expect(errors.keepaliveSeconds).toBeDefined();
    expect(validateForm({ ...emptyForm(), name: "A", url: "mqtts://h:8883", cert: "-----BEGIN CERTIFICATE-----\nx" }).key).toMatch(/needs its private key/);
    expect(validateForm({ ...formFromView(view()), name: "A" })).toEqual({});
    expect(errorsFromIssues([{ path: "settings.tls.ca", message: "bad" }, { path: "weird", message: "x" }])).toEqual({ ca: "bad", form: "weird: x" });
  });

  it("generates client ids like the server: flowhouse-<instance>-<random4>", () => {
    const views = [view({ id: "", source: "env", settings: brokerSettingsSchema.parse({ url: "mqtt://127.0.0.1:1883", status: { topic: "flowhouse/abcd1234/status" } }) })];
    expect(instanceIdFrom(views)).toBe("abcd1234");
    expect(generateClientId("abcd1234", () => 0.5)).toBe("flowhouse-abcd1234-8000");
  });
});
