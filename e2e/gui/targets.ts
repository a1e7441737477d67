// GUI targets the browser suite runs against. The suite only needs a URL, the Secret values that
// must never show up, and a way to make a visible change; the offline target serves the repo's
// examples/ (or the fixture bundle) through serveOffline. A cluster target (the controller on
// a real API server) implements the same interface.
import { existsSync, readFileSync, readdirSync } from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import type { Gateway, HTTPRoute } from '../../translators/api/gateway-api';
import type { KubeObject, Secret } from '../../translators/api/meta';
import { addToInput, emptyInput, type TranslationInput } from '../../translators/input';
import { translate } from '../../translators';
import type { TranslationResult } from '../../translators/result';
import { buildGui } from '../../src/gui/build';
import { serveOffline } from '../../src/gui/offline';
import { fixture, secretValues } from '../../src/gui/testdata/fixture';

export interface GuiTarget {
  name: string;
  /** The GUI's base URL, ending in `/gui/`. */
  url: string;
  token?: string;
  /** Strings (base64 and decoded Secret data) that must never appear in a response. */
  secretValues: string[];
  /** Makes a visible change in the source; the returned route name must appear in the Routes list. */
  change(): Promise<{ routeNamespace: string; routeName: string }>;
  close(): Promise<void>;
}

type Translate = (input: TranslationInput) => TranslationResult;


/** Every YAML document under examples/ (recursively), sorted into a bundle; undefined if none. */
export function loadExamples(dir = path.resolve(__dirname, '../../examples')): TranslationInput | undefined {
  if (!existsSync(dir)) return undefined;
  const input = emptyInput();
  let n = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) {
        for (const doc of YAML.parseAllDocuments(readFileSync(p, 'utf8'))) {
          const o = doc.toJSON() as KubeObject | null;
          if (o && typeof o === 'object' && o.kind && o.metadata) {
            if (!o.metadata.namespace && !['GatewayClass', 'Namespace', 'MeshGatewayConfig'].includes(o.kind)) o.metadata.namespace = 'default';
            if (addToInput(input, o)) n++;
          }
        }
      }
    }
  };
  walk(dir);
  return n > 0 && input.gateways.length > 0 ? input : undefined;
}

export function secretStrings(input: TranslationInput): string[] {
  const out = new Set<string>();
  for (const s of input.secrets as Secret[]) {
    for (const v of Object.values(s.data ?? {})) {
      if (v.length >= 16) out.add(v);
      const dec = Buffer.from(v, 'base64').toString('utf8');
      for (const line of dec.split('\n')) if (line.length >= 24 && !line.startsWith('-----')) out.add(line);
    }
    for (const v of Object.values(s.stringData ?? {})) if (v.length >= 8) out.add(v);
  }
  return [...out];
}

/** An HTTPRoute on `gw` whose only backend is a Service that does not exist: a failing route. */
function missingBackendRoute(gw: Gateway, name: string): HTTPRoute {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
    metadata: { name, namespace: gw.metadata.namespace ?? 'default', generation: 1, uid: name },
    spec: { parentRefs: [{ name: gw.metadata.name }], rules: [{ backendRefs: [{ name: 'does-not-exist', port: 80 }] }] },
  };
}

export async function offlineTarget(opts: { token?: string; port?: number } = {}): Promise<GuiTarget> {
  await buildGui();
  const examples = loadExamples();
  let input: TranslationInput;
  let name: string;
  let translateFn: Translate;
  if (examples) {
    input = examples;
    // The examples may not carry Secrets; add the fixture's so redaction is always exercised.
    input.secrets.push(...fixture().input.secrets.map((s) => ({ ...s, metadata: { ...s.metadata, namespace: 'meshgate-gui-test' } })));
    // The examples are all valid; a route to a missing Service gives the suite a failing route to follow.
    if (input.gateways[0]) input.httpRoutes.push(missingBackendRoute(input.gateways[0], 'gui-e2e-missing-backend'));
    name = 'offline (examples/)';
    translateFn = translate;
  } else {
    input = fixture().input;
    name = 'offline (fixture)';
    translateFn = translate;
  }
  const values = [...new Set([...secretValues(), ...secretStrings(input)])];
  const gui = await serveOffline(input, { port: opts.port ?? 0, translate: translateFn, ...(opts.token ? { token: opts.token } : {}) });
  let n = 0;
  return {
    name,
    url: gui.url,
    ...(opts.token ? { token: opts.token } : {}),
    secretValues: values,
    async change() {
      n++;
      const cur = gui.source.current().input;
      const gw = cur.gateways[0]!;
      const route = missingBackendRoute(gw, `live-update-${n}`);
      gui.source.update({ ...cur, httpRoutes: [...cur.httpRoutes, route] });
      return { routeNamespace: route.metadata.namespace!, routeName: route.metadata.name };
    },
    close: () => gui.close(),
  };
}
