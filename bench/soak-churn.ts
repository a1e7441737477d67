// The soak's churn: a seeded PRNG picking the next random change over a fixed set of names (bench/soak.ts).
import { testControllerName } from '../e2e/support/controller';
import { gateway, gatewayClass, httpListener, httpsListener, meshGatewayConfig, namespace, tlsListener, tlsSecret, type Obj, type Pem } from '../e2e/faults/fixture';

export const key = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export const CTRL = testControllerName('soak');
export const OTHER = 'example.com/not-meshgate';
export const NAMESPACES = ['soak-0', 'soak-1', 'soak-2', 'soak-3'];
export const CLASS = 'soak';
export const OTHER_CLASS = 'soak-other';
export const CONFIGS = ['soak-cfg-0', 'soak-cfg-1'];
export const GW_NAMES = ['gw-0', 'gw-1'];
export const ROUTE_NAMES = ['rt-0', 'rt-1', 'rt-2', 'rt-3'];
export const TLS_ROUTE_NAMES = ['tr-0', 'tr-1'];
export const SVC_NAMES = ['svc-0', 'svc-1', 'svc-2'];
export const SECRET_NAMES = ['cert-0', 'cert-1'];
export const HOSTS = ['a.example.com', 'b.example.com', '*.example.com', 'api.b.example.com'];
export const TLS_HOSTS = ['x.tls.example.com', 'y.tls.example.com'];
export const SVC_PORTS = [8080, 9090, 8443];

/** mulberry32: small, fast, good enough for choosing ops; same seed → same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Churn {
  readonly existing = new Set<string>();
  private readonly rnd: () => number;
  constructor(seed: number, private readonly certs: Pem[]) {
    this.rnd = prng(seed);
  }

  private pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.rnd() * xs.length)]; }
  private chance(p: number): boolean { return this.rnd() < p; }
  private some<T>(xs: readonly T[], min = 1): T[] {
    const out = xs.filter(() => this.chance(0.5));
    while (out.length < min) { const x = this.pick(xs); if (!out.includes(x)) out.push(x); }
    return out;
  }

  /** The next op: which object, and whether to apply (create/update) or delete it. */
  next(): { kind: string; verb: 'create' | 'update' | 'delete'; obj: Obj } {
    const kind = this.pickKind();
    const obj = this.build(kind);
    const k = key(obj);
    if (kind === 'Namespace' || kind === 'GatewayClass') return { kind, verb: 'update', obj };
    if (!this.existing.has(k)) return { kind, verb: 'create', obj };
    return { kind, verb: this.chance(0.3) ? 'delete' : 'update', obj };
  }

  private pickKind(): string {
    const weights: [string, number][] = [
      ['HTTPRoute', 26], ['Gateway', 14], ['Service', 12], ['Secret', 10], ['TLSRoute', 8],
      ['ReferenceGrant', 10], ['MeshGatewayConfig', 6], ['GatewayClass', 5], ['Namespace', 6],
    ];
    let r = this.rnd() * weights.reduce((a, [, w]) => a + w, 0);
    for (const [k, w] of weights) { r -= w; if (r < 0) return k; }
    return 'HTTPRoute';
  }

  private build(kind: string): Obj {
    const ns = this.pick(NAMESPACES);
    switch (kind) {
      case 'Namespace': return namespace(ns, { team: this.pick(['red', 'blue']) });
      case 'GatewayClass': return gatewayClass(CLASS, CTRL, this.pick([undefined, ...CONFIGS, 'soak-cfg-missing']));
      case 'MeshGatewayConfig':
        return meshGatewayConfig(this.pick(CONFIGS), {
          replicas: 1 + Math.floor(this.rnd() * 3), serviceType: this.pick(['ClusterIP', 'LoadBalancer']),
          ...(this.chance(0.5) ? { tags: { tier: this.pick(['edge', 'internal']) } } : {}),
          ...(this.chance(0.3) ? { podTemplate: { metadata: { labels: { soak: String(Math.floor(this.rnd() * 10)) } } } } : {}),
        });
      case 'Gateway': {
        const listeners: Record<string, unknown>[] = [];
        const allowed = () => this.pick([{ namespaces: { from: 'Same' } }, { namespaces: { from: 'All' } }, { namespaces: { from: 'Selector', selector: { matchLabels: { team: this.pick(['red', 'blue']) } } } }]);
        if (this.chance(0.8)) listeners.push(httpListener('http', 80, { allowedRoutes: allowed() }));
        if (this.chance(0.4)) listeners.push(httpListener('http-alt', 8080, { hostname: this.pick(['*.example.com', 'b.example.com']), allowedRoutes: allowed() }));
        if (this.chance(0.5)) {
          const refs = this.some([...SECRET_NAMES, 'plain']).map((name) => (this.chance(0.25) ? { name, namespace: this.pick(NAMESPACES) } : { name }));
          listeners.push(httpsListener('https', 443, refs, { hostname: this.pick(['*.example.com', 'a.example.com']), allowedRoutes: allowed() }));
        }
        if (this.chance(0.3)) listeners.push(tlsListener('tls', 8443, '*.tls.example.com', { allowedRoutes: { kinds: [{ kind: 'TLSRoute' }], ...allowed() } }));
        if (listeners.length === 0) listeners.push(httpListener('http', 80));
        return gateway(ns, this.pick(GW_NAMES), this.chance(0.9) ? CLASS : OTHER_CLASS, listeners);
      }
      case 'HTTPRoute': {
        const parents = this.some([0, 1, 2]).map(() => {
          if (this.chance(0.1)) return { group: '', kind: 'Service', name: this.pick(SVC_NAMES) }; // GAMMA
          const p: Record<string, unknown> = { name: this.pick(GW_NAMES) };
          if (this.chance(0.4)) p.namespace = this.pick(NAMESPACES);
          if (this.chance(0.3)) p.sectionName = this.pick(['http', 'https', 'http-alt']);
          return p;
        });
        // One reference per parent (CEL rejects two to the same parent without distinct sectionNames).
        const unique = [...new Map(parents.map((p) => [`${p.kind ?? 'Gateway'}/${p.namespace ?? ns}/${p.name}`, p])).values()];
        const rules = this.some([0, 1]).map((i) => ({
          matches: [{ path: { type: 'PathPrefix', value: `/p${i}${Math.floor(this.rnd() * 3)}` } }],
          backendRefs: this.some([0, 1]).map(() => ({
            name: this.pick(SVC_NAMES), port: this.pick(SVC_PORTS), ...(this.chance(0.25) ? { namespace: this.pick(NAMESPACES) } : {}),
            ...(this.chance(0.3) ? { weight: Math.floor(this.rnd() * 5) } : {}),
          })),
        }));
        return {
          apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: this.pick(ROUTE_NAMES), namespace: ns },
          spec: { parentRefs: unique, ...(this.chance(0.6) ? { hostnames: this.some(HOSTS) } : {}), rules },
        };
      }
      case 'TLSRoute':
        return {
          apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TLSRoute', metadata: { name: this.pick(TLS_ROUTE_NAMES), namespace: ns },
          spec: {
            parentRefs: [{ name: this.pick(GW_NAMES), ...(this.chance(0.5) ? { namespace: this.pick(NAMESPACES) } : {}), ...(this.chance(0.5) ? { sectionName: 'tls' } : {}) }],
            hostnames: this.some(TLS_HOSTS),
            rules: [{ backendRefs: [{ name: this.pick(SVC_NAMES), port: this.pick(SVC_PORTS), ...(this.chance(0.3) ? { namespace: this.pick(NAMESPACES) } : {}) }] }],
          },
        };
      case 'ReferenceGrant': {
        const forGateways = this.chance(0.5);
        return {
          apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: forGateways ? 'allow-gateways' : 'allow-routes', namespace: ns },
          spec: forGateways
            ? { from: this.some(NAMESPACES).map((n) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: n })), to: [{ group: '', kind: 'Secret', ...(this.chance(0.5) ? { name: this.pick(SECRET_NAMES) } : {}) }] }
            : { from: this.some(NAMESPACES).flatMap((n) => this.some(['HTTPRoute', 'TLSRoute']).map((k) => ({ group: 'gateway.networking.k8s.io', kind: k, namespace: n }))), to: [{ group: '', kind: 'Service' }] },
        };
      }
      case 'Service': {
        const ports = this.some(SVC_PORTS);
        return {
          apiVersion: 'v1', kind: 'Service', metadata: { name: this.pick(SVC_NAMES), namespace: ns },
          spec: { selector: { app: 'soak' }, ports: ports.map((port) => ({ name: `p${port}`, port, targetPort: port, ...(this.chance(0.2) ? { appProtocol: 'http' } : {}) })) },
        };
      }
      case 'Secret': {
        // "plain" is referenced by listeners too but is no TLS Secret (a Secret's type is immutable).
        const name = this.pick([...SECRET_NAMES, 'plain']);
        if (name === 'plain') return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type: 'Opaque', data: { x: Buffer.from(String(this.rnd())).toString('base64') } };
        return tlsSecret(ns, name, this.pick(this.certs));
      }
      default: throw new Error(kind);
    }
  }
}
