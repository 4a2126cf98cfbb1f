"use client";
/**
 * A JSON value as an expandable tree (debug sidebar): primitives inline, objects and arrays
 * with a one-line preview and a toggle; small values start open. Keyboard: the toggles are
 * buttons (Enter/Space).
 */
import { memo, useState } from "react";

const PREVIEW_CHARS = 80;
/** Values with at most this many entries start expanded (at the top level). */
const OPEN_LIMIT = 6;
/** Children rendered per level before "show more". */
const PAGE = 100;

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return v !== null && typeof v === "object";
}

function preview(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

function Primitive({ value }: { value: unknown }) {
  if (typeof value === "string") return <span className="fh-jt-str">{JSON.stringify(value)}</span>;
  if (typeof value === "number") return <span className="fh-jt-num">{String(value)}</span>;
  if (typeof value === "boolean") return <span className="fh-jt-bool">{String(value)}</span>;
  if (value === null) return <span className="fh-jt-null">null</span>;
  return <span className="fh-jt-null">{value === undefined ? "undefined" : String(value)}</span>;
}

export const JsonTree = memo(function JsonTree({ value }: { value: unknown }) {
  if (!isContainer(value)) {
    return (
      <pre className="fh-jt-root">
        <Primitive value={value} />
      </pre>
    );
  }
  return (
    <div className="fh-jt" role="tree">
      <Node name={null} value={value} depth={0} />
    </div>
  );
});

function Node({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  const container = isContainer(value);
  const size = container ? (Array.isArray(value) ? value.length : Object.keys(value).length) : 0;
  const [open, setOpen] = useState(depth === 0 && size <= OPEN_LIMIT && preview(value).length < 400);
  const [limit, setLimit] = useState(PAGE);
  const label = name === null ? null : <span className="fh-jt-key">{name}: </span>;
  if (!container) {
    return (
      <div className="fh-jt-row" role="treeitem" aria-selected={false}>
        {label}
        <Primitive value={value} />
      </div>
    );
  }
  const kind = Array.isArray(value) ? `array[${size}]` : `object`;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  return (
    <div className="fh-jt-row" role="treeitem" aria-expanded={open} aria-selected={false}>
      <button type="button" className="fh-jt-toggle" onClick={() => setOpen((o) => !o)} aria-label={`${open ? "Collapse" : "Expand"} ${name ?? "value"}`} data-testid="json-toggle">
        {open ? "▾" : "▸"}
      </button>
      {label}
      <span className="fh-jt-kind">{kind}</span>
      {!open && <span className="fh-jt-preview"> {preview(value)}</span>}
      {open && (
        <div className="fh-jt-children" role="group">
          {entries.slice(0, limit).map(([k, v]) => (
            <Node key={k} name={k} value={v} depth={depth + 1} />
          ))}
          {entries.length > limit && (
            <button type="button" className="fh-link fh-small" onClick={() => setLimit((l) => l + PAGE)}>
              show {Math.min(PAGE, entries.length - limit)} more of {entries.length - limit}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
