/**
 * Context keys for per-topic last values. Context keys are property paths ("a.b", "a[0]"),
 * so a topic such as "sensor/temp.kitchen" cannot be a key as it is: the characters that
 * paths interpret (".", "[", "]", quotes, white space) and "%" itself are percent-encoded.
 * MQTT topics ("house/garage/temp") stay readable in the editor's context view.
 */
const SPECIAL = /[%.[\]'"\s]/gu;

export function encodeTopicKey(topic: string): string {
  return topic.replace(SPECIAL, (c) => (c === "." ? "%2E" : c === "'" ? "%27" : encodeURIComponent(c)));
}

export function decodeTopicKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}
