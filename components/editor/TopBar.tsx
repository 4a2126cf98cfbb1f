"use client";
/** Brand, app navigation, flow tabs, dialog buttons, live/saving indicators and the Deploy button. */
import type { ReactNode } from "react";
import type { Flow } from "../../lib/flow/schema";
import type { DeploymentSummary } from "../../lib/api/schemas";
import type { BrokerStateEvent } from "../../lib/server/events";
import type { SaveState } from "./model/autosave";
import { FlowTabs } from "./FlowTabs";

export type SocketState = "connecting" | "connected" | "disconnected";

export interface TopBarProps {
  flows: readonly Flow[];
  activeFlowId: string | null;
  onSelectFlow: (id: string) => void;
  onAddFlow: () => void;
  onRenameFlow: (id: string, name: string) => void;
  onMoveFlow: (id: string, toIndex: number) => void;
  /** App navigation (Editor · Monitor · Dashboard), after the brand */
  nav?: ReactNode;
  /** Extra buttons before the indicators (dialogs: history, search, import/export…) */
  tools?: ReactNode;
  saveState: SaveState;
  socketState: SocketState;
  broker: BrokerStateEvent | null;
  hasChanges: boolean;
  deploying: boolean;
  canDeploy: boolean;
  onDeploy: () => void;
  lastDeployment: DeploymentSummary | null;
  deployedId: number | null;
  onLogout: () => void;
}

export function TopBar(props: TopBarProps) {
  const { flows, activeFlowId, onSelectFlow, onAddFlow, onRenameFlow, onMoveFlow } = props;
  return (
    <header className="fh-topbar">
      <div className="fh-brand">
        <span className="fh-logo" aria-hidden>
          ⌂
        </span>
        <span className="fh-brand-name">Flowhouse</span>
      </div>
      {props.nav}
      <FlowTabs flows={flows} activeFlowId={activeFlowId} onSelect={onSelectFlow} onAdd={onAddFlow} onRename={onRenameFlow} onMove={onMoveFlow} />
      <div className="fh-topbar-right">
        {props.tools}
        <SaveIndicator state={props.saveState} />
        {props.hasChanges && (
          <span className="fh-pill is-attention" data-testid="undeployed-indicator" title="The draft differs from what is running: press Deploy">
            Undeployed changes
          </span>
        )}
        <DeployedIndicator lastDeployment={props.lastDeployment} deployedId={props.deployedId} />
        <span
          className={`fh-pill fh-live is-${props.socketState}`}
          data-testid="socket-state"
          data-state={props.socketState}
          title={props.socketState === "connected" ? "Live updates connected" : "Live updates are not connected: status and debug will not update"}
        >
          <span className="fh-dot" aria-hidden />
          {props.socketState === "connected" ? "Live" : props.socketState === "connecting" ? "Connecting…" : "Offline"}
        </span>
        {props.broker && (
          <span
            className={`fh-pill fh-live is-${props.broker.connected ? "connected" : "disconnected"}`}
            data-testid="broker-state"
            title={`MQTT broker ${props.broker.url}: ${props.broker.connected ? "connected" : "not connected"}`}
          >
            <span className="fh-dot" aria-hidden />
            MQTT
          </span>
        )}
        <button
          type="button"
          className={`fh-btn fh-deploy${props.hasChanges ? " is-primary" : ""}`}
          data-testid="deploy-button"
          data-state={props.deploying ? "deploying" : props.hasChanges ? "changes" : "deployed"}
          disabled={props.deploying || !props.canDeploy}
          onClick={props.onDeploy}
          aria-busy={props.deploying}
        >
          {props.deploying ? (
            <>
              <span className="fh-spinner" aria-hidden /> Deploying…
            </>
          ) : props.hasChanges ? (
            "Deploy"
          ) : (
            "Deployed"
          )}
        </button>
        <button type="button" className="fh-btn fh-btn-quiet" onClick={props.onLogout} title="Log out">
          Log out
        </button>
      </div>
    </header>
  );
}

function SaveIndicator({ state }: { state: SaveState }) {
  let text: string;
  let title: string | undefined;
  switch (state.kind) {
    case "pending":
      text = "Unsaved";
      break;
    case "saving":
      text = "Saving…";
      break;
    case "saved":
      text = "Saved";
      title = `Draft saved at ${new Date(state.at).toLocaleTimeString()}`;
      break;
    case "error":
      text = "Save failed";
      title = state.message;
      break;
    default:
      text = "Draft";
  }
  return (
    <span className={`fh-save is-${state.kind}`} data-testid="draft-state" data-state={state.kind} title={title} role="status">
      {text}
      {state.kind === "error" && <span className="fh-save-error">: {state.message}</span>}
    </span>
  );
}

function DeployedIndicator({ lastDeployment, deployedId }: { lastDeployment: DeploymentSummary | null; deployedId: number | null }) {
  if (deployedId === null && !lastDeployment) return <span className="fh-muted fh-small">Never deployed</span>;
  const id = lastDeployment?.id ?? deployedId;
  const at = lastDeployment ? new Date(lastDeployment.createdAt) : null;
  return (
    <span className="fh-muted fh-small" data-testid="last-deployed" title={lastDeployment?.note || undefined}>
      #{id}
      {at && !Number.isNaN(at.getTime()) ? ` at ${at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}` : ""}
    </span>
  );
}
