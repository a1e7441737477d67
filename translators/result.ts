// What the pure translator returns: desired objects plus the status of every Gateway API
// object meshgate is responsible for. Sorted, so output is byte-stable.
import type { GatewayStatusAddress, ListenerStatus, RouteParentStatus } from './api/gateway-api';
import type { Condition, KubeObject } from './api/meta';
import type { RouteKind } from './keys';

export interface StatusTarget {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
}

export interface GatewayClassStatusUpdate {
  target: StatusTarget & { kind: 'GatewayClass' };
  generation: number;
  conditions: Condition[];
  supportedFeatures: { name: string }[];
}

export interface GatewayStatusUpdate {
  target: StatusTarget & { kind: 'Gateway' };
  generation: number;
  conditions: Condition[];
  listeners: ListenerStatus[];
  addresses: GatewayStatusAddress[];
  /** Attached (Accepted) ListenerSets; set only where the Gateway allows or has ListenerSets (GEP-1713). */
  attachedListenerSets?: number;
}

export interface ListenerSetStatusUpdate {
  target: StatusTarget & { kind: 'ListenerSet' };
  generation: number;
  conditions: Condition[];
  listeners: ListenerStatus[];
}

/** Only meshgate's own `parents[]` entries; an empty list removes entries it wrote before. */
export interface RouteStatusUpdate {
  target: StatusTarget & { kind: RouteKind };
  generation: number;
  parents: RouteParentStatus[];
}

export type StatusUpdate = GatewayClassStatusUpdate | GatewayStatusUpdate | ListenerSetStatusUpdate | RouteStatusUpdate;

/** A notice that is not a condition, for the CLI and GUI (e.g. an ignored parentRef). */
export interface Diagnostic {
  severity: 'warning' | 'info';
  object: { kind: string; namespace?: string; name: string };
  field?: string;
  message: string;
}

/** The object a generated object comes from: the route of a route's MeshHTTPRoute or MeshTCPRoute, else its Gateway or GAMMA route, or the source Secret of a copy. */
export interface OwnerRef { kind: string; namespace?: string; name: string }

export interface TranslationResult {
  objects: KubeObject[];
  statuses: StatusUpdate[];
  diagnostics: Diagnostic[];
  /** By generated object (translators/keys.ts ObjectKey, in `objects` order): the object it comes from. */
  owners?: Record<string, OwnerRef>;
}
