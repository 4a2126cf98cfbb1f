/**
 * Node and flow ids: 16 hex characters like Node-RED's, so exported flows look familiar.
 * `random` is injectable so tests are deterministic.
 */
export type RandomHex = (chars: number) => string;

export const cryptoRandomHex: RandomHex = (chars) => {
  const bytes = new Uint8Array(Math.ceil(chars / 2));
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0"))
    .join("")
    .slice(0, chars);
};

/** A fresh id not present in `taken`. */
export function newId(taken: ReadonlySet<string>, random: RandomHex = cryptoRandomHex): string {
  for (let attempt = 0; attempt < 100; attempt++) {
    const id = random(16);
    if (!taken.has(id)) return id;
  }
  throw new Error("could not generate a unique id after 100 attempts");
}
