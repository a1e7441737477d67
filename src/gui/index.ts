// The GUI: a read-only web view of Gateway API objects and what meshgate made of them.
export type { GuiServer, GuiServerOptions, GuiSnapshot, GuiSource } from './types';
export { DEFAULT_BASE_PATH, DEFAULT_HOST, DEFAULT_PORT } from './types';
export { startGuiServer, SECURITY_HEADERS } from './server';
export { serveOffline, type OfflineGui, type OfflineOptions } from './offline';
export { memorySource, type MemorySource, type TranslateFn } from './source';
export { redactSnapshot } from './redact';
