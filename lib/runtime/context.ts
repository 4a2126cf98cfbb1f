/**
 * Node, flow and global context: Node-RED's context.get/set, held in memory for synchronous
 * reads and written through to a persistence callback (the database) on every change, so a
 * restart loses nothing (Node-RED's file store flushed every 30 s).
 * A key may be a property path ("room.kitchen"); the stored unit is its first segment.
 */
import type { ContextScope, NodeContextApi } from "./node-api";
import { deleteProperty, getProperty, parsePropertyPath, setProperty } from "../nodes/shared/msg-property";
import { cloneMsg } from "./message";

export type ScopeKind = "node" | "flow" | "global";

export interface StoredContextValue {
  scope: ScopeKind;
  scopeId: string;
  key: string;
  value: unknown;
}

/** Called for every change: value undefined = deleted. */
export type ContextPersist = (scope: ScopeKind, scopeId: string, key: string, value: unknown) => void;

export class ContextStore {
  private readonly data = new Map<string, Map<string, unknown>>();

  constructor(private readonly persist: ContextPersist = () => {}) {}

  load(values: readonly StoredContextValue[]): void {
    for (const v of values) this.bucket(v.scope, v.scopeId).set(v.key, v.value);
  }

  scope(scope: ScopeKind, scopeId: string): ContextScope {
    const bucket = () => this.bucket(scope, scopeId);
    return {
      get: (key) => {
        const path = parsePropertyPath(key);
        const top = bucket().get(String(path[0]));
        // A copy: a caller mutating the result must not change the stored value silently.
        return cloneMsg(path.length === 1 ? top : getProperty(top, path.slice(1)));
      },
      set: (key, value) => {
        const path = parsePropertyPath(key);
        const head = String(path[0]);
        const b = bucket();
        let next: unknown;
        if (path.length === 1) {
          next = value === undefined ? undefined : cloneMsg(value);
        } else {
          const current = b.get(head);
          const root: Record<string, unknown> = current !== null && typeof current === "object" ? (cloneMsg(current) as Record<string, unknown>) : {};
          if (value === undefined) deleteProperty(root, path.slice(1));
          else setProperty(root, path.slice(1), cloneMsg(value));
          next = root;
        }
        if (next === undefined) b.delete(head);
        else b.set(head, next);
        this.persist(scope, scopeId, head, next);
      },
      keys: () => [...bucket().keys()],
    };
  }

  forNode(nodeId: string, flowId: string): NodeContextApi {
    return { node: this.scope("node", nodeId), flow: this.scope("flow", flowId), global: this.scope("global", "") };
  }

  /** Drops a node's context (the node was removed from the deployment). */
  clearNode(nodeId: string): void {
    const b = this.data.get(`node\u0000${nodeId}`);
    if (!b) return;
    for (const key of b.keys()) this.persist("node", nodeId, key, undefined);
    this.data.delete(`node\u0000${nodeId}`);
  }

  /** Everything, for the editor's context view. */
  snapshot(): StoredContextValue[] {
    const out: StoredContextValue[] = [];
    for (const [id, bucket] of this.data) {
      const [scope, scopeId] = id.split("\u0000") as [ScopeKind, string];
      for (const [key, value] of bucket) out.push({ scope, scopeId, key, value });
    }
    return out;
  }

  private bucket(scope: ScopeKind, scopeId: string): Map<string, unknown> {
    const id = `${scope}\u0000${scopeId}`;
    let b = this.data.get(id);
    if (!b) this.data.set(id, (b = new Map()));
    return b;
  }
}
