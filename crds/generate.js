#!/usr/bin/env node
// Generates the kuma.io/v1alpha1 CRDs in this directory (one file per kind).
//
//   node crds/generate.js           # (re)write crds/kuma.io_*.yaml
//   node crds/generate.js --check   # exit 1 if a committed file differs from what this script generates
//
// The schemas are written by hand here (shared pieces such as TargetRef are defined once) to
// match the field layout of Kuma 2.14.x, so that anything meshgate writes is also valid for Kuma:
//   MeshGateway        api/mesh/v1alpha1/gateway.proto (Kuma ships it as a preserve-unknown-fields spec;
//                      this CRD gives it a real schema)
//   MeshGatewayConfig  pkg/plugins/resources/k8s/native/api/v1alpha1/mesh_gateway_config.go
//   MeshHTTPRoute      pkg/plugins/policies/meshhttproute/api/v1alpha1/meshhttproute.go
//   MeshTCPRoute       pkg/plugins/policies/meshtcproute/api/v1alpha1/meshtcproute.go
// CEL rules (x-kubernetes-validations) mirror the checks of Kuma's validators
// (pkg/core/resources/apis/mesh/gateway_validator.go and the policies' validation.go) for the
// mistakes users make most often, so they fail at `kubectl apply` instead of in the control plane.
//
// The chart (charts/meshgate) renders these files from charts/meshgate/files/crds, a symlink to
// this directory: this directory is the single source of truth.
'use strict';

const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

const str = (description, extra = {}) => ({ type: 'string', ...(description ? { description } : {}), ...extra });
const bool = (description) => ({ type: 'boolean', description });
const stringMap = (description) => ({ type: 'object', description, additionalProperties: { type: 'string' } });
const int32 = (description, extra = {}) => ({ type: 'integer', format: 'int32', description, ...extra });

const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
const quantity = {
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern: QUANTITY_PATTERN,
  'x-kubernetes-int-or-string': true,
};

// Tags Kuma reserves for Dataplane properties: they may not be set on a gateway or its listeners.
const RESERVED_LISTENER_TAGS = ['kuma.io/service', 'kuma.io/protocol', 'kuma.io/zone', 'kuma.io/external-service-name'];
const noReservedTags = (what) => ({
  rule: RESERVED_LISTENER_TAGS.map((t) => `!('${t}' in self)`).join(' && '),
  message: `${what} must not contain the tags ${RESERVED_LISTENER_TAGS.join(', ')}`,
});

// Kinds accepted in a Kuma targetRef / backendRef (Kuma 2.14 common_api.TargetRefKind).
const TARGET_REF_KINDS = [
  'Mesh',
  'MeshSubset',
  'MeshGateway',
  'MeshService',
  'MeshExternalService',
  'MeshMultiZoneService',
  'MeshServiceSubset',
  'MeshHTTPRoute',
  'Dataplane',
];

function targetRefProperties() {
  return {
    kind: str('Kind of the referenced resource.', { enum: TARGET_REF_KINDS }),
    name: str(
      'Name of the referenced resource. Used with the kinds MeshGateway, MeshService, MeshExternalService, ' +
        'MeshMultiZoneService, MeshServiceSubset, MeshHTTPRoute and Dataplane.',
    ),
    namespace: str(
      'Namespace of the referenced resource. When empty, only resources in the namespace of the policy are targeted.',
    ),
    labels: stringMap('Labels select a group of resources (for example MeshServices) by label. Use either labels or name/namespace.'),
    tags: stringMap(
      'Tags select a subset of proxies by tags. Used with the kinds MeshSubset and MeshServiceSubset, and with MeshGateway to select listeners.',
    ),
    sectionName: str(
      'SectionName targets a section of the resource, for example a port of a MeshService by its name.',
    ),
    mesh: str('Mesh is reserved for future use to identify cross-mesh resources.'),
  };
}

function targetRef(description) {
  return {
    type: 'object',
    description,
    required: ['kind'],
    properties: {
      ...targetRefProperties(),
      proxyTypes: {
        type: 'array',
        description:
          'ProxyTypes restricts the policy to these data plane proxy types. When not specified, all proxy types are targeted.',
        minItems: 1,
        items: { type: 'string', enum: ['Sidecar', 'Gateway'] },
      },
    },
  };
}

function backendRef(description = 'BackendRef defines where to forward traffic.') {
  return {
    type: 'object',
    description,
    required: ['kind'],
    properties: {
      ...targetRefProperties(),
      weight: { type: 'integer', description: 'Weight of this backend among the backendRefs of the rule.', default: 1, minimum: 0 },
      port: int32('Port of the referenced MeshService (only with a real MeshService object).', { minimum: 1, maximum: 65535 }),
      // Kuma's BackendRef embeds a whole TargetRef, proxyTypes included: without it here the field
      // would be pruned where Kuma keeps it.
      proxyTypes: {
        type: 'array',
        description: 'ProxyTypes restricts the backend to these data plane proxy types (part of the TargetRef Kuma embeds).',
        items: { type: 'string', enum: ['Sidecar', 'Gateway'] },
      },
    },
  };
}

function crd({ kind, plural, singular, shortNames, scope, description, schemaProps, required, columns, statusSubresource }) {
  const names = { kind, listKind: `${kind}List`, plural, singular, categories: ['kuma'] };
  if (shortNames) names.shortNames = shortNames;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${plural}.kuma.io`,
      labels: {
        'app.kubernetes.io/part-of': 'meshgate',
      },
      annotations: {
        'meshgate.kuma.io/generated-by': 'crds/generate.js',
      },
    },
    spec: {
      group: 'kuma.io',
      names,
      scope,
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          additionalPrinterColumns: [
            ...columns,
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description,
              ...(required ? { required } : {}),
              properties: {
                apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
                kind: str('Kind is a string value representing the REST resource this object represents.'),
                metadata: { type: 'object' },
                ...schemaProps,
              },
            },
          },
          subresources: statusSubresource ? { status: {} } : {},
        },
      ],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// MeshGateway (cluster-scoped, mesh at the top level, spec = the MeshGateway proto)
// ---------------------------------------------------------------------------------------------

const dataSource = {
  type: 'object',
  description: 'DataSource is the source of a PEM bundle (certificate chain and private key). Exactly one field is set.',
  minProperties: 1,
  maxProperties: 1,
  properties: {
    secret: str('Name of a Kuma Secret in the mesh of the gateway.'),
    file: str('Path to a file. Deprecated in Kuma.'),
    inline: str('Inline bytes (base64 in JSON/YAML).', { format: 'byte' }),
    inlineString: str('Inline string.'),
  },
};

const listener = {
  type: 'object',
  description: 'Listener is a logical endpoint bound on the gateway address.',
  required: ['port', 'protocol'],
  properties: {
    hostname: str(
      'Hostname to match for protocols that support it. Empty or "*" matches all hostnames; wildcards such as "*.example.com" are allowed.',
      { maxLength: 253 },
    ),
    port: int32('Port is the network port. Several listeners may share a port if their protocols match and hostnames differ.', {
      minimum: 1,
      maximum: 65535,
    }),
    protocol: str('Protocol of the listener.', { enum: ['NONE', 'TCP', 'TLS', 'HTTP', 'HTTPS'] }),
    tls: {
      type: 'object',
      description: 'TLS configuration; required for HTTPS (mode TERMINATE) and TLS listeners.',
      properties: {
        mode: str('TLS mode. TERMINATE needs 1 or 2 certificates; PASSTHROUGH takes none.', {
          enum: ['NONE', 'TERMINATE', 'PASSTHROUGH'],
        }),
        certificates: {
          type: 'array',
          description:
            'Certificates: data sources each holding a PEM certificate chain and private key. With two, they must have different key types (RSA and ECDSA).',
          maxItems: 2,
          items: dataSource,
        },
        options: { type: 'object', description: 'Options are reserved by Kuma (an empty message today).' },
      },
      'x-kubernetes-validations': [
        {
          rule: "!has(self.mode) || self.mode != 'PASSTHROUGH' || !has(self.certificates) || size(self.certificates) == 0",
          message: 'tls.mode PASSTHROUGH must not have certificates',
        },
        {
          rule: "!has(self.mode) || self.mode != 'TERMINATE' || (has(self.certificates) && size(self.certificates) >= 1)",
          message: 'tls.mode TERMINATE needs 1 or 2 certificates',
        },
      ],
    },
    tags: {
      ...stringMap('Tags that routes use to attach to this listener (unioned with the gateway tags).'),
      'x-kubernetes-validations': [noReservedTags('listener tags')],
    },
    crossMesh: bool('CrossMesh makes this listener reachable only from other meshes. Only HTTP listeners can be cross-mesh.'),
    resources: {
      type: 'object',
      description: 'Listener-specific resource settings.',
      properties: {
        connectionLimit: {
          type: 'integer',
          format: 'int64',
          minimum: 0,
          maximum: 4294967295,
          description: 'Maximum number of concurrent connections (0: unlimited). Listeners on the same port must agree.',
        },
      },
    },
  },
  'x-kubernetes-validations': [
    { rule: "self.protocol != 'NONE'", message: 'protocol must be set', fieldPath: '.protocol' },
    {
      rule: "!has(self.crossMesh) || !self.crossMesh || self.protocol == 'HTTP'",
      message: 'crossMesh listeners must use protocol HTTP',
      fieldPath: '.protocol',
    },
    {
      rule:
        "!has(self.crossMesh) || !self.crossMesh || !has(self.tls) || ((!has(self.tls.mode) || self.tls.mode == 'NONE') && (!has(self.tls.certificates) || size(self.tls.certificates) == 0))",
      message: 'tls must be empty on crossMesh listeners',
      fieldPath: '.tls',
    },
    {
      rule: "self.protocol != 'HTTPS' || (has(self.tls) && has(self.tls.mode) && self.tls.mode == 'TERMINATE')",
      message: 'HTTPS listeners need tls with mode TERMINATE',
      fieldPath: '.tls',
    },
    {
      rule: "self.protocol != 'TLS' || (has(self.tls) && has(self.tls.mode) && self.tls.mode != 'NONE')",
      message: 'TLS listeners need tls with mode TERMINATE or PASSTHROUGH',
      fieldPath: '.tls',
    },
    {
      rule: "!has(self.tls) || (has(self.crossMesh) && self.crossMesh) || (has(self.tls.mode) && self.tls.mode != 'NONE')",
      message: 'tls.mode must be TERMINATE or PASSTHROUGH when tls is set',
      fieldPath: '.tls',
    },
  ],
};

// Hostname of a listener as Kuma compares it: empty means "*".
const hn = (v) => `(has(${v}.hostname) && ${v}.hostname != '' ? ${v}.hostname : '*')`;

const meshGateway = crd({
  kind: 'MeshGateway',
  plural: 'meshgateways',
  singular: 'meshgateway',
  shortNames: ['mgw'],
  scope: 'Cluster',
  description:
    'MeshGateway configures a Kuma builtin gateway: the listeners served by the gateway data plane proxies that its selectors match. ' +
    'meshgate writes one per Gateway API Gateway, named <gateway>.<namespace>.',
  required: ['spec'],
  columns: [
    // Server-side printing of a `[*]` path shows only the first match, and JSONPath cannot count, so the
    // listener columns describe the first listener (-o wide adds its protocol and hostname).
    { name: 'Mesh', type: 'string', jsonPath: '.mesh' },
    { name: 'Service', type: 'string', description: 'kuma.io/service of the gateway proxies', jsonPath: '.spec.selectors[0].match.kuma\\.io/service' },
    { name: 'Port', type: 'integer', description: 'Port of the first listener', jsonPath: '.spec.conf.listeners[0].port' },
    { name: 'Protocol', type: 'string', description: 'Protocol of the first listener', priority: 1, jsonPath: '.spec.conf.listeners[0].protocol' },
    { name: 'Hostname', type: 'string', description: 'Hostname of the first listener', priority: 1, jsonPath: '.spec.conf.listeners[0].hostname' },
  ],
  schemaProps: {
    mesh: str('Mesh the gateway belongs to (a top-level field, as for every Kuma mesh-scoped resource).', { maxLength: 253 }),
    spec: {
      type: 'object',
      description: 'The MeshGateway proto (kuma.mesh.v1alpha1.MeshGateway).',
      required: ['selectors', 'conf'],
      properties: {
        selectors: {
          type: 'array',
          description: 'Selectors match the builtin gateway data plane proxies that serve this gateway. Each needs a kuma.io/service tag.',
          minItems: 1,
          items: {
            type: 'object',
            required: ['match'],
            properties: { match: stringMap('Tags to match.') },
            'x-kubernetes-validations': [
              { rule: "'kuma.io/service' in self.match", message: 'each selector must match a kuma.io/service tag' },
            ],
          },
        },
        tags: {
          ...stringMap('Tags common to all listeners of the gateway.'),
          'x-kubernetes-validations': [noReservedTags('gateway tags')],
        },
        conf: {
          type: 'object',
          description: 'Desired configuration of the gateway.',
          required: ['listeners'],
          properties: {
            listeners: {
              type: 'array',
              description: 'Listeners bound on the gateway address(es). At most 64, as in Gateway API.',
              minItems: 1,
              maxItems: 64,
              items: listener,
            },
          },
          'x-kubernetes-validations': [
            {
              rule: 'self.listeners.all(a, self.listeners.all(b, a.port != b.port || a.protocol == b.protocol))',
              message: 'listeners on the same port must use the same protocol',
              fieldPath: '.listeners',
            },
            {
              rule: `self.listeners.all(a, self.listeners.exists_one(b, b.port == a.port && ${hn('b')} == ${hn('a')}))`,
              message: 'listeners on the same port must have different hostnames',
              fieldPath: '.listeners',
            },
          ],
        },
      },
      'x-kubernetes-validations': [
        {
          rule: '!self.conf.listeners.exists(l, has(l.crossMesh) && l.crossMesh) || size(self.selectors) == 1',
          message: 'a gateway with crossMesh listeners must have exactly one selector',
          fieldPath: '.selectors',
        },
      ],
    },
  },
});

// ---------------------------------------------------------------------------------------------
// MeshGatewayConfig (cluster-scoped, referenced by GatewayClass.spec.parametersRef)
// ---------------------------------------------------------------------------------------------

const objectMetaTemplate = (of) => ({
  type: 'object',
  description: `Metadata merged into the ${of}.`,
  properties: {
    labels: stringMap(`Labels set on the ${of}.`),
    annotations: stringMap(`Annotations set on the ${of}.`),
  },
});

const meshGatewayConfig = crd({
  kind: 'MeshGatewayConfig',
  plural: 'meshgatewayconfigs',
  singular: 'meshgatewayconfig',
  scope: 'Cluster',
  statusSubresource: true,
  description:
    'MeshGatewayConfig holds the configuration of the gateway data plane proxies (Deployment and Service) of the Gateways of a GatewayClass. ' +
    'A GatewayClass refers to it with parametersRef {group: kuma.io, kind: MeshGatewayConfig, name}.',
  columns: [
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Service Type', type: 'string', jsonPath: '.spec.serviceType' },
    { name: 'Cross Mesh', type: 'boolean', jsonPath: '.spec.crossMesh' },
  ],
  schemaProps: {
    spec: {
      type: 'object',
      description: 'MeshGatewayConfigSpec: the options for the gateways of a class.',
      properties: {
        crossMesh: bool(
          'CrossMesh makes every listener of the gateways cross-mesh listeners (then only HTTP listeners are valid and the Service type is forced to ClusterIP).',
        ),
        replicas: int32('Number of gateway data plane proxy replicas.', { default: 1, minimum: 1 }),
        serviceType: str('Type of the Service exposing the gateway proxies. Ports come from the Gateway listeners.', {
          enum: ['LoadBalancer', 'ClusterIP', 'NodePort'],
          default: 'LoadBalancer',
        }),
        resources: {
          type: 'object',
          description: 'Compute resources of the gateway proxy container (core/v1 ResourceRequirements).',
          properties: {
            limits: { type: 'object', description: 'Maximum amount of compute resources allowed.', additionalProperties: quantity },
            requests: { type: 'object', description: 'Minimum amount of compute resources required.', additionalProperties: quantity },
            claims: {
              type: 'array',
              description: 'Names of resources, defined in spec.resourceClaims, used by the container.',
              items: {
                type: 'object',
                required: ['name'],
                properties: { name: str('Name of a pod.spec.resourceClaims entry.'), request: str('Request within the claim.') },
              },
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['name'],
            },
          },
        },
        serviceTemplate: {
          type: 'object',
          description: 'Customises the Service of each gateway.',
          properties: {
            metadata: objectMetaTemplate('Service'),
            spec: {
              type: 'object',
              description: 'Customisable fields of the Service spec.',
              properties: { loadBalancerIP: str('Corresponds to ServiceSpec.loadBalancerIP.') },
            },
          },
        },
        podTemplate: {
          type: 'object',
          description: 'Customises the Pods of each gateway Deployment.',
          properties: {
            metadata: objectMetaTemplate('Pod'),
            spec: {
              type: 'object',
              description: 'Customisable fields of the Pod spec.',
              properties: {
                serviceAccountName: str('Corresponds to PodSpec.serviceAccountName.'),
                securityContext: {
                  type: 'object',
                  description: 'Corresponds to PodSpec.securityContext.',
                  properties: { fsGroup: { type: 'integer', format: 'int64', description: 'Corresponds to PodSecurityContext.fsGroup.' } },
                },
                container: {
                  type: 'object',
                  description: 'Customisable fields of the gateway proxy container.',
                  properties: {
                    securityContext: {
                      type: 'object',
                      description: 'Corresponds to Container.securityContext.',
                      properties: { readOnlyRootFilesystem: bool('Corresponds to SecurityContext.readOnlyRootFilesystem.') },
                    },
                  },
                },
              },
            },
          },
        },
        tags: {
          ...stringMap(
            'Kuma tags added to every gateway data plane proxy. At most one kuma.io/service tag (a map key), and it must not be empty; ' +
              'without it the service tag defaults to <gateway>_<namespace>_svc.',
          ),
          'x-kubernetes-validations': [
            {
              rule: "!('kuma.io/service' in self) || self['kuma.io/service'] != ''",
              message: 'the kuma.io/service tag must not be empty',
            },
          ],
        },
      },
    },
    status: { type: 'object', description: 'MeshGatewayConfigStatus (empty).' },
  },
});

// ---------------------------------------------------------------------------------------------
// MeshHTTPRoute (namespaced policy)
// ---------------------------------------------------------------------------------------------

const HEADER_NAME = { type: 'string', minLength: 1, maxLength: 256, pattern: "^[a-z0-9!#$%&'*+\\-.^_\\x60|~]+$" };
const PRECISE_HOSTNAME = {
  type: 'string',
  minLength: 1,
  maxLength: 253,
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
};
const headerValueList = (description) => ({
  type: 'array',
  description,
  maxItems: 16,
  items: {
    type: 'object',
    required: ['name', 'value'],
    properties: { name: { ...HEADER_NAME, description: 'Header name (lower case).' }, value: str('Header value.') },
  },
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['name'],
});
const headerModifier = (description) => ({
  type: 'object',
  description,
  properties: {
    set: headerValueList('Headers to set, overwriting existing values.'),
    add: headerValueList('Headers to add (appended to existing values).'),
    remove: { type: 'array', description: 'Names of headers to remove.', maxItems: 16, items: { type: 'string' } },
  },
});
const pathModifier = (description) => ({
  type: 'object',
  description,
  required: ['type'],
  properties: {
    type: str('How the path is modified.', { enum: ['ReplaceFullPath', 'ReplacePrefixMatch'] }),
    replaceFullPath: str('Path replacing the whole request path (type ReplaceFullPath).'),
    replacePrefixMatch: str('Path replacing the matched prefix (type ReplacePrefixMatch).'),
  },
  'x-kubernetes-validations': [
    {
      rule: "self.type != 'ReplaceFullPath' || has(self.replaceFullPath)",
      message: 'replaceFullPath must be set when type is ReplaceFullPath',
    },
    {
      rule: "self.type != 'ReplacePrefixMatch' || has(self.replacePrefixMatch)",
      message: 'replacePrefixMatch must be set when type is ReplacePrefixMatch',
    },
  ],
});

const FILTER_FIELDS = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  RequestMirror: 'requestMirror',
};

const httpFilter = {
  type: 'object',
  required: ['type'],
  properties: {
    type: str('Type of the filter; the field of the same name (lowerCamelCase) holds its configuration.', {
      enum: Object.keys(FILTER_FIELDS),
    }),
    requestHeaderModifier: headerModifier('Modifies request headers. Only one action per header name.'),
    responseHeaderModifier: headerModifier('Modifies response headers. Only one action per header name.'),
    requestRedirect: {
      type: 'object',
      description: 'Responds with a redirect.',
      properties: {
        scheme: str('Scheme of the Location header.', { enum: ['http', 'https'] }),
        hostname: { ...PRECISE_HOSTNAME, description: 'Hostname of the Location header.' },
        path: pathModifier('Modifies the path of the Location header. When empty, the request path is used.'),
        port: int32('Port of the Location header.', { minimum: 1, maximum: 65535 }),
        statusCode: { type: 'integer', description: 'HTTP status code of the redirect.', default: 302, enum: [301, 302, 303, 307, 308] },
      },
    },
    urlRewrite: {
      type: 'object',
      description: 'Rewrites the request before forwarding.',
      properties: {
        hostname: { ...PRECISE_HOSTNAME, description: 'Replaces the Host header.' },
        path: pathModifier('Rewrites the path.'),
        hostToBackendHostname: bool('Rewrites the Host header to the hostname of the upstream host (MeshGateway only).'),
      },
    },
    requestMirror: {
      type: 'object',
      description: 'Mirrors requests to another backend.',
      required: ['backendRef'],
      properties: {
        backendRef: backendRef('Backend receiving the mirrored requests.'),
        percentage: {
          anyOf: [{ type: 'integer' }, { type: 'string' }],
          'x-kubernetes-int-or-string': true,
          description: 'Percentage of requests to mirror (a number or a decimal string). All requests when not specified.',
        },
      },
    },
  },
  'x-kubernetes-validations': Object.entries(FILTER_FIELDS).map(([type, field]) => ({
    rule: `self.type != '${type}' || has(self.${field})`,
    message: `${field} must be set when type is ${type}`,
  })),
};

const httpMatch = {
  type: 'object',
  properties: {
    path: {
      type: 'object',
      required: ['type', 'value'],
      properties: {
        type: str('Type of path match.', { enum: ['Exact', 'PathPrefix', 'RegularExpression'] }),
        value: str('Exact and prefix values must be absolute paths; a prefix matches whole path segments.', { minLength: 1 }),
      },
      'x-kubernetes-validations': [
        {
          rule: "self.type == 'RegularExpression' || self.value.startsWith('/')",
          message: 'Exact and PathPrefix values must start with /',
        },
        {
          rule: "self.type != 'PathPrefix' || self.value == '/' || !self.value.endsWith('/')",
          message: 'PathPrefix values must not end with / (except the value /)',
        },
      ],
    },
    method: str('HTTP method.', { enum: ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'] }),
    queryParams: {
      type: 'array',
      description: 'Query parameter matches, ANDed.',
      items: {
        type: 'object',
        required: ['type', 'name', 'value'],
        properties: {
          type: str('Type of match.', { enum: ['Exact', 'RegularExpression'] }),
          name: str('Query parameter name.', { minLength: 1 }),
          value: str('Value to match.'),
        },
      },
    },
    headers: {
      type: 'array',
      description: 'Header matches, ANDed.',
      items: {
        type: 'object',
        required: ['name'],
        properties: {
          type: str('Type of match.', {
            enum: ['Exact', 'Present', 'RegularExpression', 'Absent', 'Prefix'],
            default: 'Exact',
          }),
          name: { ...HEADER_NAME, description: 'Header name; must be lower case.' },
          value: str('Value to match (not used by Present and Absent).'),
        },
      },
    },
  },
};

const meshHTTPRoute = crd({
  kind: 'MeshHTTPRoute',
  plural: 'meshhttproutes',
  singular: 'meshhttproute',
  shortNames: ['mhttpr'],
  scope: 'Namespaced',
  description:
    'MeshHTTPRoute is a Kuma policy routing HTTP traffic. meshgate writes one per HTTPRoute parentRef, in the system namespace, ' +
    'targeting the MeshGateway of the parent Gateway. The mesh is the label kuma.io/mesh.',
  columns: [
    { name: 'Mesh', type: 'string', jsonPath: '.metadata.labels.kuma\\.io/mesh' },
    { name: 'Target Kind', type: 'string', jsonPath: '.spec.targetRef.kind' },
    { name: 'Target Name', type: 'string', jsonPath: '.spec.targetRef.name' },
    { name: 'Hostnames', type: 'string', priority: 1, jsonPath: '.spec.to[*].hostnames' },
  ],
  schemaProps: {
    spec: {
      type: 'object',
      description: 'Spec of the Kuma MeshHTTPRoute policy.',
      properties: {
        targetRef: targetRef('The proxies the policy applies to (for meshgate: kind MeshGateway, optionally with listener tags).'),
        to: {
          type: 'array',
          description: 'Destinations of requests and their routing rules.',
          items: {
            type: 'object',
            // Kuma's CRD requires rules as well: a destination without rules is refused by Kuma.
            required: ['targetRef', 'rules'],
            properties: {
              targetRef: targetRef('The destinations these rules apply to (kind Mesh when the top-level targetRef is a MeshGateway).'),
              hostnames: {
                type: 'array',
                description:
                  'Only with a MeshGateway targetRef: limits the rules to these hostnames, which must intersect the hostnames of the listeners the route attaches to.',
                items: { type: 'string' },
              },
              rules: {
                type: 'array',
                description: 'Routing rules for this combination of top-level targetRef and destination.',
                items: {
                  type: 'object',
                  required: ['matches', 'default'],
                  properties: {
                    matches: { type: 'array', description: 'Matches are ORed.', minItems: 1, items: httpMatch },
                    default: {
                      type: 'object',
                      description: 'Routing configuration, merged with other policies.',
                      properties: {
                        filters: { type: 'array', items: httpFilter },
                        backendRefs: { type: 'array', items: backendRef() },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      'x-kubernetes-validations': [
        {
          rule:
            "!has(self.to) || !self.to.exists(t, has(t.hostnames) && size(t.hostnames) > 0) || (has(self.targetRef) && self.targetRef.kind == 'MeshGateway')",
          message: 'to[].hostnames can only be used when the top-level targetRef is a MeshGateway',
          fieldPath: '.to',
        },
      ],
    },
  },
});

// ---------------------------------------------------------------------------------------------
// MeshTCPRoute (namespaced policy; meshgate uses it for TLSRoute passthrough on a MeshGateway listener)
// ---------------------------------------------------------------------------------------------

const meshTCPRoute = crd({
  kind: 'MeshTCPRoute',
  plural: 'meshtcproutes',
  singular: 'meshtcproute',
  shortNames: ['mtcpr'],
  scope: 'Namespaced',
  description:
    'MeshTCPRoute is a Kuma policy routing TCP traffic. meshgate writes one per TLSRoute parentRef, in the system namespace, ' +
    'targeting a MeshGateway listener by tags. The mesh is the label kuma.io/mesh.',
  columns: [
    { name: 'Mesh', type: 'string', jsonPath: '.metadata.labels.kuma\\.io/mesh' },
    { name: 'Target Kind', type: 'string', jsonPath: '.spec.targetRef.kind' },
    { name: 'Target Name', type: 'string', jsonPath: '.spec.targetRef.name' },
  ],
  schemaProps: {
    spec: {
      type: 'object',
      description: 'Spec of the Kuma MeshTCPRoute policy.',
      properties: {
        targetRef: targetRef('The proxies the policy applies to (for meshgate: kind MeshGateway with listener tags).'),
        to: {
          type: 'array',
          description: 'Destinations of connections and their routing rules.',
          minItems: 1,
          items: {
            type: 'object',
            // As in Kuma's CRD: a destination without rules is refused.
            required: ['targetRef', 'rules'],
            properties: {
              targetRef: targetRef('The destinations these rules apply to.'),
              rules: {
                type: 'array',
                description: 'Routing rules (at most one) for this destination.',
                maxItems: 1,
                items: {
                  type: 'object',
                  required: ['default'],
                  properties: {
                    default: {
                      type: 'object',
                      description: 'Routing configuration, merged with other policies.',
                      required: ['backendRefs'],
                      properties: { backendRefs: { type: 'array', minItems: 1, items: backendRef() } },
                    },
                  },
                },
              },
            },
          },
        },
      },
      required: ['targetRef'],
    },
  },
});

// ---------------------------------------------------------------------------------------------

const OUT = {
  'kuma.io_meshgateways.yaml': meshGateway,
  'kuma.io_meshgatewayconfigs.yaml': meshGatewayConfig,
  'kuma.io_meshhttproutes.yaml': meshHTTPRoute,
  'kuma.io_meshtcproutes.yaml': meshTCPRoute,
};

const HEADER =
  '# Generated by crds/generate.js from hand-written schemas compatible with Kuma 2.14 (kuma.io/v1alpha1).\n' +
  '# Do not edit by hand: edit crds/generate.js and run `node crds/generate.js`.\n';

function render(obj) {
  return HEADER + '---\n' + YAML.stringify(obj, { lineWidth: 0, sortMapEntries: false, aliasDuplicateObjects: false });
}

function main() {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, obj] of Object.entries(OUT)) {
    const target = path.join(__dirname, file);
    const text = render(obj);
    if (check) {
      const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
      if (current !== text) {
        console.error(`crds/${file} is out of date: run node crds/generate.js`);
        stale++;
      }
    } else {
      fs.writeFileSync(target, text);
      console.log(`wrote crds/${file}`);
    }
  }
  if (stale) process.exit(1);
}

if (require.main === module) main();
module.exports = { OUT, render };
