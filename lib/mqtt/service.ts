/**
 * What nodes see of MQTT. Implemented by the ConnectionManager (lib/mqtt/connections.ts):
 * one client per broker, ref-counted subscriptions, local dispatch through a topic trie, so
 * each matching node gets each message exactly once even with overlapping filters.
 */
export type QoS = 0 | 1 | 2;

export interface MqttMessage {
  topic: string;
  payload: Buffer;
  qos: QoS;
  retain: boolean;
}

export interface PublishOptions {
  qos?: QoS;
  retain?: boolean;
}

export interface MqttService {
  /**
   * Subscribe `handler` to `filter` on broker `brokerId` (an mqtt-broker config node id, or
   * "" for the default broker). Returns the function that removes this subscription; the
   * broker-level SUBSCRIBE/UNSUBSCRIBE happens on the first/last reference.
   * Throws an Error naming the problem if the filter is invalid.
   */
  subscribe(brokerId: string, filter: string, qos: QoS, handler: (message: MqttMessage) => void): () => void;
  /** Publish; resolves when the broker acknowledged (QoS ≥ 1) or the packet was written. Rejects with a readable Error. */
  publish(brokerId: string, topic: string, payload: string | Buffer, options?: PublishOptions): Promise<void>;
  /** Whether the broker connection is up (for status badges). */
  isConnected(brokerId: string): boolean;
  /** Subscribe to connection up/down changes of a broker; returns unsubscribe. */
  onConnectionChange(brokerId: string, listener: (connected: boolean) => void): () => void;
}
