/**
 * The baseline: each scenario's logic hand-written on MQTT.js, no framework. It is the floor
 * any MQTT app in Node.js can reach on this machine, measured in the same run as Flowhouse.
 *
 *   node --import tsx tests/bench/baseline-relay.ts <mqtt-url> <S1|S2|S3|S4> <qos 0|1> [fan-out inputs] [motion delay ms]
 *
 * The benchmark runs it as plain JavaScript (transpiled once, `node --eval`), so its memory
 * is not inflated by the tsx loader (about 45 MB).
 *
 * Prints "ready" once its subscriptions are acknowledged. Exits on SIGTERM/SIGINT or when
 * its stdin closes (the benchmark died), so it never outlives the benchmark.
 */
import mqtt from "mqtt";

// Arguments start at the broker URL (run as a file, or as `node --eval` from the benchmark).
const args = process.argv.slice(process.argv.findIndex((a, i) => i > 0 && /^mqtts?:\/\//.test(a)));
const [url, scenario, qosArg, inputsArg = "1000", delayArg = "500"] = args;
const qos = qosArg === "1" ? 1 : 0;
const fanOutInputs = Number(inputsArg);
const motionDelayMs = Number(delayArg);

if (!url || !["S1", "S2", "S3", "S4"].includes(scenario)) {
  console.error("usage: baseline-relay.ts <mqtt-url> <S1|S2|S3|S4> <qos 0|1> [fan-out inputs] [motion delay ms]");
  process.exit(2);
}

const client = mqtt.connect(url, { clean: true, reconnectPeriod: 1000, protocolVersion: 4 });
const publishOpts = { qos, retain: false } as const;

type Handler = (topic: string, payload: Buffer) => void;

function relay(): { filters: string[]; onMessage: Handler } {
  const re = /^in\/(.+)$/;
  return { filters: ["in/+"], onMessage: (topic, payload) => client.publish(topic.replace(re, "out/$1"), payload, publishOpts) };
}

function rule(): { filters: string[]; onMessage: Handler } {
  const re = /^house\/([^/]+)\/temp$/;
  return {
    filters: ["house/+/temp"],
    onMessage: (topic, payload) => {
      let value: { t?: unknown };
      try {
        value = JSON.parse(payload.toString()) as { t?: unknown };
      } catch {
        return;
      }
      if (typeof value?.t === "number" && value.t > 25) client.publish(topic.replace(re, "house/$1/ac"), "cool-on", publishOpts);
    },
  };
}

function motionLight(): { filters: string[]; onMessage: Handler } {
  const re = /^house\/([^/]+)\/motion$/;
  const timers = new Map<string, NodeJS.Timeout>();
  return {
    filters: ["house/+/motion"],
    onMessage: (topic) => {
      const light = topic.replace(re, "house/$1/light");
      const running = timers.get(topic);
      if (running) clearTimeout(running);
      else client.publish(light, "on", publishOpts);
      timers.set(
        topic,
        setTimeout(() => {
          timers.delete(topic);
          client.publish(light, "off", publishOpts);
        }, motionDelayMs),
      );
    },
  };
}

function fanOut(): { filters: string[]; onMessage: Handler } {
  return {
    filters: Array.from({ length: fanOutInputs }, (_, i) => `t/${i}`),
    onMessage: (_topic, payload) => client.publish("fan/out", payload, publishOpts),
  };
}

const logic = scenario === "S1" ? relay() : scenario === "S2" ? rule() : scenario === "S3" ? motionLight() : fanOut();
client.on("message", logic.onMessage);
client.on("error", (err) => console.error(`baseline: ${err.message}`));
client.once("connect", () => {
  client.subscribe(logic.filters, { qos }, (err) => {
    if (err) {
      console.error(`baseline: subscribe failed: ${err.message}`);
      process.exit(1);
    }
    console.log("ready");
  });
});

const quit = () => {
  client.end(true, () => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on("SIGTERM", quit);
process.on("SIGINT", quit);
process.stdin.on("end", quit);
process.stdin.on("error", quit);
process.stdin.resume();
