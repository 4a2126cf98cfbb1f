import { describe, expect, it } from "vitest";
import { commandFailed, initialSwitch, pressSwitch, reportedFromValue, shownState, stateArrived, tickSwitch } from "./switch-state";

const payloads = { onPayload: "ON", offPayload: "OFF", hasStateTopic: true };

describe("switch widget (state topic + command topic)", () => {
  it("shows what the state topic reports", () => {
    let m = stateArrived(initialSwitch, "ON", "ON");
    expect(shownState(m)).toBe("on");
    m = stateArrived(m, "OFF", "ON");
    expect(shownState(m)).toBe("off");
    expect(reportedFromValue("on", "ON")).toBe("on");
    expect(reportedFromValue(undefined, "ON")).toBe("unknown");
  });

  it("pressing an off switch publishes the ON payload and shows pending until the device confirms", () => {
    const off = stateArrived(initialSwitch, "OFF", "ON");
    const { model, payload, target } = pressSwitch(off, 1000, payloads);
    expect(payload).toBe("ON");
    expect(target).toBe("on");
    expect(model.pending).toEqual({ target: "on", since: 1000 });
    expect(shownState(model)).toBe("on");
    const confirmed = stateArrived(model, "ON", "ON");
    expect(confirmed.pending).toBeNull();
    expect(confirmed.reported).toBe("on");
  });

  it("an echo of the old state does not cancel the pending command", () => {
    const { model } = pressSwitch(stateArrived(initialSwitch, "OFF", "ON"), 0, payloads);
    const echoed = stateArrived(model, "OFF", "ON");
    expect(echoed.pending).not.toBeNull();
  });

  it("goes back to the reported state with a reason when no confirmation comes within 5 s", () => {
    const { model } = pressSwitch(stateArrived(initialSwitch, "OFF", "ON"), 0, payloads);
    expect(tickSwitch(model, 4999, "lab/plug/state")).toBe(model);
    const reverted = tickSwitch(model, 5000, "lab/plug/state");
    expect(reverted.pending).toBeNull();
    expect(shownState(reverted)).toBe("off");
    expect(reverted.problem).toMatch(/No confirmation on lab\/plug\/state within 5 s/);
  });

  it("pressing an unknown switch turns it on; pressing a pending-on switch sends OFF", () => {
    const first = pressSwitch(initialSwitch, 0, payloads);
    expect(first.payload).toBe("ON");
    const second = pressSwitch(first.model, 100, payloads);
    expect(second.payload).toBe("OFF");
    expect(second.model.pending?.target).toBe("off");
  });

  it("without a state topic the command is taken as the new state at once", () => {
    const { model } = pressSwitch(initialSwitch, 0, { ...payloads, hasStateTopic: false });
    expect(model.pending).toBeNull();
    expect(shownState(model)).toBe("on");
  });

  it("a failed publish clears pending and says why", () => {
    const { model } = pressSwitch(initialSwitch, 0, payloads);
    const failed = commandFailed(model, "Broker not connected");
    expect(failed.pending).toBeNull();
    expect(failed.problem).toBe("Broker not connected");
  });

  it("uses custom payloads and state values (Zigbee2MQTT JSON state at a path is compared by value)", () => {
    const custom = { onPayload: '{"state":"ON"}', offPayload: '{"state":"OFF"}', hasStateTopic: true };
    const m = stateArrived(initialSwitch, 1, "1");
    expect(shownState(m)).toBe("on");
    expect(pressSwitch(m, 0, custom).payload).toBe('{"state":"OFF"}');
  });
});
