"use client";
/** Callbacks the canvas nodes need, passed by context so node data stays plain values. */
import { createContext, useContext } from "react";

export interface EditorActions {
  pressButton: (nodeId: string) => void;
}

export const EditorActionsContext = createContext<EditorActions>({ pressButton: () => undefined });

export function useEditorActions(): EditorActions {
  return useContext(EditorActionsContext);
}
