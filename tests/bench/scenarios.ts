/**
 * What the generator sends and expects in each message scenario (S1, S2, S4; S3 has its own
 * schedule in load.ts), and the flows each one deploys.
 */
import { fanOutFlows, relayFlows, ruleFlows, type Qos } from "./flows";
import type { NodeRedNode } from "../../lib/flow/node-red";
import type { LoadProfile } from "./load";

export interface MessageScenario {
  id: "S1" | "S2" | "S4";
  title: string;
  profile: LoadProfile;
  flows(port: number, qos: Qos): NodeRedNode[];
}

const payloadKey = (_topic: string, payload: Buffer) => payload.toString();

/** S1: in/<k> with payload <n> must come out on out/<k> with the same payload. */
export function relayScenario(): MessageScenario {
  return {
    id: "S1",
    title: "S1 relay",
    profile: {
      outputFilter: "out/+",
      input: (n) => ({ topic: `in/${n % 1000}`, payload: String(n), expect: String(n) }),
      outputKey: payloadKey,
    },
    flows: relayFlows,
  };
}

/**
 * S2: house/r<room>/temp with {"t": …, "seq": n}; every other message is hot (t > 25) and
 * must produce "cool-on" on house/r<room>/ac, the others nothing. Rooms cycle through
 * `rooms`, and a room alternates between hot and cold on successive rounds.
 */
export function ruleScenario(rooms: number): MessageScenario {
  return {
    id: "S2",
    title: `S2 rule (${rooms.toLocaleString("en")} rooms)`,
    profile: {
      outputFilter: "house/+/ac",
      input: (n) => {
        const room = n % rooms;
        const hot = (Math.floor(n / rooms) + n) % 2 === 0;
        return {
          topic: `house/r${room}/temp`,
          payload: `{"t":${hot ? 27.5 : 21.5},"seq":${n}}`,
          expect: hot ? `house/r${room}/ac` : null,
        };
      },
      outputKey: (topic) => topic,
    },
    flows: ruleFlows,
  };
}

/** S4: t/<n mod inputs> with payload <n>, all relayed by one mqtt out to fan/out. */
export function fanOutScenario(inputs: number): MessageScenario {
  return {
    id: "S4",
    title: `S4 fan-out (${inputs.toLocaleString("en")} mqtt in)`,
    profile: {
      outputFilter: "fan/out",
      input: (n) => ({ topic: `t/${n % inputs}`, payload: String(n), expect: String(n) }),
      outputKey: payloadKey,
    },
    flows: (port, qos) => fanOutFlows(port, qos, inputs),
  };
}
