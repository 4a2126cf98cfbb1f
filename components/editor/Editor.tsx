"use client";
/**
 * The flow editor (home page): tabs, palette, canvas, properties and debug. The flow
 * document is the single source of truth; the canvas is derived from it and every edit goes
 * through a pure operation in model/document-ops.ts (or model/clipboard.ts), is recorded in
 * the undo history (model/history.ts), then goes to the debounced autosave. Selection, view
 * and live state are kept apart from the document.
 *
 * Layout of this file: state → document edits (edit/undo/redo) → derived canvas nodes and
 * edges → canvas handlers → clipboard and keyboard → deploy → render (top bar, palette,
 * canvas, sidebar, dialogs).
 */
import "@xyflow/react/dist/style.css";
import "./editor-editing.css";
import { memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import type { FlowDocument, FlowNode } from "../../lib/flow/schema";
import type { DeploymentSummary, ValidationIssue } from "../../lib/api/schemas";
import type { BrokerStateEvent, DebugMessageEvent, NodeStatusEvent } from "../../lib/server/events";
import type { AnyNodeDefinition } from "../../lib/nodes/types";
import { getNodeDefinition, nodeDefinitions } from "../../lib/nodes/registry";
import { api, ApiRequestError, isValidationIssueList, saveDraftOnUnload } from "./api";
import { AutoSaver, type SaveState } from "./model/autosave";
import {
  addFlow,
  addNode,
  alignToGrid,
  connect,
  disconnect,
  ensureFlow,
  findNode,
  moveFlow,
  moveNodes,
  removeFlow,
  removeNodes,
  renameFlow,
  renameNode,
  setFlowDisabled,
  setFlowInfo,
  setNodeDisabled,
  updateConfig,
} from "./model/document-ops";
import { canRedo, canUndo, createHistory, record, redo, seal, undo, type History, type RecordOptions } from "./model/history";
import { clipboardText, copyNodes, duplicateNodes, parseClipboardText, pasteNodes } from "./model/clipboard";
import { isTypingTarget, shortcutFor } from "./model/shortcuts";
import { placeableDefinitions } from "./model/palette-search";
import { edgeId, effectiveConfig, nodeHeight, nodeLabel, outputCount, parseEdgeId, portFromHandle, wiresOf } from "./model/canvas";
import { defaultsFromSchema } from "./model/form-model";
import { appendDebug } from "./model/debug-log";
import { nodeTypes, type FlowRfNode } from "./FlowNodeView";
import { EditorActionsContext, type EditorActions } from "./EditorActions";
import { Palette, DRAG_MIME } from "./Palette";
import { TopBar } from "./TopBar";
import { PropertyPanel } from "./PropertyPanel";
import { DebugSidebar } from "./DebugSidebar";
import { ContextSidebar } from "./ContextSidebar";
import { DeployIssues } from "./DeployIssues";
import { useLiveEvents } from "./useLiveEvents";
import { FlowSettingsPanel } from "./FlowSettingsPanel";
import { QuickAdd } from "./QuickAdd";
import { ShortcutsDialog } from "./ShortcutsDialog";
import { AppNav } from "../ui/AppNav";
// --- editor part 2 (dialogs): imports ---
import { DeployPreview } from "./DeployPreview";
import { HistoryDialog } from "./HistoryDialog";
import { SearchDialog, useSearchShortcut } from "./SearchDialog";
import { ImportExportDialog } from "./ImportExportDialog";
import type { ImportResult } from "./model/import-export";
import { DialogButtons } from "./DialogButtons";
// --- end part 2 ---

const NODE_WIDTH_GUESS = 140;
/** Snap-to-grid step (px); matches the dotted background. */
const GRID = 20;
const SNAP_PREF_KEY = "flowhouse.editor.snapToGrid";
const placeable = placeableDefinitions(nodeDefinitions);

interface DraftMeta {
  issues: ValidationIssue[];
  deployedId: number | null;
  differs: boolean;
}

interface Toast {
  kind: "success" | "error" | "info";
  text: string;
  testId?: string;
}

interface Selection {
  nodes: ReadonlySet<string>;
  edges: ReadonlySet<string>;
}

const EMPTY_SELECTION: Selection = { nodes: new Set(), edges: new Set() };

export function Editor() {
  return (
    <ReactFlowProvider>
      <EditorInner />
    </ReactFlowProvider>
  );
}

function summarizeChanges(c: { added: string[]; changed: string[]; removed: string[] }): string {
  const parts = [
    c.added.length ? `${c.added.length} added` : "",
    c.changed.length ? `${c.changed.length} changed` : "",
    c.removed.length ? `${c.removed.length} removed` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "no node changes";
}

function EditorInner() {
  const rf = useReactFlow<FlowRfNode, Edge>();
  const docRef = useRef<FlowDocument | null>(null);
  const historyRef = useRef<History<FlowDocument> | null>(null);
  const [doc, setDoc] = useState<FlowDocument | null>(null);
  const [undoable, setUndoable] = useState({ undo: false, redo: false });
  const [loadError, setLoadError] = useState<string | null>(null);
  const [meta, setMeta] = useState<DraftMeta>({ issues: [], deployedId: null, differs: false });
  const [saveState, setSaveState] = useState<SaveState>({ kind: "idle" });
  const [activeFlowId, setActiveFlowId] = useState<string | null>(null);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const [statuses, setStatuses] = useState<Record<string, NodeStatusEvent["status"]>>({});
  const [debug, setDebug] = useState<DebugMessageEvent[]>([]);
  const [broker, setBroker] = useState<BrokerStateEvent | null>(null);
  const [deploying, setDeploying] = useState(false);
  const [deployIssues, setDeployIssues] = useState<ValidationIssue[] | null>(null);
  const [toast, setToast] = useState<Toast | null>(null);
  const [sideTab, setSideTab] = useState<"props" | "debug" | "context">("props");
  const [lastDeployment, setLastDeployment] = useState<DeploymentSummary | null>(null);
  const [unseenDebug, setUnseenDebug] = useState(0);
  const [snap, setSnap] = useState(true);
  const [quickAdd, setQuickAdd] = useState<{ clientX: number; clientY: number } | null>(null);
  const [showShortcuts, setShowShortcuts] = useState(false);
  // --- editor part 2 (dialogs): which dialog is open ---
  const [dialog, setDialog] = useState<null | "deploy" | "history" | "search" | "import-export">(null);
  // --- end part 2 ---
  const canvasRef = useRef<HTMLElement>(null);
  const flowAreaRef = useRef<HTMLDivElement>(null);
  const sideTabRef = useRef(sideTab);
  sideTabRef.current = sideTab;
  /** Last pointer position over the canvas (client px), for paste and quick-add "here". */
  const pointerRef = useRef<{ x: number; y: number; inside: boolean }>({ x: 0, y: 0, inside: false });
  /** Each node drag is one undo step: its moves share this gesture number. */
  const dragSeq = useRef(0);

  const saverRef = useRef<AutoSaver<FlowDocument> | null>(null);
  if (saverRef.current === null) {
    saverRef.current = new AutoSaver<FlowDocument>({
      delayMs: 500,
      save: async (d) => {
        const res = await api.saveDraft(d);
        setMeta({ issues: res.issues, deployedId: res.deployedId, differs: res.differsFromDeployed });
      },
      onState: setSaveState,
    });
  }
  const saver = saverRef.current;

  useEffect(() => {
    const stored = window.localStorage.getItem(SNAP_PREF_KEY);
    if (stored !== null) setSnap(stored === "1");
  }, []);

  const showToast = useCallback((t: Toast) => setToast(t), []);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), toast.kind === "error" ? 10_000 : 5_000);
    return () => clearTimeout(timer);
  }, [toast]);

  /* ---------- document edits, undo and redo ---------- */

  /** Shows a document (after an edit, undo or redo) and schedules the autosave. */
  const show = useCallback(
    (next: FlowDocument) => {
      docRef.current = next;
      setDoc(next);
      saver.schedule(next);
      const h = historyRef.current;
      const flags = { undo: h ? canUndo(h) : false, redo: h ? canRedo(h) : false };
      setUndoable((prev) => (prev.undo === flags.undo && prev.redo === flags.redo ? prev : flags));
    },
    [saver],
  );

  /**
   * Applies a pure document operation as one undo step. Edits with the same `group` in quick
   * succession (typing in one field, one drag) coalesce into a single step.
   */
  const edit = useCallback(
    (fn: (d: FlowDocument) => FlowDocument, opts?: RecordOptions) => {
      const current = docRef.current;
      const h = historyRef.current;
      if (!current || !h) return;
      const next = fn(current);
      if (next === current) return;
      historyRef.current = record(h, next, opts);
      show(next);
    },
    [show],
  );

  /** Drops selected ids that the shown document no longer has (after undo/redo/delete). */
  const pruneSelection = useCallback((d: FlowDocument) => {
    setSelection((prev) => {
      if (prev.nodes.size === 0 && prev.edges.size === 0) return prev;
      const ids = new Set(d.flows.flatMap((f) => f.nodes.map((n) => n.id)));
      const nodes = new Set([...prev.nodes].filter((id) => ids.has(id)));
      const edges = new Set(
        [...prev.edges].filter((id) => {
          const w = parseEdgeId(id);
          return w !== undefined && findNode(d, w.source)?.node.wires[w.port]?.includes(w.target) === true;
        }),
      );
      return nodes.size === prev.nodes.size && edges.size === prev.edges.size ? prev : { nodes, edges };
    });
  }, []);

  const undoEdit = useCallback(() => {
    const h = historyRef.current;
    if (!h || !canUndo(h)) return;
    historyRef.current = undo(h);
    show(historyRef.current.present);
    pruneSelection(historyRef.current.present);
  }, [show, pruneSelection]);

  const redoEdit = useCallback(() => {
    const h = historyRef.current;
    if (!h || !canRedo(h)) return;
    historyRef.current = redo(h);
    show(historyRef.current.present);
    pruneSelection(historyRef.current.present);
  }, [show, pruneSelection]);

  /** Ends a coalescing group (drag stop, leaving a field) so the next edit is its own step. */
  const endGesture = useCallback(() => {
    if (historyRef.current) historyRef.current = seal(historyRef.current);
    dragSeq.current++;
  }, []);

  const refreshDeployments = useCallback(() => {
    api
      .deployments()
      .then((list) => {
        const newest = list.reduce<DeploymentSummary | null>((a, b) => (a === null || b.id > a.id ? b : a), null);
        setLastDeployment(newest);
      })
      .catch(() => undefined);
  }, []);

  // Load the draft once.
  useEffect(() => {
    let cancelled = false;
    api
      .loadDraft()
      .then((res) => {
        if (cancelled) return;
        const ensured = ensureFlow(res.document);
        docRef.current = ensured;
        historyRef.current = createHistory(ensured);
        setDoc(ensured);
        setMeta({ issues: res.issues, deployedId: res.deployedId, differs: res.differsFromDeployed });
        setActiveFlowId((id) => id ?? ensured.flows[0]?.id ?? null);
        if (ensured !== res.document) saver.schedule(ensured);
      })
      .catch((e: unknown) => {
        if (!cancelled && !(e instanceof ApiRequestError && e.status === 401)) setLoadError((e as Error).message);
      });
    refreshDeployments();
    return () => {
      cancelled = true;
    };
  }, [saver, refreshDeployments]);

  // Nothing is lost on a closed tab: save what the debounce still holds.
  useEffect(() => {
    const onHide = () => {
      const unsaved = saver.unsaved;
      if (unsaved) saveDraftOnUnload(unsaved);
    };
    window.addEventListener("pagehide", onHide);
    return () => {
      window.removeEventListener("pagehide", onHide);
      saver.dispose();
    };
  }, [saver]);

  const socketState = useLiveEvents({
    onStatus: (events) =>
      setStatuses((prev) => {
        const next = { ...prev };
        for (const e of events) {
          if (!e.status.fill && !e.status.text) delete next[e.nodeId];
          else next[e.nodeId] = e.status;
        }
        return next;
      }),
    onDebug: (events) => {
      setDebug((prev) => appendDebug(prev, events));
      if (sideTabRef.current !== "debug") setUnseenDebug((n) => n + events.length);
    },
    onDeployed: (e) => {
      setMeta((m) => ({ ...m, deployedId: e.deploymentId }));
      refreshDeployments();
      if (!saver.dirty) {
        api
          .loadDraft()
          .then((res) => {
            if (!saver.dirty) setMeta({ issues: res.issues, deployedId: res.deployedId, differs: res.differsFromDeployed });
          })
          .catch(() => undefined);
      }
    },
    onBroker: setBroker,
  });

  const activeFlow = useMemo(() => doc?.flows.find((f) => f.id === activeFlowId) ?? doc?.flows[0] ?? null, [doc, activeFlowId]);
  const flowId = activeFlow?.id ?? null;

  const issueByNode = useMemo(() => {
    const map = new Map<string, string>();
    for (const i of meta.issues) if (i.nodeId && i.severity === "error" && !map.has(i.nodeId)) map.set(i.nodeId, i.message);
    return map;
  }, [meta.issues]);

  /* ---------- derived canvas nodes and edges ---------- */

  // Canvas nodes, rebuilt only for nodes whose inputs changed (React Flow compares identity,
  // so during a drag only the dragged nodes re-render).
  const nodeCache = useRef(new Map<string, { deps: unknown[]; node: FlowRfNode }>());
  const rfNodes = useMemo<FlowRfNode[]>(() => {
    if (!activeFlow) return [];
    const cache = nodeCache.current;
    const out: FlowRfNode[] = [];
    for (const n of activeFlow.nodes) {
      const selected = selection.nodes.has(n.id);
      const deps = [n, selected, statuses[n.id], measured[n.id], issueByNode.get(n.id)];
      const hit = cache.get(n.id);
      if (hit && hit.deps.every((d, i) => d === deps[i])) {
        out.push(hit.node);
        continue;
      }
      const def = getNodeDefinition(n.type);
      const outputs = outputCount(n, def);
      const node: FlowRfNode = {
        id: n.id,
        type: "flowhouse",
        position: { x: n.x, y: n.y },
        selected,
        measured: measured[n.id],
        data: {
          label: nodeLabel(n, def),
          type: n.type,
          color: def?.color ?? "#d9d9d9",
          inputs: def ? def.inputs : 1,
          outputs,
          button: def?.button === true,
          unknown: !def,
          disabled: n.disabled,
          issue: issueByNode.get(n.id),
          status: statuses[n.id],
          debugActive: n.type === "debug" ? n.config.active !== false : undefined,
        },
      };
      cache.set(n.id, { deps, node });
      out.push(node);
    }
    return out;
  }, [activeFlow, selection.nodes, statuses, measured, issueByNode]);

  // Edges depend only on their wire (encoded in the id) and selection: reuse the objects so
  // moving a node does not re-render every edge.
  const edgeCache = useRef(new Map<string, Edge>());
  const rfEdges = useMemo<Edge[]>(() => {
    if (!activeFlow) return [];
    const cache = edgeCache.current;
    return wiresOf(activeFlow.nodes).map((w) => {
      const id = edgeId(w);
      const selected = selection.edges.has(id);
      const hit = cache.get(id);
      if (hit && hit.selected === selected) return hit;
      const edge: Edge = {
        id,
        source: w.source,
        target: w.target,
        sourceHandle: `out-${w.port}`,
        targetHandle: "in",
        selected,
      };
      cache.set(id, edge);
      return edge;
    });
  }, [activeFlow, selection.edges]);

  /* ---------- canvas handlers ---------- */

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowRfNode>[]) => {
      if (!flowId) return;
      const moves: { id: string; x: number; y: number }[] = [];
      let dragging = false;
      const dims: Record<string, { width: number; height: number }> = {};
      let select: Map<string, boolean> | null = null;
      for (const c of changes) {
        if (c.type === "position" && c.position) {
          moves.push({ id: c.id, x: c.position.x, y: c.position.y });
          if (c.dragging) dragging = true;
        } else if (c.type === "dimensions" && c.dimensions) dims[c.id] = c.dimensions;
        else if (c.type === "select") (select ??= new Map()).set(c.id, c.selected);
      }
      if (moves.length) {
        // A drag is one step whatever its length; arrow-key nudges coalesce while they are quick.
        edit((d) => moveNodes(d, flowId, moves), dragging ? { group: `drag:${dragSeq.current}`, coalesceMs: Infinity } : { group: "nudge" });
      }
      if (Object.keys(dims).length) setMeasured((m) => ({ ...m, ...dims }));
      if (select) {
        const s = select;
        setSelection((prev) => {
          const nodes = new Set(prev.nodes);
          for (const [id, on] of s) {
            if (on) nodes.add(id);
            else nodes.delete(id);
          }
          return { ...prev, nodes };
        });
      }
    },
    [edit, flowId],
  );

  const onEdgesChange = useCallback((changes: EdgeChange<Edge>[]) => {
    const select = changes.filter((c) => c.type === "select");
    if (!select.length) return;
    setSelection((prev) => {
      const edges = new Set(prev.edges);
      for (const c of select) {
        if (c.type !== "select") continue;
        if (c.selected) edges.add(c.id);
        else edges.delete(c.id);
      }
      return { ...prev, edges };
    });
  }, []);

  const onConnect = useCallback(
    (c: Connection) => {
      if (!flowId || !c.source || !c.target) return;
      edit((d) => connect(d, flowId, c.source, portFromHandle(c.sourceHandle), c.target));
    },
    [edit, flowId],
  );

  const deleteSelected = useCallback(
    (nodeIds: readonly string[], edgeIds: readonly string[]) => {
      if (!flowId || (nodeIds.length === 0 && edgeIds.length === 0)) return;
      // One undo step brings the nodes back with all their wires.
      edit((d) => {
        let next = removeNodes(d, flowId, nodeIds);
        for (const id of edgeIds) {
          const w = parseEdgeId(id);
          if (w) next = disconnect(next, flowId, w.source, w.port, w.target);
        }
        return next;
      });
      setSelection(EMPTY_SELECTION);
    },
    [edit, flowId],
  );

  const onDelete = useCallback(
    ({ nodes, edges }: { nodes: FlowRfNode[]; edges: Edge[] }) =>
      deleteSelected(
        nodes.map((n) => n.id),
        edges.map((e) => e.id),
      ),
    [deleteSelected],
  );

  const addNodeOfType = useCallback(
    (type: string, at?: { x: number; y: number }) => {
      const def = getNodeDefinition(type);
      if (!def || !flowId) return;
      let position = at;
      if (!position) {
        const rect = canvasRef.current?.getBoundingClientRect();
        const center = rect ? { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 } : { x: 400, y: 300 };
        const p = rf.screenToFlowPosition(center);
        // Nudge so repeated keyboard adds do not stack exactly.
        const count = docRef.current?.flows.find((f) => f.id === flowId)?.nodes.length ?? 0;
        position = { x: p.x + (count % 5) * GRID, y: p.y + (count % 5) * GRID };
      }
      const config = defaultsFromSchema(def.config);
      let outputs = 1;
      try {
        outputs = def.outputs(config);
      } catch {
        // keep one port
      }
      // Centre the node on the drop point (on the grid when snapping).
      let x = position.x - NODE_WIDTH_GUESS / 2;
      let y = position.y - nodeHeight(outputs) / 2;
      if (snap) {
        x = Math.round(x / GRID) * GRID;
        y = Math.round(y / GRID) * GRID;
      }
      let newId = "";
      edit((d) => {
        const r = addNode(d, flowId, { type, x, y, config, outputs });
        newId = r.nodeId;
        return r.doc;
      });
      if (newId) {
        setSelection({ nodes: new Set([newId]), edges: new Set() });
        setSideTab("props");
      }
    },
    [edit, flowId, rf, snap],
  );

  const onDragOver = useCallback((e: React.DragEvent) => {
    if (e.dataTransfer.types.includes(DRAG_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    }
  }, []);

  const onDrop = useCallback(
    (e: React.DragEvent) => {
      const type = e.dataTransfer.getData(DRAG_MIME);
      if (!type) return;
      e.preventDefault();
      addNodeOfType(type, rf.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [addNodeOfType, rf],
  );

  const openQuickAdd = useCallback((clientX: number, clientY: number) => setQuickAdd({ clientX, clientY }), []);

  const onPaneClick = useCallback(
    (e: React.MouseEvent) => {
      if (e.ctrlKey || e.metaKey) openQuickAdd(e.clientX, e.clientY);
    },
    [openQuickAdd],
  );

  /** Selects a node anywhere in the document (from an issue or a debug message). */
  const focusNode = useCallback(
    (nodeId: string) => {
      const d = docRef.current;
      const loc = d ? findNode(d, nodeId) : undefined;
      if (!loc) {
        showToast({ kind: "info", text: `Node ${nodeId} is not in the draft any more.` });
        return;
      }
      setSelection({ nodes: new Set([nodeId]), edges: new Set() });
      setSideTab("props");
      if (loc.flow.id !== flowId) {
        setActiveFlowId(loc.flow.id);
      } else {
        const m = measured[nodeId];
        rf.setCenter(loc.node.x + (m?.width ?? NODE_WIDTH_GUESS) / 2, loc.node.y + (m?.height ?? 30) / 2, {
          zoom: Math.max(rf.getZoom(), 1),
          duration: 300,
        });
      }
    },
    [flowId, measured, rf, showToast],
  );

  /* ---------- clipboard (Node-RED flows.json) and keyboard ---------- */

  // Handlers below read the latest values through refs so the listeners are attached once.
  const live = useRef({ flowId, selection, snap, doc });
  live.current = { flowId, selection, snap, doc };
  /** Fallback clipboard for toolbar buttons where the system clipboard is not reachable. */
  const memoryClipboard = useRef("");

  const selectedNodeIds = useCallback((): string[] => {
    const { doc: d, flowId: fid, selection: sel } = live.current;
    const flow = d?.flows.find((f) => f.id === fid);
    return flow ? flow.nodes.filter((n) => sel.nodes.has(n.id)).map((n) => n.id) : [];
  }, []);

  /** Selection → clipboard text, or null when nothing is selected. */
  const copyText = useCallback((): string | null => {
    const { doc: d, flowId: fid } = live.current;
    const ids = selectedNodeIds();
    if (!d || !fid || ids.length === 0) return null;
    const text = clipboardText(copyNodes(d, fid, ids));
    memoryClipboard.current = text;
    return text;
  }, [selectedNodeIds]);

  const pasteText = useCallback(
    (text: string) => {
      const fid = live.current.flowId;
      if (!fid) return;
      const parsed = parseClipboardText(text);
      if (!parsed.ok) {
        showToast({ kind: "error", text: parsed.message, testId: "paste-result" });
        return;
      }
      const p = pointerRef.current;
      const at = p.inside ? rf.screenToFlowPosition({ x: p.x, y: p.y }) : undefined;
      if (at && live.current.snap) {
        at.x = Math.round(at.x / GRID) * GRID;
        at.y = Math.round(at.y / GRID) * GRID;
      }
      let ids: string[] = [];
      let problems: string[] = [];
      edit((d) => {
        const r = pasteNodes(d, fid, parsed.json, { at });
        ids = r.nodeIds;
        problems = r.issues.map((i) => i.message);
        return r.doc;
      });
      if (ids.length) {
        setSelection({ nodes: new Set(ids), edges: new Set() });
        showToast({
          kind: problems.length ? "info" : "success",
          text: `Pasted ${ids.length} node${ids.length === 1 ? "" : "s"}${problems.length ? `; ${problems.join("; ")}` : ""}.`,
          testId: "paste-result",
        });
      } else {
        showToast({ kind: "error", text: problems.join("; ") || "Nothing to paste.", testId: "paste-result" });
      }
    },
    [edit, rf, showToast],
  );

  const duplicate = useCallback(() => {
    const fid = live.current.flowId;
    const ids = selectedNodeIds();
    if (!fid || ids.length === 0) return;
    let pasted: string[] = [];
    edit((d) => {
      const r = duplicateNodes(d, fid, ids);
      pasted = r.nodeIds;
      return r.doc;
    });
    if (pasted.length) setSelection({ nodes: new Set(pasted), edges: new Set() });
  }, [edit, selectedNodeIds]);

  // System clipboard through the browser's copy/cut/paste events: works with ctrl+C/X/V and
  // the browser menu, without a permission prompt. Text fields keep their own clipboard.
  useEffect(() => {
    const inField = (e: Event) => isTypingTarget(e.target) || isTypingTarget(document.activeElement);
    const hasTextSelection = () => (window.getSelection()?.toString() ?? "") !== "";
    const onCopy = (e: ClipboardEvent) => {
      if (inField(e) || hasTextSelection()) return;
      const text = copyText();
      if (text === null) return;
      e.preventDefault();
      e.clipboardData?.setData("text/plain", text);
      if (e.type === "cut") deleteSelected(selectedNodeIds(), []);
    };
    const onPaste = (e: ClipboardEvent) => {
      if (inField(e)) return;
      const text = e.clipboardData?.getData("text/plain") ?? "";
      e.preventDefault();
      pasteText(text);
    };
    document.addEventListener("copy", onCopy);
    document.addEventListener("cut", onCopy);
    document.addEventListener("paste", onPaste);
    return () => {
      document.removeEventListener("copy", onCopy);
      document.removeEventListener("cut", onCopy);
      document.removeEventListener("paste", onPaste);
    };
  }, [copyText, pasteText, deleteSelected, selectedNodeIds]);

  // Toolbar buttons (touch screens have no ctrl+C/V): the async clipboard API where the
  // browser allows it, else the editor's own clipboard.
  const copyFromToolbar = useCallback(
    (cut: boolean) => {
      const text = copyText();
      if (text === null) return;
      void navigator.clipboard?.writeText(text).catch(() => undefined);
      if (cut) deleteSelected(selectedNodeIds(), []);
      else showToast({ kind: "info", text: "Copied as Node-RED flows.json.", testId: "copy-result" });
    },
    [copyText, deleteSelected, selectedNodeIds, showToast],
  );
  const pasteFromToolbar = useCallback(() => {
    const fallback = () => pasteText(memoryClipboard.current);
    if (!navigator.clipboard?.readText) return fallback();
    navigator.clipboard.readText().then((text) => (text.trim() ? pasteText(text) : fallback()), fallback);
  }, [pasteText]);

  const toggleSnap = useCallback(() => {
    setSnap((on) => {
      window.localStorage.setItem(SNAP_PREF_KEY, on ? "0" : "1");
      return !on;
    });
  }, []);

  const alignSelection = useCallback(() => {
    const fid = live.current.flowId;
    if (!fid) return;
    const ids = selectedNodeIds();
    edit((d) => alignToGrid(d, fid, GRID, ids.length ? ids : undefined));
  }, [edit, selectedNodeIds]);

  // Editor shortcuts (table in model/shortcuts.ts, also shown by the help dialog).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTypingTarget(e.target)) return;
      if (document.querySelector(".fh-modal-backdrop")) return; // a dialog has the keyboard
      const action = shortcutFor(e);
      if (!action) return;
      const fid = live.current.flowId;
      switch (action) {
        case "undo":
          undoEdit();
          break;
        case "redo":
          redoEdit();
          break;
        case "duplicate":
          duplicate();
          break;
        case "selectAll": {
          const flow = live.current.doc?.flows.find((f) => f.id === fid);
          if (!flow) return;
          setSelection({ nodes: new Set(flow.nodes.map((n) => n.id)), edges: new Set() });
          break;
        }
        case "quickAdd": {
          const p = pointerRef.current;
          const rect = flowAreaRef.current?.getBoundingClientRect();
          if (p.inside) openQuickAdd(p.x, p.y);
          else if (rect) openQuickAdd(rect.left + rect.width / 2, rect.top + rect.height / 3);
          break;
        }
        case "help":
          setShowShortcuts(true);
          break;
        case "toggleSnap":
          toggleSnap();
          break;
        case "alignToGrid":
          alignSelection();
          break;
        case "fitView":
          void rf.fitView({ maxZoom: 1.2, padding: 0.2, duration: 200 });
          break;
        case "deselect":
          setSelection(EMPTY_SELECTION);
          return; // let others see Escape too
      }
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undoEdit, redoEdit, duplicate, openQuickAdd, toggleSnap, alignSelection, rf]);

  /* ---------- deploy, node actions, properties ---------- */

  const deploy = useCallback(async (note = "") => {
    setDeploying(true);
    setDeployIssues(null);
    try {
      try {
        await saver.flush();
      } catch (e) {
        showToast({ kind: "error", text: `Not deployed: the draft could not be saved (${(e as Error).message}).`, testId: "deploy-result" });
        return;
      }
      try {
        const res = await api.deploy(note);
        setMeta({ issues: res.issues, deployedId: res.deployment.id, differs: false });
        setLastDeployment(res.deployment);
        showToast({ kind: "success", text: `Deployed #${res.deployment.id}: ${summarizeChanges(res.changes)}`, testId: "deploy-result" });
      } catch (e) {
        if (e instanceof ApiRequestError && e.status === 422 && isValidationIssueList(e.details)) {
          setDeployIssues(e.details);
          setMeta((m) => ({ ...m, issues: e.details as ValidationIssue[] }));
        } else {
          showToast({ kind: "error", text: `Deploy failed: ${(e as Error).message}`, testId: "deploy-result" });
        }
      }
    } finally {
      setDeploying(false);
    }
  }, [saver, showToast]);

  const actions = useMemo<EditorActions>(
    () => ({
      pressButton: (nodeId) => {
        api
          .pressButton(nodeId)
          .then(() => showToast({ kind: "info", text: "Message injected." }))
          .catch((e: unknown) => showToast({ kind: "error", text: (e as Error).message }));
      },
      toggleDebug: (nodeId) => {
        const current = docRef.current;
        const loc = current ? findNode(current, nodeId) : undefined;
        if (!loc) return;
        const active = loc.node.config.active === false;
        edit((d) => updateConfig(d, loc.flow.id, nodeId, { ...loc.node.config, active }));
        // Like Node-RED, the running node follows at once (no deploy needed); a node that is
        // not deployed yet just keeps the draft's setting (setDebugActive resolves false).
        api.setDebugActive(nodeId, active).catch((e: unknown) => showToast({ kind: "error", text: (e as Error).message }));
      },
    }),
    [showToast, edit],
  );

  const logout = useCallback(async () => {
    try {
      await saver.flush();
    } catch {
      // log out anyway; the draft error was shown already
    }
    await api.logout().catch(() => undefined);
    window.location.assign("/login");
  }, [saver]);

  // Selected node for the property panel.
  const selectedNode: FlowNode | null = useMemo(() => {
    if (!activeFlow || selection.nodes.size !== 1) return null;
    const [id] = selection.nodes;
    return activeFlow.nodes.find((n) => n.id === id) ?? null;
  }, [activeFlow, selection.nodes]);
  const selectedDef: AnyNodeDefinition | undefined = selectedNode ? getNodeDefinition(selectedNode.type) : undefined;

  const onConfig = useCallback(
    (config: Record<string, unknown>) => {
      if (!selectedNode || !flowId) return;
      const def = getNodeDefinition(selectedNode.type);
      let outputs: number | undefined;
      if (def) {
        try {
          const n = def.outputs(effectiveConfig(def, config));
          if (Number.isInteger(n) && n >= 0) outputs = n;
        } catch {
          // keep the ports as they are while the config is invalid
        }
      }
      // Typing in the form: one undo step per burst of edits to this node.
      edit((d) => updateConfig(d, flowId, selectedNode.id, config, outputs), { group: `config:${selectedNode.id}` });
    },
    [edit, flowId, selectedNode],
  );

  const nodeName = useCallback(
    (nodeId: string, fallback: string) => {
      const loc = doc ? findNode(doc, nodeId) : undefined;
      return loc ? nodeLabel(loc.node, getNodeDefinition(loc.node.type)) : fallback;
    },
    [doc],
  );

  /* ---------- editor part 2 (dialogs): handlers ---------- */

  const flushDraft = useCallback(() => saver.flush(), [saver]);
  useSearchShortcut(() => setDialog("search"));

  const applyImport = useCallback(
    (result: ImportResult, message: string) => {
      edit(() => ensureFlow(result.doc));
      if (result.focusFlowId) setActiveFlowId(result.focusFlowId);
      setSelection({ nodes: new Set(result.nodeIds), edges: new Set() });
      showToast({ kind: "success", text: message, testId: "import-result" });
    },
    [edit, showToast],
  );

  /* ---------- end part 2 ---------- */

  /* ---------- flow tabs ---------- */

  const selectFlow = useCallback((id: string) => {
    setActiveFlowId(id);
    setSelection(EMPTY_SELECTION);
  }, []);

  const addFlowTab = useCallback(() => {
    let id = "";
    edit((d) => {
      const r = addFlow(d);
      id = r.flowId;
      return r.doc;
    });
    if (id) selectFlow(id);
  }, [edit, selectFlow]);

  const renameFlowTab = useCallback((id: string, name: string) => edit((d) => renameFlow(d, id, name)), [edit]);
  const moveFlowTab = useCallback((id: string, toIndex: number) => edit((d) => moveFlow(d, id, toIndex)), [edit]);

  const deleteFlowTab = useCallback(
    (id: string) => {
      const d = docRef.current;
      const index = d?.flows.findIndex((f) => f.id === id) ?? -1;
      if (!d || index < 0) return;
      const name = d.flows[index].name;
      edit((doc0) => removeFlow(doc0, id));
      const after = docRef.current;
      const neighbour = after?.flows[Math.min(index, (after?.flows.length ?? 1) - 1)];
      if (neighbour) selectFlow(neighbour.id);
      showToast({ kind: "info", text: `Deleted flow '${name}'. Press Ctrl+Z (or Undo) to bring it back.`, testId: "flow-deleted" });
    },
    [edit, selectFlow, showToast],
  );

  // Fit the view when a tab with nodes opens; an empty tab keeps zoom 1 so the first drop
  // does not jump the view.
  const fitOnOpen = useRef<{ flowId: string | null; fit: boolean }>({ flowId: null, fit: false });
  if (fitOnOpen.current.flowId !== flowId) fitOnOpen.current = { flowId, fit: (activeFlow?.nodes.length ?? 0) > 0 };

  // A newly selected node's properties start at the top of the panel.
  const sideBodyRef = useRef<HTMLDivElement>(null);
  const selectedId = selectedNode?.id ?? null;
  useEffect(() => {
    sideBodyRef.current?.scrollTo({ top: 0 });
  }, [selectedId]);

  const hasChanges = saveState.kind === "pending" || saveState.kind === "saving" || saveState.kind === "error" || meta.differs;
  const flowIndex = doc && activeFlow ? doc.flows.indexOf(activeFlow) : -1;

  if (loadError) {
    return (
      <div className="fh-fullpage-message" role="alert">
        <h1>Flowhouse could not load your flows</h1>
        <p>{loadError}</p>
        <button type="button" className="fh-btn is-primary" onClick={() => window.location.reload()}>
          Try again
        </button>
      </div>
    );
  }

  const flowAreaRect = quickAdd ? flowAreaRef.current?.getBoundingClientRect() : undefined;

  return (
    <EditorActionsContext.Provider value={actions}>
      <div className="fh-app">
        <TopBar
          flows={doc?.flows ?? []}
          activeFlowId={flowId}
          onSelectFlow={selectFlow}
          onAddFlow={addFlowTab}
          onRenameFlow={renameFlowTab}
          onMoveFlow={moveFlowTab}
          nav={<AppNav current="editor" />}
          tools={
            <>
              {/* --- editor part 2 (dialogs): buttons --- */}
              <DialogButtons onSearch={() => setDialog("search")} onImportExport={() => setDialog("import-export")} onHistory={() => setDialog("history")} />
              {/* --- end part 2 --- */}
              <button
                type="button"
                className="fh-btn fh-btn-quiet"
                onClick={() => setShowShortcuts(true)}
                title="Keyboard shortcuts (?)"
                aria-label="Keyboard shortcuts"
                data-testid="shortcuts-button"
              >
                ?
              </button>
            </>
          }
          saveState={saveState}
          socketState={socketState}
          broker={broker}
          hasChanges={hasChanges}
          deploying={deploying}
          canDeploy={doc !== null && hasChanges}
          onDeploy={() => setDialog("deploy")}
          lastDeployment={lastDeployment}
          deployedId={meta.deployedId}
          onLogout={() => void logout()}
        />
        <div className="fh-main">
          <Palette definitions={nodeDefinitions} onAdd={addNodeOfType} />
          <main
            className="fh-canvas"
            ref={canvasRef}
            onDragOver={onDragOver}
            onDrop={onDrop}
            onMouseMove={(e) => {
              pointerRef.current = { x: e.clientX, y: e.clientY, inside: true };
            }}
            onMouseLeave={() => {
              pointerRef.current = { ...pointerRef.current, inside: false };
            }}
            aria-label="Flow canvas"
          >
            {deployIssues && (
              <DeployIssues
                issues={deployIssues}
                title={`Not deployed: ${deployIssues.length} problem${deployIssues.length === 1 ? "" : "s"} to fix`}
                onSelectNode={focusNode}
                onClose={() => setDeployIssues(null)}
              />
            )}
            {activeFlow?.disabled && (
              <div className="fh-flow-disabled-banner" role="status" data-testid="flow-disabled-banner">
                This flow is disabled: its nodes do not run.{" "}
                <button type="button" className="fh-link" onClick={() => flowId && edit((d) => setFlowDisabled(d, flowId, false))}>
                  Enable it
                </button>
              </div>
            )}
            <div className="fh-canvas-flow" ref={flowAreaRef}>
              <CanvasToolbar
                canUndo={undoable.undo}
                canRedo={undoable.redo}
                hasSelection={selection.nodes.size > 0 || selection.edges.size > 0}
                onCopy={() => copyFromToolbar(false)}
                onCut={() => copyFromToolbar(true)}
                onPaste={pasteFromToolbar}
                onDuplicate={duplicate}
                onDelete={() => deleteSelected([...selection.nodes], [...selection.edges])}
                snap={snap}
                onUndo={undoEdit}
                onRedo={redoEdit}
                onToggleSnap={toggleSnap}
                onAlign={alignSelection}
                onQuickAdd={() => {
                  const rect = flowAreaRef.current?.getBoundingClientRect();
                  if (rect) openQuickAdd(rect.left + rect.width / 2, rect.top + rect.height / 3);
                }}
              />
              {doc === null ? (
                <div className="fh-loading">Loading flows…</div>
              ) : (
                <ReactFlow<FlowRfNode, Edge>
                  key={flowId ?? "none"}
                  nodes={rfNodes}
                  edges={rfEdges}
                  nodeTypes={nodeTypes}
                  onNodesChange={onNodesChange}
                  onEdgesChange={onEdgesChange}
                  onConnect={onConnect}
                  onDelete={onDelete}
                  onNodeClick={() => setSideTab("props")}
                  onNodeDragStop={endGesture}
                  onSelectionDragStop={endGesture}
                  onPaneClick={onPaneClick}
                  deleteKeyCode={["Delete", "Backspace"]}
                  selectionKeyCode="Shift"
                  multiSelectionKeyCode={MULTI_SELECT_KEYS}
                  fitView={fitOnOpen.current.fit}
                  fitViewOptions={FIT_VIEW_OPTIONS}
                  minZoom={0.2}
                  maxZoom={2.5}
                  snapToGrid={snap}
                  snapGrid={SNAP_GRID}
                  onlyRenderVisibleElements
                  defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
                >
                  <Background variant={BackgroundVariant.Dots} gap={GRID} size={1} />
                  <MiniMap pannable zoomable nodeColor={miniMapColor} ariaLabel="Flow overview" />
                  <Controls showInteractive={false} />
                </ReactFlow>
              )}
              {quickAdd && flowAreaRect && (
                <QuickAdd
                  left={Math.min(quickAdd.clientX - flowAreaRect.left, flowAreaRect.width - 240)}
                  top={Math.min(quickAdd.clientY - flowAreaRect.top, flowAreaRect.height - 280)}
                  definitions={placeable}
                  onClose={() => setQuickAdd(null)}
                  onPick={(type) => {
                    const at = rf.screenToFlowPosition({ x: quickAdd.clientX, y: quickAdd.clientY });
                    setQuickAdd(null);
                    addNodeOfType(type, at);
                  }}
                />
              )}
            </div>
          </main>
          <aside className="fh-sidebar" aria-label="Sidebar">
            <div className="fh-side-tabs" role="tablist">
              <button
                type="button"
                role="tab"
                aria-selected={sideTab === "props"}
                className={`fh-side-tab${sideTab === "props" ? " is-active" : ""}`}
                onClick={() => setSideTab("props")}
                data-testid="sidebar-tab-props"
              >
                Properties
              </button>
              <button
                type="button"
                role="tab"
                aria-selected={sideTab === "debug"}
                className={`fh-side-tab${sideTab === "debug" ? " is-active" : ""}`}
                onClick={() => {
                  setSideTab("debug");
                  setUnseenDebug(0);
                }}
                data-testid="sidebar-tab-debug"
              >
                Debug
                {unseenDebug > 0 && sideTab !== "debug" && <span className="fh-badge">{unseenDebug > 99 ? "99+" : unseenDebug}</span>}
              </button>
              <button
                type="button"
                role="tab"
                aria-selected={sideTab === "context"}
                className={`fh-side-tab${sideTab === "context" ? " is-active" : ""}`}
                onClick={() => setSideTab("context")}
                data-testid="sidebar-tab-context"
              >
                Context
              </button>
            </div>
            <div className="fh-side-body" ref={sideBodyRef} onBlur={endGesture}>
              {sideTab === "props" ? (
                selection.nodes.size === 0 && activeFlow && doc ? (
                  <FlowSettingsPanel
                    flow={activeFlow}
                    index={flowIndex}
                    count={doc.flows.length}
                    onRename={(name) => renameFlowTab(activeFlow.id, name)}
                    onDisabled={(v) => edit((d) => setFlowDisabled(d, activeFlow.id, v))}
                    onInfo={(info) => edit((d) => setFlowInfo(d, activeFlow.id, info), { group: `info:${activeFlow.id}` })}
                    onMove={(to) => moveFlowTab(activeFlow.id, to)}
                    onDelete={() => deleteFlowTab(activeFlow.id)}
                  />
                ) : (
                  <PropertyPanel
                    key={selectedNode?.id ?? "none"}
                    node={selectedNode}
                    def={selectedDef}
                    selectionCount={selection.nodes.size}
                    issues={meta.issues}
                    configNodes={doc?.configNodes ?? []}
                    issuesStale={saveState.kind === "pending" || saveState.kind === "saving"}
                    onRename={(name) =>
                      selectedNode && flowId && edit((d) => renameNode(d, flowId, selectedNode.id, name), { group: `name:${selectedNode.id}` })
                    }
                    onDisabled={(v) => selectedNode && flowId && edit((d) => setNodeDisabled(d, flowId, selectedNode.id, v))}
                    onConfig={onConfig}
                  />
                )
              ) : sideTab === "debug" ? (
                <DebugSidebar entries={debug} nodeName={nodeName} onSelectNode={focusNode} onClear={() => setDebug([])} flowName={(id) => doc?.flows.find((f) => f.id === id)?.name} />
              ) : (
                <ContextSidebar
                  nodeName={(id) => nodeName(id, id)}
                  flowName={(id) => doc?.flows.find((f) => f.id === id)?.name}
                  onSelectNode={focusNode}
                />
              )}
            </div>
          </aside>
        </div>
        {toast && (
          <div className={`fh-toast is-${toast.kind}`} role="status" data-testid={toast.testId ?? "toast"}>
            <span>{toast.text}</span>
            <button type="button" className="fh-icon-btn" onClick={() => setToast(null)} aria-label="Dismiss">
              ✕
            </button>
          </div>
        )}
        {showShortcuts && <ShortcutsDialog onClose={() => setShowShortcuts(false)} />}
        {/* --- editor part 2 (dialogs) --- */}
        {dialog === "deploy" && doc && (
          <DeployPreview
            document={doc}
            prepare={flushDraft}
            onDeploy={(note) => void deploy(note)}
            onSelectNode={(id, issues) => {
              setDialog(null);
              if (issues.some((i) => i.severity === "error")) setDeployIssues(issues);
              focusNode(id);
            }}
            onClose={() => setDialog(null)}
          />
        )}
        {dialog === "history" && doc && (
          <HistoryDialog
            document={doc}
            deployedId={meta.deployedId}
            prepare={flushDraft}
            onRolledBack={(res, d) => {
              edit(() => ensureFlow(res.document));
              setMeta({ issues: res.issues, deployedId: res.deployedId, differs: res.differsFromDeployed });
              const first = docRef.current?.flows[0]?.id ?? null;
              if (!docRef.current?.flows.some((f) => f.id === flowId)) setActiveFlowId(first);
              setSelection(EMPTY_SELECTION);
              showToast({ kind: "info", text: `The draft is now deployment #${d.id}. Review it and press Deploy to run it (Undo brings your draft back).`, testId: "rollback-result" });
            }}
            onClose={() => setDialog(null)}
          />
        )}
        {dialog === "search" && doc && <SearchDialog document={doc} onSelectNode={focusNode} onClose={() => setDialog(null)} />}
        {dialog === "import-export" && doc && (
          <ImportExportDialog
            document={doc}
            activeFlowId={flowId}
            selectedNodeIds={[...selection.nodes]}
            onApply={applyImport}
            onClose={() => setDialog(null)}
          />
        )}
        {/* --- end part 2 --- */}
      </div>
    </EditorActionsContext.Provider>
  );
}

const MULTI_SELECT_KEYS = ["Shift", "Meta", "Control"];
const FIT_VIEW_OPTIONS = { maxZoom: 1.2, padding: 0.2 };
const SNAP_GRID: [number, number] = [GRID, GRID];
const DEFAULT_EDGE_OPTIONS = { interactionWidth: 16 };
const miniMapColor = (n: { data: unknown }) => (n.data as { color?: string }).color ?? "#ccc";

interface CanvasToolbarProps {
  canUndo: boolean;
  canRedo: boolean;
  hasSelection: boolean;
  onCopy: () => void;
  onCut: () => void;
  onPaste: () => void;
  onDuplicate: () => void;
  onDelete: () => void;
  snap: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onToggleSnap: () => void;
  onAlign: () => void;
  onQuickAdd: () => void;
}

/** Floating edit toolbar over the canvas (top left): undo, redo, clipboard, grid, quick-add. */
const CanvasToolbar = memo(function CanvasToolbar(p: CanvasToolbarProps) {
  return (
    <div className="fh-canvas-toolbar" role="toolbar" aria-label="Edit">
      <button type="button" className="fh-tool" onClick={p.onUndo} disabled={!p.canUndo} title="Undo (Ctrl+Z)" aria-label="Undo" data-testid="undo-button">
        ↶
      </button>
      <button type="button" className="fh-tool" onClick={p.onRedo} disabled={!p.canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo" data-testid="redo-button">
        ↷
      </button>
      <span className="fh-tool-sep" aria-hidden />
      <button type="button" className="fh-tool is-text" onClick={p.onCut} disabled={!p.hasSelection} title="Cut (Ctrl+X)" aria-label="Cut" data-testid="cut-button">
        Cut
      </button>
      <button type="button" className="fh-tool is-text" onClick={p.onCopy} disabled={!p.hasSelection} title="Copy as Node-RED flows.json (Ctrl+C)" aria-label="Copy" data-testid="copy-button">
        Copy
      </button>
      <button type="button" className="fh-tool is-text" onClick={p.onPaste} title="Paste (Ctrl+V): nodes copied here or in Node-RED" aria-label="Paste" data-testid="paste-button">
        Paste
      </button>
      <button type="button" className="fh-tool is-text" onClick={p.onDuplicate} disabled={!p.hasSelection} title="Duplicate (Ctrl+D)" aria-label="Duplicate" data-testid="duplicate-button">
        Duplicate
      </button>
      <button type="button" className="fh-tool is-text" onClick={p.onDelete} disabled={!p.hasSelection} title="Delete (Delete)" aria-label="Delete" data-testid="delete-button">
        Delete
      </button>
      <span className="fh-tool-sep" aria-hidden />
      <button
        type="button"
        className={`fh-tool${p.snap ? " is-on" : ""}`}
        onClick={p.onToggleSnap}
        aria-pressed={p.snap}
        title={`Snap to the ${GRID} px grid: ${p.snap ? "on" : "off"} (G)`}
        aria-label="Snap to grid"
        data-testid="snap-toggle"
      >
        #
      </button>
      <button type="button" className="fh-tool" onClick={p.onAlign} title="Align the selection (or the whole tab) to the grid (Shift+G)" aria-label="Align to grid" data-testid="align-button">
        ⊞
      </button>
      <button type="button" className="fh-tool" onClick={p.onQuickAdd} title="Add a node (/ or Ctrl+click on the canvas)" aria-label="Quick add a node" data-testid="quick-add-button">
        +
      </button>
    </div>
  );
});
