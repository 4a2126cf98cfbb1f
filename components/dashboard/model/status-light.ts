/** Status light: green when the value equals okValue, red otherwise, grey when unknown. */
export type LightColor = "green" | "red" | "grey";

export function statusLight(value: unknown, okValue: string): LightColor {
  if (value === undefined || value === null) return "grey";
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return text.trim().toLowerCase() === okValue.trim().toLowerCase() ? "green" : "red";
}
