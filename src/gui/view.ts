// The JSON shapes the GUI server sends and the front end reads. Type-only: imported by both the
// server (src/gui/*.ts) and the browser bundle (src/gui/web), so it must not import Node APIs.
import type { Condition, KubeObject } from '../../translators/api/meta';
import type { Diagnostic } from '../../translators/result';

export type Origin = 'source' | 'generated';

/** Identifies any object shown: source (Gateway API input) or generated (translation output). */
export interface Ref {
  origin: Origin;
  kind: string;
  namespace?: string;
  name: string;
}

export interface VersionView {
  version: number;
  mode: 'cluster' | 'offline';
}

export interface Problem {
  severity: 'error' | 'warning';
  object: Ref;
  /** e.g. `listener https`, `parent infra/web`. */
  where?: string;
  type: string;
  status: string;
  reason: string;
  message: string;
  hint: string;
  mesh: string;
}

export interface CountRow {
  mesh: string;
  gatewayClasses: number;
  gateways: number;
  httpRoutes: number;
  grpcRoutes: number;
  tlsRoutes: number;
  tcpRoutes: number;
  udpRoutes: number;
  generated: Record<string, number>;
}

export interface ClassRow {
  name: string;
  controllerName: string;
  managed: boolean;
  accepted: string;
  parametersRef?: string;
  gateways: number;
}

export interface GatewayRow {
  namespace: string;
  name: string;
  mesh: string;
  className: string;
  listeners: number;
  attachedRoutes: number;
  accepted: string;
  programmed: string;
  addresses: string[];
  problems: number;
}

export interface OverviewView extends VersionView {
  problems: Problem[];
  notices: Diagnostic[];
  counts: CountRow[];
  classes: ClassRow[];
  gateways: GatewayRow[];
  namespaces: string[];
  meshes: string[];
}

/** One line of a list page (routes or generated objects), kept small for 10,000 rows. */
export interface ListRow {
  ref: Ref;
  mesh: string;
  /** 'ok' | 'problem' | 'unknown' (no status written, e.g. not meshgate's). */
  state: 'ok' | 'problem' | 'unknown';
  /** Short text: hostnames + parents for routes, owner for generated objects. */
  detail: string;
  /** First failing reason, if any. */
  reason?: string;
}

export interface ListView extends VersionView {
  rows: ListRow[];
}

export interface ConditionsView {
  conditions: Condition[];
}

export interface GeneratedItem {
  ref: Ref;
  mesh: string;
  /** The object itself (Secret copies: metadata only). */
  object: KubeObject;
  yaml: string;
}

export interface RouteLink {
  ref: Ref;
  accepted: boolean;
  reason?: string;
}

export interface ListenerView {
  name: string;
  protocol: string;
  port: number;
  hostname?: string;
  tlsMode?: string;
  certificates: { ref: Ref; resolved: boolean; copies: Ref[] }[];
  /** Certificate validity text taken from conditions/diagnostics, when the result exposes it. */
  certificateNotes: string[];
  conditions: Condition[];
  attachedRoutes: number;
  supportedKinds: string[];
  routes: RouteLink[];
}

export interface ObjectView extends VersionView {
  ref: Ref;
  mesh: string;
  object: KubeObject;
  yaml: string;
  conditions: Condition[];
  problems: Problem[];
  generated: GeneratedItem[];
  /** For generated objects: the source object(s) that own them. */
  owners: Ref[];
  diagnostics: Diagnostic[];
  gateway?: GatewayDetail;
  listenerSet?: ListenerSetDetail;
  route?: RouteDetail;
  gatewayClass?: ClassDetail;
}

export interface ClassDetail {
  parameters?: { ref: Ref; found: boolean };
  gateways: Ref[];
  supportedFeatures: string[];
}

export interface GatewayDetail {
  className: string;
  classRef: Ref;
  listeners: ListenerView[];
  addresses: { type: string; value: string }[];
  specAddresses: string[];
  /** Routes whose parentRefs name this Gateway but which did not attach. */
  detached: RouteLink[];
}

/** A ListenerSet page (GEP-1713): its parent Gateway and its listeners. */
export interface ListenerSetDetail {
  parentRef: Ref;
  listeners: ListenerView[];
  /** Routes whose parentRefs name this ListenerSet but which did not attach. */
  detached: RouteLink[];
}

export interface BackendView {
  ref: Ref;
  port?: number;
  weight: number;
  resolved: boolean;
  why?: string;
}

export interface RuleView {
  index: number;
  name?: string;
  /** Human summary lines: matches, filters. */
  matches: string[];
  filters: string[];
  backends: BackendView[];
}

export interface ParentView {
  parentRef: string;
  /** The Gateway or ListenerSet named (for a link; its page says whether it exists). */
  parent?: Ref;
  conditions: Condition[];
  problems: Problem[];
}

export interface GeneratedRuleView {
  ref: Ref;
  target: string;
  hostnames: string[];
  rules: { matches: string[]; filters: string[]; backends: string[] }[];
}

export interface RouteDetail {
  hostnames: string[];
  parents: ParentView[];
  rules: RuleView[];
  generatedRules: GeneratedRuleView[];
}

export interface GraphNode {
  id: string;
  kind: string;
  label: string;
  sub?: string;
  layer: number;
  /** Hash route of the node's page; absent for missing objects. */
  href?: string;
  failing: boolean;
  missing?: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  failing: boolean;
  label?: string;
}

export interface GraphView extends VersionView {
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
  total: number;
}

export const LAYERS = ['GatewayClass', 'Gateway · Config · Secret', 'Listener · Copy', 'Route', 'Service'] as const;

/** The hash route of an object's page; stable, so links can be shared. */
export function hrefOf(ref: Ref): string {
  const seg = (s: string | undefined) => encodeURIComponent(s ?? '');
  if (ref.origin === 'source') {
    if (ref.kind === 'GatewayClass') return `#/gatewayclass/${seg(ref.name)}`;
    if (ref.kind === 'Gateway') return `#/gateway/${seg(ref.namespace)}/${seg(ref.name)}`;
    if (ref.kind === 'ListenerSet') return `#/listenerset/${seg(ref.namespace)}/${seg(ref.name)}`;
    if (ref.kind === 'HTTPRoute') return `#/httproute/${seg(ref.namespace)}/${seg(ref.name)}`;
    if (ref.kind === 'GRPCRoute') return `#/grpcroute/${seg(ref.namespace)}/${seg(ref.name)}`;
    if (ref.kind === 'TLSRoute') return `#/tlsroute/${seg(ref.namespace)}/${seg(ref.name)}`;
    if (ref.kind === 'TCPRoute') return `#/tcproute/${seg(ref.namespace)}/${seg(ref.name)}`;
    if (ref.kind === 'UDPRoute') return `#/udproute/${seg(ref.namespace)}/${seg(ref.name)}`;
  }
  return `#/object/${ref.origin}/${seg(ref.kind)}/${ref.namespace ? seg(ref.namespace) : '-'}/${seg(ref.name)}`;
}

export function refLabel(ref: Ref): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** Condition types whose healthy state is False (set to True when something is wrong). */
export const NEGATIVE_CONDITIONS: readonly string[] = ['Conflicted', 'OverlappingTLSConfig', 'PartiallyInvalid'];

export function isBadCondition(c: { type: string; status: string }): boolean {
  return NEGATIVE_CONDITIONS.includes(c.type) ? c.status === 'True' : c.status === 'False';
}
