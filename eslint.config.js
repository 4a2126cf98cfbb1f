// Lint: TypeScript rules plus the dependency direction of the architecture
// (app → components → lib; lib/runtime and lib/mqtt never import React or Next; lib/flow,
// node definitions and API schemas stay browser-safe). A wrong-direction import fails CI.
import tseslint from "typescript-eslint";

const uiFrameworks = [
  { group: ["react", "react-dom", "react/*", "react-dom/*"], message: "lib/ is framework-free: no React here (UI belongs in components/)." },
  { group: ["next", "next/*"], message: "lib/ is framework-free: no Next.js here (routes belong in app/)." },
  { group: ["@xyflow/*"], message: "lib/ is framework-free: React Flow belongs in components/editor." },
  { group: ["**/components/**", "@/components/*", "@/app/*", "**/app/**"], message: "lib/ must not import from components/ or app/ (dependency direction: app → components → lib)." },
];
// "/mqtt" (anchored) forbids the MQTT.js package only; a bare "mqtt" would also match the
// browser-safe lib/mqtt/topic.ts that definitions import for topic validation.
const nodeBuiltins = [
  { group: ["node:*", "fs", "path", "os", "net", "http", "crypto", "child_process"], message: "This module is browser-safe: no Node.js APIs (move server code to lib/runtime, lib/server or a node's runtime.ts)." },
  { group: ["**/generated/prisma/*", "**/lib/db/*", "**/db/*", "@/lib/db/*"], message: "This module is browser-safe: no database access." },
  { group: ["**/runtime/*", "!**/runtime/message", "@/lib/runtime/*", "**/mqtt/connections", "**/mqtt/embedded-broker", "**/server/*", "@/lib/server/*", "/mqtt", "aedes", "socket.io"], message: "This module is browser-safe: no runtime/server code." },
];

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", "dist/**", "generated/**", "data/**", "next-env.d.ts", "tests/bench/results/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    files: ["lib/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: uiFrameworks }] },
  },
  {
    files: ["lib/flow/**/*.ts", "lib/api/**/*.ts", "lib/nodes/types.ts", "lib/nodes/registry.ts", "lib/nodes/*/definition.ts", "lib/mqtt/topic.ts", "lib/mqtt/trie.ts", "lib/server/events.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [...uiFrameworks, ...nodeBuiltins] }] },
  },
  {
    files: ["components/**/*.ts", "components/**/*.tsx", "app/**/page.tsx", "app/**/layout.tsx"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["node:*", "fs", "path", "net", "child_process"], message: "UI code runs in the browser: no Node.js APIs." },
            { group: ["**/lib/server/*", "@/lib/server/*", "!@/lib/server/events", "!**/lib/server/events", "**/lib/db/*", "@/lib/db/*", "**/lib/runtime/*", "@/lib/runtime/*", "**/lib/mqtt/connections", "@/lib/mqtt/connections", "**/lib/mqtt/embedded-broker", "@/lib/mqtt/embedded-broker", "**/generated/prisma/*"], message: "UI code talks to the server over HTTP and socket.io, not by importing server modules." },
          ],
        },
      ],
    },
  },
);
