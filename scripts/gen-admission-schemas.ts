// Writes src/admission/schemas.json: the structural part of the CRD schemas of every kind the offline
// loader reads (the Gateway API experimental channel pinned in e2e/upstream/go.mod, and meshgate's own
// crds/), per served version, without descriptions. The offline loader checks files against it so that
// `meshgate translate` refuses what the API server would refuse. Run: npx ts-node --transpile-only
// scripts/gen-admission-schemas.ts (src/admission/schemas.test.ts fails when the file is stale).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { gatewayApiCrdDir, pinnedVersion, GATEWAY_API_MODULE } from '../e2e/upstream/locate';

const ROOT = path.resolve(__dirname, '..');
export const OUT = path.join(ROOT, 'src', 'admission', 'schemas.json');

// What the API server enforces from a structural schema (CEL rules, x-kubernetes-validations, are not kept:
// the loader does not evaluate them, see docs/offline-admission.md).
const KEEP = ['type', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength',
  'pattern', 'minItems', 'maxItems', 'required', 'nullable', 'format', 'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields', 'minProperties', 'maxProperties'] as const;

type Schema = Record<string, unknown>;

function strip(s: Schema): Schema {
  const out: Schema = {};
  for (const k of KEEP) if (s[k] !== undefined) out[k] = s[k];
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties as Record<string, Schema>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, strip(v)]));
  if (s.items) out.items = strip(s.items as Schema);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out.additionalProperties = strip(s.additionalProperties as Schema);
  return out;
}

interface Crd {
  spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema?: { openAPIV3Schema: Schema } }[] };
}

function readCrds(dir: string): Crd[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split(/^---$/m).map((d) => parse(d) as Crd | null))
    .filter((c): c is Crd => c?.spec?.versions !== undefined);
}

/** Kinds the loader reads; everything else is skipped with a warning before schemas matter. */
export const GATEWAY_API_KINDS = ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'ReferenceGrant', 'ListenerSet'];

export function generate(): string {
  const crds = [
    ...readCrds(gatewayApiCrdDir('experimental')).filter((c) => c.spec.group === 'gateway.networking.k8s.io' && GATEWAY_API_KINDS.includes(c.spec.names.kind)),
    ...readCrds(path.join(ROOT, 'crds')).filter((c) => c.spec.names.kind === 'MeshGatewayConfig'),
  ];
  const kinds: Record<string, Record<string, Schema>> = {};
  for (const c of crds.sort((a, b) => (a.spec.names.kind < b.spec.names.kind ? -1 : 1))) {
    for (const v of c.spec.versions.filter((x) => x.served && x.schema)) {
      (kinds[`${c.spec.group}/${c.spec.names.kind}`] ??= {})[v.name] = strip(v.schema!.openAPIV3Schema);
    }
  }
  return `${JSON.stringify({ source: `${GATEWAY_API_MODULE}@${pinnedVersion(GATEWAY_API_MODULE)} config/crd/experimental; crds/`, kinds })}\n`;
}

if (require.main === module) {
  writeFileSync(OUT, generate());
  process.stdout.write(`wrote ${OUT}\n`);
}
