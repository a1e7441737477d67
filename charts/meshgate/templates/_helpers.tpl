{{/* Name of the chart, overridable. */}}
{{- define "meshgate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release name, plus the chart name unless the release name already contains it. */}}
{{- define "meshgate.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "meshgate.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: stable across upgrades. */}}
{{- define "meshgate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "meshgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Common labels of every object the chart renders. */}}
{{- define "meshgate.labels" -}}
helm.sh/chart: {{ include "meshgate.chart" . }}
{{ include "meshgate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: meshgate
{{- end }}

{{- define "meshgate.serviceAccountName" -}}
{{- default (include "meshgate.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{- define "meshgate.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Leader election is on by default and always on with more than one replica. */}}
{{- define "meshgate.leaderElect" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicas) 1) }}true{{ else }}false{{ end }}
{{- end }}

{{/* GUI bind address: loopback unless explicitly exposed. */}}
{{- define "meshgate.guiAddress" -}}
{{- if not .Values.gui.enabled -}}
off
{{- else if .Values.gui.expose -}}
0.0.0.0:{{ .Values.gui.port }}
{{- else -}}
127.0.0.1:{{ .Values.gui.port }}
{{- end }}
{{- end }}

{{- define "meshgate.guiExposed" -}}
{{- if and .Values.gui.enabled .Values.gui.expose }}true{{ end }}
{{- end }}

{{/* Checks of value combinations the schema cannot express. */}}
{{- define "meshgate.validate" -}}
{{- if and (include "meshgate.guiExposed" .) (not .Values.gui.tokenSecret) }}
{{- fail "gui.expose=true requires gui.tokenSecret: the name of a Secret holding the GUI bearer token" }}
{{- end }}
{{- with .Values.gatewayClass.parametersRef }}
{{- if or (ne (.group | default "") "kuma.io") (ne (.kind | default "") "MeshGatewayConfig") (not .name) }}
{{- fail "gatewayClass.parametersRef must be {group: kuma.io, kind: MeshGatewayConfig, name: <name>}" }}
{{- end }}
{{- if .namespace }}
{{- fail "gatewayClass.parametersRef must not have a namespace: MeshGatewayConfig is cluster-scoped" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
"true" when the named CRD exists in the cluster and is not managed by this release (so the chart must not render
it: Helm would refuse to adopt it). Always empty under `helm template` / client dry runs (lookup returns nothing).
Usage: include "meshgate.crdOwnedElsewhere" (list $ "meshgateways.kuma.io")
*/}}
{{- define "meshgate.crdOwnedElsewhere" -}}
{{- $root := index . 0 }}
{{- $existing := lookup "apiextensions.k8s.io/v1" "CustomResourceDefinition" "" (index . 1) }}
{{- if $existing }}
{{- $annotations := dig "metadata" "annotations" dict $existing }}
{{- $labels := dig "metadata" "labels" dict $existing }}
{{- $ours := and (eq (get $labels "app.kubernetes.io/managed-by") "Helm") (eq (get $annotations "meta.helm.sh/release-name") $root.Release.Name) (eq (get $annotations "meta.helm.sh/release-namespace") $root.Release.Namespace) }}
{{- if not $ours }}true{{ end }}
{{- end }}
{{- end }}
