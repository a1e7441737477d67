// Kuma 2.14.3 admission (translators/testing/kuma-admission.ts): the checker refuses what each
// rule refuses (table below, so it can fail), and every golden input and example translates to
// objects it admits: zero violations.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifests } from './load';
import { translate } from '../translators/index';
import type { TranslationOptions } from '../translators/input';
import { admissionReport, kumaAdmissionViolations } from '../translators/testing/kuma-admission';
import { pem } from '../translators/testdata/certs';

const SYS = { systemNamespace: 'kuma-system' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

const gateway = (listeners: object[], extra: object = {}) => ({
  apiVersion: 'kuma.io/v1alpha1', kind: 'MeshGateway', mesh: 'default', metadata: { name: 'edge.demo' },
  spec: { selectors: [{ match: { 'kuma.io/service': 'edge_demo_svc' } }], conf: { listeners }, ...extra },
});
const http = { hostname: '*', port: 80, protocol: 'HTTP', tags: { 'gateways.kuma.io/listener-name': 'http' } };
const gwRoute = (rule: object, extra: object = {}) => ({
  apiVersion: 'kuma.io/v1alpha1', kind: 'MeshHTTPRoute', metadata: { name: 'r', namespace: 'kuma-system', labels: { 'kuma.io/mesh': 'default' } },
  spec: { targetRef: { kind: 'MeshGateway', name: 'edge.demo', tags: { 'gateways.kuma.io/listener-name': 'http' } }, to: [{ targetRef: { kind: 'Mesh' }, rules: [rule], ...extra }] },
});
const svc = { kind: 'MeshService', name: 'web_demo_svc_80', weight: 1 };
const tcp = { hostname: '*', port: 5432, protocol: 'TCP', tags: { 'gateways.kuma.io/listener-name': 'db', 'meshgate.io/tcproute': 'app_db-0c0112a8' } };
const rule = (def: object, matches: object[] = [{ path: { type: 'PathPrefix', value: '/' } }]) => ({ matches, default: def });
const tcpRoute = (backendRefs: object[]) => ({
  apiVersion: 'kuma.io/v1alpha1', kind: 'MeshTCPRoute', metadata: { name: 't', namespace: 'kuma-system' },
  spec: { targetRef: { kind: 'MeshGateway', name: 'edge.demo', tags: { 'meshgate.io/tlsroute': 'x' } }, to: [{ targetRef: { kind: 'Mesh' }, rules: [{ default: { backendRefs } }] }] },
});
const secret = (value: string, type = 'system.kuma.io/secret') => ({ apiVersion: 'v1', kind: 'Secret', type, metadata: { name: 'gapi-demo-tls', namespace: 'kuma-system' }, data: { value: b64(value) } });
const goodPem = pem('valid.key') + pem('valid.crt');

describe('the Kuma admission checker refuses what Kuma refuses', () => {
  const cases: [string, object, RegExp, object?][] = [
    ['MeshGateway without selectors', { ...gateway([http]), spec: { selectors: [], conf: { listeners: [http] } } }, /selectors: must have at least one/],
    ['MeshGateway selector without kuma.io/service', { ...gateway([http]), spec: { selectors: [{ match: { app: 'x' } }], conf: { listeners: [http] } } }, /mandatory tag "kuma.io\/service"/],
    ['MeshGateway without listeners', gateway([]), /listeners: cannot be empty/],
    ['listener hostname invalid', gateway([{ ...http, hostname: 'Bad_Host' }]), /invalid hostname/],
    ['listener port 0', gateway([{ ...http, port: 0 }]), /port must be in the range/],
    ['HTTPS without tls', gateway([{ ...http, protocol: 'HTTPS' }]), /tls: cannot be empty/],
    ['HTTPS passthrough', gateway([{ ...http, protocol: 'HTTPS', tls: { mode: 'PASSTHROUGH' } }]), /PASSTHROUGH is not supported/],
    ['TERMINATE without certificates', gateway([{ ...http, protocol: 'HTTPS', tls: { mode: 'TERMINATE', certificates: [] } }]), /cannot be empty in TLS termination/],
    ['three certificates', gateway([{ ...http, protocol: 'HTTPS', tls: { mode: 'TERMINATE', certificates: [{ secret: 'a' }, { secret: 'b' }, { secret: 'c' }] } }]), /more than 2 certificates/],
    ['HTTPS with crossMesh', gateway([{ ...http, protocol: 'HTTPS', crossMesh: true, tls: { mode: 'TERMINATE', certificates: [{ secret: 'a' }] } }]), /not supported with crossMesh/],
    ['listener tag kuma.io/service', gateway([{ ...http, tags: { 'kuma.io/service': 'x' } }]), /must not be "kuma.io\/service"/],
    ['listener tag value with a space', gateway([{ ...http, tags: { a: 'b c' } }]), /invalid tag value/],
    ['two protocols on one port', gateway([http, { ...http, protocol: 'TCP', hostname: 'x.example.com' }]), /conflict on port 80/],
    ['two listeners for one hostname', gateway([http, { ...http, hostname: '' }]), /2 listeners for hostname \*/],
    // tcp-tls: TCP and TLS-terminate listener shapes (validators and the gateway's xDS generation).
    ['TLS listener without tls', gateway([{ ...tcp, protocol: 'TLS' }]), /needs mode TERMINATE or PASSTHROUGH/],
    ['TLS TERMINATE without certificates', gateway([{ ...tcp, protocol: 'TLS', tls: { mode: 'TERMINATE' } }]), /cannot be empty in TLS termination/],
    ['TLS TERMINATE with one certificate twice', gateway([{ ...tcp, protocol: 'TLS', tls: { mode: 'TERMINATE', certificates: [{ secret: 'a' }, { secret: 'a' }] } }]), /duplicate TLS certificate/],
    ['two TCP listeners on one port', gateway([tcp, { ...tcp, hostname: 'b.example.com', tags: { 'gateways.kuma.io/listener-name': 'b' } }]), /2 TCP listeners on port 5432/],
    ['TCP and TLS on one port', gateway([tcp, { ...tcp, protocol: 'TLS', hostname: 'a.example.com', tls: { mode: 'PASSTHROUGH' } }]), /conflict on port 5432/],
    ['TCP route targeting a MeshService', { ...tcpRoute([svc]), spec: { targetRef: { kind: 'MeshGateway', name: 'edge.demo' }, to: [{ targetRef: { kind: 'MeshService', name: 'x' }, rules: [{ default: { backendRefs: [svc] } }] }] } }, /to\[0\].targetRef.kind: value 'MeshService'/],
    ['MeshGateway in an invalid mesh', { ...gateway([http]), mesh: 'Bad Mesh!' }, /not a valid mesh name/],
    ['gateway rule without backendRefs', gwRoute(rule({ backendRefs: [] })), /backendRefs: must not be empty/],
    ['backend name with a slash', gwRoute(rule({ backendRefs: [{ kind: 'MeshService', name: 'a/b' }] })), /invalid characters/],
    ['backend kind Mesh', gwRoute(rule({ backendRefs: [{ kind: 'Mesh' }] })), /value 'Mesh' is not supported/],
    ['MeshServiceSubset without name', gwRoute(rule({ backendRefs: [{ kind: 'MeshServiceSubset', tags: { 'kuma.io/zone': 'z' } }] })), /name: must be set/],
    ['PathPrefix with trailing slash', gwRoute(rule({ backendRefs: [svc] }, [{ path: { type: 'PathPrefix', value: '/a/' } }])), /trailing slash/],
    ['Exact path not absolute', gwRoute(rule({ backendRefs: [svc] }, [{ path: { type: 'Exact', value: 'a' } }])), /absolute path/],
    ['Present header with a value', gwRoute(rule({ backendRefs: [svc] }, [{ headers: [{ type: 'Present', name: 'x', value: 'y' }] }])), /value: must not be defined/],
    ['duplicate query param', gwRoute(rule({ backendRefs: [svc] }, [{ queryParams: [{ type: 'Exact', name: 'a', value: '1' }, { type: 'Exact', name: 'a', value: '2' }] }])), /multiple entries/],
    ['empty header modifier', gwRoute(rule({ backendRefs: [svc], filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: {} }] })), /at least one of set, add, remove/],
    ['duplicate header in a modifier', gwRoute(rule({ backendRefs: [svc], filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'a', value: '1' }], remove: ['a'] } }] })), /duplicate header/],
    ['replacePrefixMatch with an Exact match', gwRoute(rule({ backendRefs: [svc], filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/x' } } }] }, [{ path: { type: 'Exact', value: '/a' } }])), /replacePrefixMatch: can only appear/],
    ['redirect to an IP', gwRoute(rule({ filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: '10.0.0.1' } }] })), /cannot be an IP address/],
    ['mirror to kind Mesh', gwRoute(rule({ backendRefs: [svc], filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { kind: 'Mesh' } } }] })), /requestMirror.backendRef.kind/],
    ['gateway route to a MeshService', { ...gwRoute(rule({ backendRefs: [svc] })), spec: { targetRef: { kind: 'MeshGateway', name: 'edge.demo' }, to: [{ targetRef: { kind: 'MeshService', name: 'x' }, rules: [] }] } }, /to\[0\].targetRef.kind: value 'MeshService'/],
    ['mesh route with hostnames', { ...gwRoute(rule({ backendRefs: [svc] })), spec: { targetRef: { kind: 'Mesh' }, to: [{ targetRef: { kind: 'MeshService', name: 'web_demo_svc_80' }, hostnames: ['a.example.com'], rules: [] }] } }, /hostnames: must not be defined/],
    ['mesh route to kind Mesh', { ...gwRoute(rule({ backendRefs: [svc] })), spec: { targetRef: { kind: 'Mesh' }, to: [{ targetRef: { kind: 'Mesh' }, rules: [] }] } }, /to\[0\].targetRef.kind: value 'Mesh'/],
    ['MeshSubset tag value with a slash', { ...gwRoute(rule({ backendRefs: [svc] })), spec: { targetRef: { kind: 'MeshSubset', tags: { a: 'b/c' } }, to: [] } }, /invalid tag value/],
    ['MeshGateway target in a consumer policy', { ...gwRoute(rule({ backendRefs: [svc] })), metadata: { name: 'r', namespace: 'app', labels: { 'kuma.io/policy-role': 'consumer' } } }, /spec.targetRef.kind: value 'MeshGateway' is not supported/],
    ['TCP route to the unresolved placeholder', tcpRoute([{ kind: 'MeshService', name: 'kuma.io/unresolved-backend', weight: 1 }]), /invalid characters/],
    ['TCP route without backends', tcpRoute([]), /backendRefs: must be defined/],
    ['policy without origin on a zone', tcpRoute([svc]), /kuma.io\/origin/, { zone: 'east' }],
    ['policy from another zone', { ...tcpRoute([svc]), metadata: { name: 't', namespace: 'kuma-system', labels: { 'kuma.io/origin': 'zone', 'kuma.io/zone': 'west' } } }, /kuma.io\/zone\]: should be "east"/, { zone: 'east' }],
    ['Secret of another type', secret(goodPem, 'Opaque'), /is not system.kuma.io\/secret/],
    ['Secret without value', secret(''), /data.value: cannot be empty/],
    ['Secret without a certificate', secret(pem('valid.key')), /missing server certificate/],
    ['Secret without a key', secret(pem('valid.crt')), /missing private key/],
    ['Secret with two keys', secret(pem('valid.key') + pem('mismatched.key') + pem('valid.crt')), /multiple private keys/],
    ['Secret with an unknown block', secret(`${goodPem}-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n`), /unsupported PEM block "FOO"/],
  ];
  it(`refuses each of ${cases.length} counter-examples for the rule it breaks`, () => {
    const missed: string[] = [];
    for (const [name, o, expected, opts] of cases) {
      const v = kumaAdmissionViolations(o, { ...SYS, ...opts });
      if (!v.some((x) => expected.test(x))) missed.push(`${name}: ${JSON.stringify(v)}`);
    }
    expect(missed).toEqual([]);
  });

  it('admits well-formed objects of every kind', () => {
    const ok = [
      gateway([http, { ...http, protocol: 'HTTPS', port: 443, tls: { mode: 'TERMINATE', certificates: [{ secret: 'gapi-demo-tls' }] } }]),
      gateway([tcp, { ...tcp, port: 8443, protocol: 'TLS', hostname: 'db.example.com', tls: { mode: 'TERMINATE', certificates: [{ secret: 'gapi-demo-tls' }] } },
        { ...tcp, port: 8443, protocol: 'TLS', hostname: 'pass.example.com', tls: { mode: 'PASSTHROUGH' } }]),
      { ...tcpRoute([svc]), spec: { ...tcpRoute([svc]).spec, targetRef: { kind: 'MeshGateway', name: 'edge.demo', tags: { 'meshgate.io/tcproute': 'app_db-0c0112a8' } } } },
      gwRoute(rule({ backendRefs: [svc, { kind: 'MeshService', name: 'kuma.io/unresolved-backend', weight: 1 }] })),
      gwRoute(rule({ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }] })),
      tcpRoute([svc, { kind: 'MeshServiceSubset', name: 'web_demo_svc_80', tags: { 'kuma.io/zone': 'east' } }]),
      secret(goodPem),
    ];
    expect(admissionReport(ok, SYS)).toEqual([]);
    const zoned = { ...tcpRoute([svc]), metadata: { name: 't', namespace: 'kuma-system', labels: { 'kuma.io/origin': 'zone', 'kuma.io/zone': 'east' } } };
    expect(admissionReport([zoned], { ...SYS, zone: 'east' })).toEqual([]);
  });
});

// ---- every golden input and every example ------------------------------------------------

const TESTDATA = join(__dirname, '..', 'translators', 'testdata');
const EXAMPLES = join(__dirname, '..', 'examples');

function goldenInputs(): [string, string, Partial<TranslationOptions>][] {
  const out: [string, string, Partial<TranslationOptions>][] = [];
  for (const f of readdirSync(TESTDATA).filter((x) => x.endsWith('.in.yaml')).sort()) {
    const m = /^#\s*options:\s*(\{.*\})\s*$/m.exec(readFileSync(join(TESTDATA, f), 'utf8'));
    out.push([f, join(TESTDATA, f), m ? (JSON.parse(m[1]) as Partial<TranslationOptions>) : {}]);
  }
  for (const d of readdirSync(EXAMPLES).sort()) if (statSync(join(EXAMPLES, d)).isDirectory()) out.push([`examples/${d}`, join(EXAMPLES, d), {}]);
  return out;
}

describe('every golden input and example translates to objects Kuma admits', () => {
  it.each(goldenInputs())('%s', (_name, path, options) => {
    const { input } = loadManifests([path], options);
    const result = translate(input);
    expect(admissionReport(result.objects, { systemNamespace: input.options.systemNamespace, zone: input.options.zone })).toEqual([]);
  });
});
