/** Bundles server.ts into dist/server.mjs (see build-server.mjs). */
export function buildServer(): Promise<void>;
