/**
 * Which node types match what the user typed in the palette search or quick-add box:
 * every word must appear in the type, its palette label or its category; types whose
 * label starts with the query come first. Pure.
 */
import type { AnyNodeDefinition } from "../../../lib/nodes/types";

export function placeableDefinitions(defs: readonly AnyNodeDefinition[]): AnyNodeDefinition[] {
  return defs.filter((d) => !d.isConfig && d.category !== "config");
}

export function searchDefinitions(defs: readonly AnyNodeDefinition[], query: string): AnyNodeDefinition[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...defs];
  const words = q.split(/\s+/);
  const scored: { def: AnyNodeDefinition; score: number; index: number }[] = [];
  defs.forEach((def, index) => {
    const label = def.paletteLabel.toLowerCase();
    const type = def.type.toLowerCase();
    const hay = `${label} ${type} ${def.category.toLowerCase()}`;
    if (!words.every((w) => hay.includes(w))) return;
    const score = label === q || type === q ? 0 : label.startsWith(q) || type.startsWith(q) ? 1 : label.includes(q) || type.includes(q) ? 2 : 3;
    scored.push({ def, score, index });
  });
  return scored.sort((a, b) => a.score - b.score || a.index - b.index).map((s) => s.def);
}
