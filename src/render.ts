// What `meshgate translate` prints: the generated objects, then each input object with the status meshgate
// would write. Apart from cli.ts so that `meshgate --help` and the controller load none of this.
import type { KubeObject } from '../translators/api/meta';
import type { TranslationInput } from '../translators/input';
import type { TranslationResult } from '../translators/result';
import { redactSecrets } from './redact';
import { documentToYAML } from './yaml-out';

/** Generated objects, then every Gateway API input object with its computed status. */
export function renderTranslation(input: TranslationInput, result: TranslationResult, showSecretData: boolean): KubeObject[] {
  const statusByKey = new Map(result.statuses.map((s) => [`${s.target.kind}|${s.target.namespace ?? ''}|${s.target.name}`, s]));
  const sources: KubeObject[] = [...input.gatewayClasses, ...input.gateways, ...(input.listenerSets ?? []), ...input.httpRoutes, ...input.tlsRoutes, ...(input.grpcRoutes ?? []), ...(input.tcpRoutes ?? []), ...(input.udpRoutes ?? [])];
  const withStatus = sources.map((o) => {
    const s = statusByKey.get(`${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`);
    if (!s) return o;
    const { target: _t, generation: _g, ...status } = s as unknown as Record<string, unknown>;
    return { ...o, status } as KubeObject;
  });
  const objects = showSecretData ? result.objects : result.objects.map(redactSecrets);
  return [...objects, ...withStatus];
}

/** The documents as multi-document YAML (YAML 1.1 quoting; see src/yaml-out.ts). */
export function toYAML(docs: object[]): string {
  return docs.map(documentToYAML).join('---\n');
}
