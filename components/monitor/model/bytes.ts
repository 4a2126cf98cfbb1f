/**
 * Payload bytes for the hex viewer: the wire sends text as UTF-8 (`encoding: "utf8"`) or
 * binary as base64; a classic 16-bytes-per-line hex dump. Pure (TextEncoder and atob exist
 * in browsers and Node ≥ 16).
 */
import type { PayloadEncoding } from "../../../lib/monitor/events";

export function payloadBytes(payload: string, encoding: PayloadEncoding): Uint8Array {
  if (encoding === "utf8") return new TextEncoder().encode(payload);
  try {
    const bin = atob(payload);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return new Uint8Array();
  }
}

export interface HexLine {
  offset: string;
  hex: string;
  ascii: string;
}

/** `00000010  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a              |Hello world.|` as parts. */
export function hexDump(bytes: Uint8Array, maxBytes = 4096): { lines: HexLine[]; cut: boolean } {
  const n = Math.min(bytes.length, maxBytes);
  const lines: HexLine[] = [];
  for (let off = 0; off < n; off += 16) {
    const hex: string[] = [];
    let ascii = "";
    for (let i = 0; i < 16; i++) {
      if (off + i < n) {
        const b = bytes[off + i];
        hex.push(b.toString(16).padStart(2, "0"));
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
      } else hex.push("  ");
      if (i === 7) hex.push("");
    }
    lines.push({ offset: off.toString(16).padStart(8, "0"), hex: hex.join(" "), ascii });
  }
  return { lines, cut: bytes.length > maxBytes };
}

/** Text of a payload for the text viewer (binary shown as base64 is labelled by the caller). */
export function isProbablyBinary(bytes: Uint8Array): boolean {
  let control = 0;
  const n = Math.min(bytes.length, 512);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  return n > 0 && control / n > 0.1;
}
