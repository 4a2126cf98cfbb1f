/**
 * The process-wide registry of singletons. server.ts creates them once and puts them here;
 * route handlers (which Next loads as separate module copies) reach them through
 * `getApp()`. Living on globalThis is what makes it one registry per process.
 */
import type { FlowhouseApp } from "./app";

const KEY = Symbol.for("flowhouse.app");
type Registry = { [KEY]?: FlowhouseApp };

export function setApp(app: FlowhouseApp | undefined): void {
  (globalThis as Registry)[KEY] = app;
}

export function getApp(): FlowhouseApp | undefined {
  return (globalThis as Registry)[KEY];
}
