/**
 * The switch widget's state, like a Tasmota or Zigbee2MQTT device: the state topic says
 * whether the device is on; pressing publishes a command to the command topic and shows
 * "pending" until the state topic confirms the new state; without a confirmation within
 * the timeout the switch goes back to what the device last reported. Pure (time is passed in).
 */
export type OnOff = "on" | "off";
export type Reported = OnOff | "unknown";

export interface SwitchModel {
  /** What the state topic last said. */
  reported: Reported;
  /** A command sent and not yet confirmed. */
  pending: { target: OnOff; since: number } | null;
  /** Why the last command did not take effect (cleared by the next confirmation or press). */
  problem: string | null;
}

export const SWITCH_CONFIRM_TIMEOUT_MS = 5000;

export const initialSwitch: SwitchModel = { reported: "unknown", pending: null, problem: null };

/** Reads a state value: "on" when it matches onState (case-insensitive), "off" otherwise. */
export function reportedFromValue(value: unknown, onState: string): Reported {
  if (value === undefined || value === null) return "unknown";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return text.trim().toLowerCase() === onState.trim().toLowerCase() ? "on" : "off";
}

/** What the switch shows: the pending target while waiting, else the reported state. */
export function shownState(model: SwitchModel): Reported {
  return model.pending ? model.pending.target : model.reported;
}

/** Pressing: the target is the opposite of what is shown. Returns the new model and the payload to publish. */
export function pressSwitch(
  model: SwitchModel,
  now: number,
  payloads: { onPayload: string; offPayload: string; hasStateTopic: boolean },
): { model: SwitchModel; target: OnOff; payload: string } {
  const target: OnOff = shownState(model) === "on" ? "off" : "on";
  const payload = target === "on" ? payloads.onPayload : payloads.offPayload;
  if (!payloads.hasStateTopic) {
    // Nothing will confirm it: the command is all we know.
    return { model: { reported: target, pending: null, problem: null }, target, payload };
  }
  return { model: { ...model, pending: { target, since: now }, problem: null }, target, payload };
}

/** A value arrived on the state topic. */
export function stateArrived(model: SwitchModel, value: unknown, onState: string): SwitchModel {
  const reported = reportedFromValue(value, onState);
  if (model.pending && reported === model.pending.target) return { reported, pending: null, problem: null };
  return { ...model, reported };
}

/** Publishing failed: back to what the device reported, with the reason. */
export function commandFailed(model: SwitchModel, message: string): SwitchModel {
  return { ...model, pending: null, problem: message };
}

/** Time passes: an unconfirmed command is given up after the timeout. */
export function tickSwitch(model: SwitchModel, now: number, stateTopic: string, timeoutMs = SWITCH_CONFIRM_TIMEOUT_MS): SwitchModel {
  if (!model.pending || now - model.pending.since < timeoutMs) return model;
  return {
    ...model,
    pending: null,
    problem: `No confirmation on ${stateTopic} within ${Math.round(timeoutMs / 1000)} s`,
  };
}
