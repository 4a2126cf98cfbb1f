"use client";
/**
 * One node on the canvas, Node-RED style: coloured body, input port left, output ports
 * right, status badge underneath, optional button on the left edge (inject). Memoized and
 * defined at module level so React Flow does not remount nodes on every editor render.
 */
import { memo } from "react";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import type { NodeStatusEvent } from "../../lib/server/events";
import { NODE_HEIGHT_PER_PORT, nodeHeight } from "./model/canvas";
import { useEditorActions } from "./EditorActions";

export interface FlowNodeData extends Record<string, unknown> {
  label: string;
  type: string;
  color: string;
  inputs: number;
  outputs: number;
  button: boolean;
  unknown: boolean;
  disabled: boolean;
  issue?: string;
  status?: NodeStatusEvent["status"];
  /** debug nodes only: whether the node sends to the sidebar (`config.active`) */
  debugActive?: boolean;
}

export type FlowRfNode = Node<FlowNodeData, "flowhouse">;

function FlowNodeViewImpl({ id, data, selected }: NodeProps<FlowRfNode>) {
  const { pressButton, toggleDebug } = useEditorActions();
  const height = nodeHeight(data.outputs);
  const classes = ["fh-node"];
  if (selected) classes.push("is-selected");
  if (data.unknown) classes.push("is-unknown");
  if (data.disabled) classes.push("is-disabled");
  const status = data.status;
  return (
    <div
      className={classes.join(" ")}
      style={{ background: data.unknown ? undefined : data.color, height }}
      title={data.issue ? `${data.label}: ${data.issue}` : data.label}
      data-node-type={data.type}
    >
      {data.button && (
        <button
          type="button"
          className="fh-node-button nodrag"
          aria-label={`Trigger ${data.label}`}
          title="Send a message now (needs a deploy first)"
          onClick={(e) => {
            e.stopPropagation();
            pressButton(id);
          }}
        />
      )}
      {data.inputs > 0 && <Handle type="target" position={Position.Left} id="in" className="fh-port" />}
      <span className="fh-node-label">{data.label}</span>
      {Array.from({ length: data.outputs }, (_, port) => (
        <Handle
          key={port}
          type="source"
          position={Position.Right}
          id={`out-${port}`}
          className="fh-port"
          style={{ top: data.outputs === 1 ? "50%" : 4 + NODE_HEIGHT_PER_PORT * port + NODE_HEIGHT_PER_PORT / 2 }}
          title={data.outputs > 1 ? `output ${port + 1}` : undefined}
        />
      ))}
      {data.debugActive !== undefined && (
        <button
          type="button"
          role="switch"
          aria-checked={data.debugActive}
          className={`fh-node-toggle nodrag${data.debugActive ? " is-on" : ""}`}
          aria-label={`${data.label}: output to the debug sidebar ${data.debugActive ? "on" : "off"}`}
          title={data.debugActive ? "Debug output on: click to turn off" : "Debug output off: click to turn on"}
          data-testid={`debug-toggle-${id}`}
          onClick={(e) => {
            e.stopPropagation();
            toggleDebug(id);
          }}
        />
      )}
      {data.issue && (
        <span className="fh-node-issue" aria-label={`Problem: ${data.issue}`}>
          !
        </span>
      )}
      {status && (status.text || status.fill) && (
        <div className="fh-node-status" data-testid={`node-status-${id}`}>
          <span className={`fh-status-mark fill-${status.fill ?? "grey"} shape-${status.shape ?? "dot"}`} aria-hidden />
          <span className="fh-status-text">{status.text ?? ""}</span>
        </div>
      )}
    </div>
  );
}

export const FlowNodeView = memo(FlowNodeViewImpl);

export const nodeTypes = { flowhouse: FlowNodeView };
