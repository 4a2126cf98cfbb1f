"use client";
/**
 * The flow editor (home page): tabs, palette, canvas, properties and debug. The flow
 * document is the single source of truth; the canvas is derived from it and every edit goes
 * through a pure operation in model/document-ops.ts, then to the debounced autosave.
 */
import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
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
  connect,
  disconnect,
  ensureFlow,
  findNode,
  moveNode,
  removeNodes,
  renameFlow,
  renameNode,
  setNodeDisabled,
  updateConfig,
} from "./model/document-ops";
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

const NODE_WIDTH_GUESS = 140;

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
  const [doc, setDoc] = useState<FlowDocument | null>(null);
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
  const canvasRef = useRef<HTMLElement>(null);
  const sideTabRef = useRef(sideTab);
  sideTabRef.current = sideTab;

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

  const showToast = useCallback((t: Toast) => setToast(t), []);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), toast.kind === "error" ? 10_000 : 5_000);
    return () => clearTimeout(timer);
  }, [toast]);

  /** Applies a pure document operation and schedules the autosave. */
  const edit = useCallback(
    (fn: (d: FlowDocument) => FlowDocument) => {
      const current = docRef.current;
      if (!current) return;
      const next = fn(current);
      if (next === current) return;
      docRef.current = next;
      setDoc(next);
      saver.schedule(next);
    },
    [saver],
  );

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

  // Canvas nodes, rebuilt only for nodes whose inputs changed (React Flow compares identity).
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
        },
      };
      cache.set(n.id, { deps, node });
      out.push(node);
    }
    return out;
  }, [activeFlow, selection.nodes, statuses, measured, issueByNode]);

  const rfEdges = useMemo<Edge[]>(() => {
    if (!activeFlow) return [];
    return wiresOf(activeFlow.nodes).map((w) => {
      const id = edgeId(w);
      return {
        id,
        source: w.source,
        target: w.target,
        sourceHandle: `out-${w.port}`,
        targetHandle: "in",
        selected: selection.edges.has(id),
      };
    });
  }, [activeFlow, selection.edges]);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowRfNode>[]) => {
      if (!flowId) return;
      const moves: { id: string; x: number; y: number }[] = [];
      const dims: Record<string, { width: number; height: number }> = {};
      let select: Map<string, boolean> | null = null;
      for (const c of changes) {
        if (c.type === "position" && c.position) moves.push({ id: c.id, x: c.position.x, y: c.position.y });
        else if (c.type === "dimensions" && c.dimensions) dims[c.id] = c.dimensions;
        else if (c.type === "select") (select ??= new Map()).set(c.id, c.selected);
      }
      if (moves.length) edit((d) => moves.reduce((acc, m) => moveNode(acc, flowId, m.id, m.x, m.y), d));
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

  const onDelete = useCallback(
    ({ nodes, edges }: { nodes: FlowRfNode[]; edges: Edge[] }) => {
      if (!flowId) return;
      edit((d) => {
        let next = removeNodes(d, flowId, nodes.map((n) => n.id));
        for (const e of edges) {
          const w = parseEdgeId(e.id);
          if (w) next = disconnect(next, flowId, w.source, w.port, w.target);
        }
        return next;
      });
      setSelection(EMPTY_SELECTION);
    },
    [edit, flowId],
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
        position = { x: p.x + (count % 5) * 20, y: p.y + (count % 5) * 20 };
      }
      const config = defaultsFromSchema(def.config);
      let outputs = 1;
      try {
        outputs = def.outputs(config);
      } catch {
        // keep one port
      }
      // Centre the node on the drop point.
      const x = position.x - NODE_WIDTH_GUESS / 2;
      const y = position.y - nodeHeight(outputs) / 2;
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
    [edit, flowId, rf],
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

  const deploy = useCallback(async () => {
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
        const res = await api.deploy();
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
    }),
    [showToast],
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
      edit((d) => updateConfig(d, flowId, selectedNode.id, config, outputs));
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

  const hasChanges = saveState.kind === "pending" || saveState.kind === "saving" || saveState.kind === "error" || meta.differs;

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

  return (
    <EditorActionsContext.Provider value={actions}>
      <div className="fh-app">
        <TopBar
          flows={doc?.flows ?? []}
          activeFlowId={flowId}
          onSelectFlow={(id) => {
            setActiveFlowId(id);
            setSelection(EMPTY_SELECTION);
          }}
          onAddFlow={() => {
            let id = "";
            edit((d) => {
              const r = addFlow(d);
              id = r.flowId;
              return r.doc;
            });
            if (id) {
              setActiveFlowId(id);
              setSelection(EMPTY_SELECTION);
            }
          }}
          onRenameFlow={(id, name) => edit((d) => renameFlow(d, id, name))}
          saveState={saveState}
          socketState={socketState}
          broker={broker}
          hasChanges={hasChanges}
          deploying={deploying}
          canDeploy={doc !== null && hasChanges}
          onDeploy={() => void deploy()}
          lastDeployment={lastDeployment}
          deployedId={meta.deployedId}
          onLogout={() => void logout()}
        />
        <div className="fh-main">
          <Palette definitions={nodeDefinitions} onAdd={(type) => addNodeOfType(type)} />
          <main className="fh-canvas" ref={canvasRef} onDragOver={onDragOver} onDrop={onDrop} aria-label="Flow canvas">
            {deployIssues && (
              <DeployIssues
                issues={deployIssues}
                title={`Not deployed: ${deployIssues.length} problem${deployIssues.length === 1 ? "" : "s"} to fix`}
                onSelectNode={focusNode}
                onClose={() => setDeployIssues(null)}
              />
            )}
            <div className="fh-canvas-flow">
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
                  deleteKeyCode={["Delete", "Backspace"]}
                  fitView
                  fitViewOptions={{ maxZoom: 1.2, padding: 0.2 }}
                  minZoom={0.2}
                  maxZoom={2.5}
                  snapToGrid
                  snapGrid={[10, 10]}
                  defaultEdgeOptions={{ interactionWidth: 16 }}
                >
                  <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
                  <MiniMap pannable zoomable nodeColor={(n) => (n.data as { color?: string }).color ?? "#ccc"} ariaLabel="Flow overview" />
                  <Controls showInteractive={false} />
                </ReactFlow>
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
            <div className="fh-side-body">
              {sideTab === "props" ? (
                <PropertyPanel
                  key={selectedNode?.id ?? "none"}
                  node={selectedNode}
                  def={selectedDef}
                  selectionCount={selection.nodes.size}
                  issues={meta.issues}
                  configNodes={doc?.configNodes ?? []}
                  issuesStale={saveState.kind === "pending" || saveState.kind === "saving"}
                  onRename={(name) => selectedNode && flowId && edit((d) => renameNode(d, flowId, selectedNode.id, name))}
                  onDisabled={(v) => selectedNode && flowId && edit((d) => setNodeDisabled(d, flowId, selectedNode.id, v))}
                  onConfig={onConfig}
                />
              ) : sideTab === "debug" ? (
                <DebugSidebar entries={debug} nodeName={nodeName} onSelectNode={focusNode} onClear={() => setDebug([])} />
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
      </div>
    </EditorActionsContext.Provider>
  );
}
