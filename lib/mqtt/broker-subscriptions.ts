/**
 * Which filters to SUBSCRIBE to at the broker, given the filters handlers asked for.
 *
 * Why not simply one broker subscription per requested filter: MQTT brokers may send one
 * copy of a message per matching subscription of a client (mosquitto does; the spec allows
 * it, [MQTT-3.3.5-1]), and in MQTT 3.1.1 a copy does not say which subscription produced
 * it. With `a/b` and `a/#` both subscribed, a handler on `a/#` would get `a/b` twice.
 *
 * So plain (non-shared) filters that overlap are merged into one broader filter covering
 * both (`a/+` + `+/b` → `+/+`, `a/b` + `a/#` → `a/#`), until the broker-level filters are
 * pairwise disjoint: every published message then reaches this client at most once, and the
 * local trie hands it to each matching handler once. The price is extra traffic for
 * topics the merged filter covers but no handler wants (dropped locally).
 *
 * Shared subscriptions (`$share/g/f`) are kept as they are: merging across groups would
 * change which messages this client is given.
 */
import type { QoS } from "./service";
import { filtersOverlap, isSharedFilter, joinFilters } from "./topic";

/** requested filter → highest QoS requested for it; returns broker filter → QoS. */
export function planBrokerSubscriptions(requested: ReadonlyMap<string, QoS>): Map<string, QoS> {
  const plan = new Map<string, QoS>();
  // Sorted so the same requests always give the same plan (no churn on recompute).
  const filters = [...requested.keys()].sort();
  const merged: { filter: string; qos: QoS }[] = [];
  for (const filter of filters) {
    const qos = requested.get(filter) ?? 0;
    if (isSharedFilter(filter)) {
      plan.set(filter, qos);
      continue;
    }
    let current = { filter, qos };
    // Each merge removes one entry, so this loop ends.
    for (let i = 0; i < merged.length; ) {
      if (filtersOverlap(merged[i].filter, current.filter)) {
        const other = merged[i];
        merged.splice(i, 1);
        current = { filter: joinFilters(other.filter, current.filter), qos: maxQos(other.qos, current.qos) };
        i = 0; // the broader filter may now overlap entries already passed
      } else {
        i++;
      }
    }
    merged.push(current);
  }
  for (const { filter, qos } of merged) plan.set(filter, qos);
  return plan;
}

export function maxQos(a: QoS, b: QoS): QoS {
  return a >= b ? a : b;
}
