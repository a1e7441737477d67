// Gateway API v1.6.1's own conformance suite against meshgate, run by upstream.test.ts on the e2e
// control plane (a real kube-apiserver, no kubelet, no data plane). Supported features are read
// from the GatewayClass status, as the suite does by default: what meshgate claims is what runs.
// Tests that send traffic through the Gateway are skipped (no data plane here); see
// docs/conformance.md.
//
// Environment: KUBECONFIG, MESHGATE_CONFORMANCE_CLASS (GatewayClass name),
// MESHGATE_CONFORMANCE_REPORT (where the ConformanceReport YAML goes), MESHGATE_CONFORMANCE_TESTS
// (where the list of the suite's tests and their features goes, for upstream.test.ts), MESHGATE_VERSION.
package upstreamconformance

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"testing"
	"time"

	"golang.org/x/net/websocket"
	"k8s.io/apimachinery/pkg/util/sets"
	"sigs.k8s.io/gateway-api/conformance"
	confv1 "sigs.k8s.io/gateway-api/conformance/apis/v1"
	"sigs.k8s.io/gateway-api/conformance/tests"
	"sigs.k8s.io/gateway-api/conformance/utils/grpc"
	"sigs.k8s.io/gateway-api/conformance/utils/roundtripper"
	"sigs.k8s.io/gateway-api/conformance/utils/suite"
)

// No data plane: every client the suite can be given refuses to send anything, so a test that
// tried would fail here instead of sending traffic anywhere.
var errNoDataPlane = errors.New("meshgate's CI has no data plane: this test must not send traffic")

type noTraffic struct{}

func (noTraffic) CaptureRoundTrip(roundtripper.Request) (*roundtripper.CapturedRequest, *roundtripper.CapturedResponse, error) {
	return nil, nil, errNoDataPlane
}
func (noTraffic) SendRPC(*testing.T, string, grpc.ExpectedResponse, time.Duration) (*grpc.Response, error) {
	return nil, errNoDataPlane
}
func (noTraffic) Close()                                               {}
func (noTraffic) Dial(string, string, string) (*websocket.Conn, error) { return nil, errNoDataPlane }

type refuse struct{}

func (refuse) RoundTrip(*http.Request) (*http.Response, error) { return nil, errNoDataPlane }

// statusOnly: the tests that check API objects and status only. Chosen by their imports: a test
// file that imports none of the suite's traffic packages (utils/http, tls, grpc, tcp, udp,
// websocket, weight, roundtripper, echo) nor net, net/http or crypto/tls, and uses none of the
// suite's clients (a file may hold several tests). Every other test sends traffic after its
// status steps, and is skipped.
var statusOnly = sets.New(
	"BackendTLSPolicyObservedGenerationBump",
	"GatewayClassObservedGenerationBump",
	"GatewayInfrastructure",
	"GatewayInvalidFrontendClientCertificateValidation",
	"GatewayInvalidParametersRef",
	"GatewayInvalidRouteKind",
	"GatewayInvalidTLSBackendConfiguration",
	"GatewayInvalidTLSConfiguration",
	"GatewayListenerUnsupportedProtocol",
	"GatewayModifyListeners",
	"GatewayObservedGenerationBump",
	"GatewayOptionalAddressValue",
	"GatewaySecretInvalidReferenceGrant",
	"GatewaySecretMissingReferenceGrant",
	"GatewaySecretReferenceGrantAllInNamespace",
	"GatewaySecretReferenceGrantSpecific",
	"GatewayStaticAddresses",
	"GatewayWithAttachedRoutes",
	"GatewayWithAttachedRoutesWithPort8080",
	"HTTPRouteDisallowedKind",
	"HTTPRouteInvalidCrossNamespaceParentRef",
	"HTTPRouteInvalidParentRefNotMatchingListenerPort",
	"HTTPRouteInvalidParentRefNotMatchingSectionName",
	"HTTPRouteInvalidParentRefSectionNameNotMatchingPort",
	"HTTPRouteObservedGenerationBump",
	"ListenerSetAllowedNamespaceNone",
	"ListenerSetAllowedNamespaceSame",
	"ListenerSetAllowedNamespaceSelector",
	"ListenerSetAllowedRoutesSupportedKinds",
	"ListenerSetDefaultNotAllowed",
	"ListenerSetHostnameConflict",
	"ListenerSetProtocolConflict",
	"ListenerSetReferenceGrant",
	"ListenerSetRouteStatusScopedToParentRef",
	"TCPRouteInvalidBackendRefNonexistent",
	"TCPRouteInvalidCrossNamespaceBackendRef",
	"TCPRouteInvalidNonTCPListener",
	"TLSRouteInvalidNoMatchingListener",
	"TLSRouteInvalidNoMatchingListenerHostname",
	"TLSRouteInvalidReferenceGrant",
	"TLSRouteListenerMixedTerminationNotSupported",
	"TLSRouteListenerPassthroughSupportedKinds",
	"TLSRouteListenerTerminateNotSupported",
	"TLSRouteListenerTerminateSupportedKinds",
	"UDPRoute",
	"UDPRouteInvalidBackendRefNonexistent",
	"UDPRouteInvalidCrossNamespaceBackendRef",
	"UDPRouteMultipleRoutesAttachment",
	"UDPRouteNotAllowedByListeners",
)

// needsDataPlane lists, sorted, the suite's tests that send traffic (skipped here).
func needsDataPlane() []string {
	out := sets.New[string]()
	for _, t := range tests.ConformanceTests {
		if !statusOnly.Has(t.ShortName) {
			out.Insert(t.ShortName)
		}
	}
	return sets.List(out)
}

// testInfo is what upstream.test.ts needs of each test to tell what a claimed feature rests on.
type testInfo struct {
	Name        string   `json:"name"`
	Features    []string `json:"features"`
	Provisional bool     `json:"provisional,omitempty"`
	StatusOnly  bool     `json:"statusOnly"`
}

func writeTestList(path string) error {
	out := make([]testInfo, 0, len(tests.ConformanceTests))
	for _, t := range tests.ConformanceTests {
		fs := make([]string, 0, len(t.Features))
		for _, f := range t.Features {
			fs = append(fs, string(f))
		}
		out = append(out, testInfo{Name: t.ShortName, Features: fs, Provisional: t.Provisional, StatusOnly: statusOnly.Has(t.ShortName)})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func TestUpstreamConformance(t *testing.T) {
	if p := os.Getenv("MESHGATE_CONFORMANCE_TESTS"); p != "" {
		if err := writeTestList(p); err != nil {
			t.Fatal(err)
		}
	}
	class := os.Getenv("MESHGATE_CONFORMANCE_CLASS")
	report := os.Getenv("MESHGATE_CONFORMANCE_REPORT")
	if class == "" || report == "" || os.Getenv("KUBECONFIG") == "" {
		t.Fatal("KUBECONFIG, MESHGATE_CONFORMANCE_CLASS and MESHGATE_CONFORMANCE_REPORT must be set (upstream.test.ts sets them)")
	}
	opts := conformance.DefaultOptions(t)
	opts.RoundTripper, opts.GRPCClient, opts.WebSocketDialer = noTraffic{}, noTraffic{}, noTraffic{}
	// The only other HTTP the suite can make (manifests given as URLs) goes through the default client.
	http.DefaultClient.Transport = refuse{}
	opts.GatewayClassName = class
	opts.ReportOutputPath = report
	opts.SkipTests = needsDataPlane()
	opts.CleanupBaseResources = true
	opts.ConformanceProfiles = []suite.ConformanceProfileName{
		suite.GatewayHTTPConformanceProfileName,
		suite.GatewayTLSConformanceProfileName,
	}
	version := os.Getenv("MESHGATE_VERSION")
	if version == "" {
		version = "dev"
	}
	opts.Implementation = confv1.Implementation{
		Organization: "meshgate",
		Project:      "meshgate",
		URL:          "https://meshgate.dev",
		Version:      version,
		Contact:      []string{"@meshgate/maintainers"},
	}
	for _, name := range opts.SkipTests {
		t.Logf("not run: %s: sends traffic through the Gateway (needs a data plane)", name)
	}
	conformance.RunConformanceWithOptions(t, opts)
}
