"use client";
/** Callbacks the canvas nodes need, passed by context so node data stays plain values. */
import { createContext, useContext } from "react";

export interface EditorActions {
  pressButton: (nodeId: string) => void;
  /** Flips a debug node's `active` in the draft (deploy to apply). */
  toggleDebug: (nodeId: string) => void;
}

export const EditorActionsContext = createContext<EditorActions>({ pressButton: () => undefined, toggleDebug: () => undefined });

export function useEditorActions(): EditorActions {
  return useContext(EditorActionsContext);
}
