"use client";
/**
 * Import (paste or file: Node-RED flows.json or a Flowhouse export; as new nodes or
 * replacing everything), the shipped examples, and export (selection, tab or all; as
 * Node-RED flows.json or Flowhouse JSON; download or copy).
 */
import { useEffect, useMemo, useState } from "react";
import type { FlowDocument } from "../../lib/flow/schema";
import type { ExampleSummary } from "../../lib/api/schemas";
import { api } from "./api";
import { copyToClipboard, Dialog, downloadText } from "./Dialog";
import {
  exportFileName,
  exportText,
  importIntoDraft,
  parseImportText,
  type ExchangeFormat,
  type ExportScope,
  type ImportResult,
} from "./model/import-export";

export type ImportExportTab = "import" | "examples" | "export";

export interface ImportExportDialogProps {
  document: FlowDocument;
  activeFlowId: string | null;
  /** Selected nodes on the open tab (export "selection"). */
  selectedNodeIds: readonly string[];
  initialTab?: ImportExportTab;
  /** Apply an import to the draft (one undo step); `message` says what happened. */
  onApply: (result: ImportResult, message: string) => void;
  onClose: () => void;
}

export function ImportExportDialog(props: ImportExportDialogProps) {
  const [tab, setTab] = useState<ImportExportTab>(props.initialTab ?? "import");
  const tabs: [ImportExportTab, string][] = [
    ["import", "Import"],
    ["examples", "Examples"],
    ["export", "Export"],
  ];
  return (
    <Dialog title="Import and export" testId="import-export-dialog" className="fh-dlg-wide" onClose={props.onClose}>
      <div className="fh-dlg-tabs" role="tablist">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={`fh-dlg-tab${tab === id ? " is-active" : ""}`}
            onClick={() => setTab(id)}
            data-testid={`ie-tab-${id}`}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === "import" && <ImportPane {...props} />}
      {tab === "examples" && <ExamplesPane {...props} />}
      {tab === "export" && <ExportPane {...props} />}
    </Dialog>
  );
}

function describe(result: ImportResult, replaced: boolean): string {
  const n = result.nodeIds.length;
  const nodes = `${n} node${n === 1 ? "" : "s"}`;
  if (replaced) return `Replaced the draft: ${nodes} on ${result.flowIds.length} tab${result.flowIds.length === 1 ? "" : "s"}. Undo brings the old draft back.`;
  if (result.flowIds.length) return `Imported ${nodes} on ${result.flowIds.length} new tab${result.flowIds.length === 1 ? "" : "s"}.`;
  return `Imported ${nodes} onto this tab.`;
}

function ImportPane({ document, activeFlowId, onApply, onClose }: ImportExportDialogProps) {
  const [text, setText] = useState("");
  const [mode, setMode] = useState<"add" | "replace">("add");
  const [fileError, setFileError] = useState<string | null>(null);
  const parsed = useMemo(() => (text.trim() ? parseImportText(text) : null), [text]);
  const errors = parsed?.ok ? parsed.issues.filter((i) => i.severity === "error") : [];
  const warnings = parsed?.ok ? parsed.issues.filter((i) => i.severity === "warning") : [];

  const doImport = () => {
    if (!parsed?.ok) return;
    const result = importIntoDraft(document, parsed, { mode, currentFlowId: activeFlowId });
    onApply(result, describe(result, mode === "replace") + (errors.length ? ` ${errors.length} problem${errors.length === 1 ? "" : "s"} to fix before deploying.` : ""));
    onClose();
  };

  return (
    <div className="fh-ie-pane" role="tabpanel">
      <label className="fh-dlg-field">
        <span>Paste a Node-RED flows.json (Node-RED: Menu → Export) or a Flowhouse export</span>
        <textarea
          rows={9}
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          placeholder='[{"id":"…","type":"tab","label":"…"}, …]'
          data-testid="import-text"
        />
      </label>
      <div className="fh-ie-row">
        <label className="fh-btn fh-btn-small fh-file-btn">
          Choose a file…
          <input
            type="file"
            accept=".json,application/json"
            data-testid="import-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setFileError(null);
              file.text().then(setText, (err: unknown) => setFileError(`Could not read ${file.name}: ${(err as Error).message}`));
            }}
          />
        </label>
        <fieldset className="fh-ie-radios">
          <legend className="fh-visually-hidden">Import as</legend>
          <label>
            <input type="radio" name="ie-mode" checked={mode === "add"} onChange={() => setMode("add")} data-testid="import-mode-add" /> Add as new nodes
          </label>
          <label>
            <input type="radio" name="ie-mode" checked={mode === "replace"} onChange={() => setMode("replace")} data-testid="import-mode-replace" /> Replace all flows
          </label>
        </fieldset>
      </div>
      {fileError && <p className="fh-dlg-error">{fileError}</p>}
      {parsed && !parsed.ok && (
        <p className="fh-dlg-error" role="alert" data-testid="import-error">
          {parsed.message}
        </p>
      )}
      {parsed?.ok && (
        <div className="fh-ie-summary" data-testid="import-summary" role="status">
          {parsed.format === "node-red" ? "Node-RED flows.json" : "Flowhouse export"}: {parsed.nodeCount} node{parsed.nodeCount === 1 ? "" : "s"}
          {parsed.document.flows.length > 0 && parsed.hasTabs ? ` on ${parsed.document.flows.length} tab${parsed.document.flows.length === 1 ? "" : "s"}` : " (onto this tab)"}
          {parsed.document.configNodes.length > 0 ? `, ${parsed.document.configNodes.length} config node${parsed.document.configNodes.length === 1 ? "" : "s"}` : ""}.
          {mode === "add" ? " Fresh ids are given, so nothing in the draft is overwritten." : " The current draft will be replaced (Undo brings it back)."}
        </div>
      )}
      {(errors.length > 0 || warnings.length > 0) && (
        <ul className="fh-dlg-issues" data-testid="import-issues">
          {[...errors, ...warnings].slice(0, 50).map((i, k) => (
            <li key={k} className={i.severity === "error" ? "is-error" : "is-warning"}>
              {i.message}
            </li>
          ))}
        </ul>
      )}
      <div className="fh-dlg-actions">
        <button type="button" className="fh-btn is-primary" disabled={!parsed?.ok} onClick={doImport} data-testid="import-confirm">
          {mode === "add" ? "Import" : "Replace all"}
        </button>
      </div>
    </div>
  );
}

function ExamplesPane({ document, activeFlowId, onApply, onClose }: ImportExportDialogProps) {
  const [examples, setExamples] = useState<ExampleSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    api.examples().then(setExamples, (e: unknown) => setError((e as Error).message));
  }, []);
  const load = async (ex: ExampleSummary) => {
    setBusy(ex.name);
    setError(null);
    try {
      const json = await api.example(ex.name);
      const parsed = parseImportText(JSON.stringify(json));
      if (!parsed.ok) throw new Error(parsed.message);
      const result = importIntoDraft(document, parsed, { mode: "add", currentFlowId: activeFlowId });
      onApply(result, `Imported the example '${ex.title}' as a new tab.`);
      onClose();
    } catch (e) {
      setError(`Could not import '${ex.title}': ${(e as Error).message}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="fh-ie-pane" role="tabpanel">
      {error && <p className="fh-dlg-error">{error}</p>}
      {examples === null && !error && <p className="fh-muted">Loading examples…</p>}
      {examples?.length === 0 && <p className="fh-muted">No example flows are installed (the flows/ folder is empty).</p>}
      <ul className="fh-examples">
        {examples?.map((ex) => (
          <li key={ex.name} data-testid="example-row">
            <div>
              <strong>{ex.title}</strong>
              {ex.description && <p className="fh-muted fh-small">{ex.description}</p>}
            </div>
            <button type="button" className="fh-btn fh-btn-small" disabled={busy !== null} onClick={() => void load(ex)} data-testid={`example-import-${ex.name}`}>
              {busy === ex.name ? "Importing…" : "Import"}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ExportPane({ document, activeFlowId, selectedNodeIds }: ImportExportDialogProps) {
  const [kind, setKind] = useState<ExportScope["kind"]>(selectedNodeIds.length ? "selection" : "flow");
  const [format, setFormat] = useState<ExchangeFormat>("node-red");
  const [note, setNote] = useState<string | null>(null);
  const scope: ExportScope | null =
    kind === "all" ? { kind } : !activeFlowId ? null : kind === "flow" ? { kind, flowId: activeFlowId } : { kind, flowId: activeFlowId, nodeIds: selectedNodeIds };
  const text = useMemo(() => (scope ? exportText(document, scope, format) : ""), [document, scope?.kind, format, activeFlowId, selectedNodeIds]);
  const empty = kind === "selection" && selectedNodeIds.length === 0;
  const flowName = document.flows.find((f) => f.id === activeFlowId)?.name ?? "this tab";
  return (
    <div className="fh-ie-pane" role="tabpanel">
      <div className="fh-ie-row">
        <fieldset className="fh-ie-radios">
          <legend>What</legend>
          <label>
            <input type="radio" name="ie-scope" checked={kind === "selection"} onChange={() => setKind("selection")} disabled={selectedNodeIds.length === 0} data-testid="export-scope-selection" />{" "}
            Selected nodes ({selectedNodeIds.length})
          </label>
          <label>
            <input type="radio" name="ie-scope" checked={kind === "flow"} onChange={() => setKind("flow")} data-testid="export-scope-flow" /> Tab &apos;{flowName}&apos;
          </label>
          <label>
            <input type="radio" name="ie-scope" checked={kind === "all"} onChange={() => setKind("all")} data-testid="export-scope-all" /> All flows
          </label>
        </fieldset>
        <fieldset className="fh-ie-radios">
          <legend>Format</legend>
          <label>
            <input type="radio" name="ie-format" checked={format === "node-red"} onChange={() => setFormat("node-red")} data-testid="export-format-node-red" /> Node-RED flows.json
          </label>
          <label>
            <input type="radio" name="ie-format" checked={format === "flowhouse"} onChange={() => setFormat("flowhouse")} data-testid="export-format-flowhouse" /> Flowhouse JSON
          </label>
        </fieldset>
      </div>
      <textarea className="fh-ie-output" rows={10} readOnly value={empty ? "" : text} aria-label="Export" data-testid="export-text" onFocus={(e) => e.currentTarget.select()} />
      <div className="fh-dlg-actions">
        {note && (
          <span className="fh-muted fh-small" role="status">
            {note}
          </span>
        )}
        <button
          type="button"
          className="fh-btn"
          disabled={empty || !scope}
          onClick={() => void copyToClipboard(text).then((ok) => setNote(ok ? "Copied." : "The browser refused the clipboard: select the text and press Ctrl+C."))}
          data-testid="export-copy"
        >
          Copy
        </button>
        <button
          type="button"
          className="fh-btn is-primary"
          disabled={empty || !scope}
          onClick={() => scope && downloadText(exportFileName(document, scope, format), text)}
          data-testid="export-download"
        >
          Download
        </button>
      </div>
    </div>
  );
}
