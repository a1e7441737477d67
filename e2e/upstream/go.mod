// Pins the upstream Gateway API manifests the demo and the tests read (CRDs from config/crd/,
// conformance base/ and tests/); e2e/upstream/download.sh fetches them into the Go module cache,
// checked against go.sum. Nothing here is compiled.
module meshgate.dev/upstream-manifests

go 1.25.0

require (
	sigs.k8s.io/gateway-api v1.6.1
	sigs.k8s.io/gateway-api/conformance v1.6.1
)
