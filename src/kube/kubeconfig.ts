// Credentials come from @kubernetes/client-node's KubeConfig (exec plugins, OIDC, in-cluster…).
// The 1.x package is ESM-only: Node ≥ 20.19 loads it with require(), but jest's module runtime
// cannot, so it is loaded through Node's native require, here and nowhere else.
import { createRequire } from 'node:module';
import type { KubeConfig } from '@kubernetes/client-node';

const nativeRequire = createRequire(__filename);

export function loadKubeConfig(path?: string): KubeConfig {
  const { KubeConfig: KC } = nativeRequire('@kubernetes/client-node') as typeof import('@kubernetes/client-node');
  const kc = new KC();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  return kc;
}
