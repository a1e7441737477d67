// Controller flags that shape the gateway proxies: control-plane URL and CA.
import { ConfigError, parseControllerConfig } from './config';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const files: Record<string, string> = { '/ca.pem': PEM, '/junk': 'not a certificate' };
const read = (p: string) => { if (!(p in files)) throw new Error('ENOENT'); return files[p]; };
const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseControllerConfig(argv, env, read);

describe('control-plane flags', () => {
  it('defaults: no URL (the translator builds Kuma\'s), no CA file, Kuma\'s CA Secret name', () => {
    const c = parse([]);
    expect([c.controlPlaneURL, c.controlPlaneCACert, c.controlPlaneCASecret]).toEqual([undefined, undefined, 'kuma-tls-cert']);
  });

  it('reads the CA file once and passes its PEM on; flags win over the environment', () => {
    const c = parse(['--control-plane-ca-file=/ca.pem', '--control-plane-url=https://cp:5678', '--control-plane-ca-secret=my-ca'], { MESHGATE_CONTROL_PLANE_URL: 'https://env:5678' });
    expect([c.controlPlaneURL, c.controlPlaneCACert, c.controlPlaneCASecret]).toEqual(['https://cp:5678', PEM, 'my-ca']);
    expect(parse([], { MESHGATE_CONTROL_PLANE_CA_FILE: '/ca.pem' }).controlPlaneCACert).toBe(PEM);
  });

  it('refuses what kuma-dp would refuse: a missing or non-PEM CA file, a URL that is not http(s)', () => {
    expect(() => parse(['--control-plane-ca-file=/missing'])).toThrow(new ConfigError('--control-plane-ca-file: cannot read /missing: ENOENT'));
    expect(() => parse(['--control-plane-ca-file=/junk'])).toThrow(/holds no PEM certificate/);
    expect(() => parse(['--control-plane-url=grpc://cp:5678'])).toThrow(/must be http or https/);
    expect(() => parse(['--control-plane-url=not a url'])).toThrow(/is not a URL/);
  });
});
