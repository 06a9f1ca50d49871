{{/* Chart name, truncated to the 63 characters Kubernetes allows in names. */}}
{{- define "secretsync.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release-chart, unless overridden. */}}
{{- define "secretsync.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "secretsync.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "secretsync.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Labels every object carries. */}}
{{- define "secretsync.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "secretsync.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select this release's pods. */}}
{{- define "secretsync.selectorLabels" -}}
app.kubernetes.io/name: {{ include "secretsync.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The service account the job runs as. */}}
{{- define "secretsync.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "secretsync.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image reference: by digest when one is given, else by tag (default: appVersion). */}}
{{- define "secretsync.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The ConfigMap holding config.yaml. */}}
{{- define "secretsync.configMapName" -}}
{{- default (include "secretsync.fullname" .) .Values.existingConfigMap }}
{{- end }}

{{/* The CronJob's name: Kubernetes refuses CronJob names longer than 52 characters. */}}
{{- define "secretsync.cronJobName" -}}
{{- include "secretsync.fullname" . | trunc 52 | trimSuffix "-" }}
{{- end }}

{{/*
"true" when the pod gets a projected service-account token for Vault's Kubernetes auth: with
mountToken auto, when the config's auth in effect is Kubernetes auth. SecretSync prefers
auth.token, then auth.approle, then auth.kubernetes, so either of the first two replaces it.
*/}}
{{- define "secretsync.mountVaultToken" -}}
{{- $mount := toString .Values.vaultKubernetesAuth.mountToken }}
{{- if eq $mount "auto" }}
{{- $auth := dig "vault" "auth" dict .Values.config }}
{{- if and (not .Values.existingConfigMap) $auth.kubernetes (not $auth.token) (not $auth.approle) }}true{{ end }}
{{- else if eq $mount "true" }}true
{{- end }}
{{- end }}

{{/* Where the projected Vault token is mounted, and so where the rendered config reads it. */}}
{{- define "secretsync.vaultTokenPath" -}}
{{- $kubernetes := dig "vault" "auth" "kubernetes" dict .Values.config }}
{{- if and (not .Values.existingConfigMap) (kindIs "map" $kubernetes) $kubernetes.token_path }}
{{- $kubernetes.token_path }}
{{- else }}
{{- .Values.vaultKubernetesAuth.tokenPath }}
{{- end }}
{{- end }}

{{/*
The config.yaml the chart renders: .Values.config, with Kubernetes auth reading the projected
token, or without Kubernetes auth when token or AppRole auth replaces it.
*/}}
{{- define "secretsync.config" -}}
{{- $config := deepCopy .Values.config }}
{{- $auth := dig "vault" "auth" dict $config }}
{{- if and $auth.kubernetes (or $auth.token $auth.approle) }}
{{- $_ := unset $auth "kubernetes" }}
{{- else if include "secretsync.mountVaultToken" . }}
{{- $_ := set $auth.kubernetes "token_path" (include "secretsync.vaultTokenPath" .) }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/* Fails, naming the value, when a value the chart needs is missing or contradictory. */}}
{{- define "secretsync.checkValues" -}}
{{- if not .Values.existingConfigMap }}
{{- $config := .Values.config }}
{{- $vaultAddrInEnv := false }}
{{- range .Values.env }}{{ if eq (toString .name) "VAULT_ADDR" }}{{ $vaultAddrInEnv = true }}{{ end }}{{ end }}
{{- if and (not (dig "vault" "address" "" $config)) (not $vaultAddrInEnv) }}
{{- fail "secretsync: set config.vault.address to your Vault server's URL (e.g. --set config.vault.address=https://vault.example.com:8200), or VAULT_ADDR in env" }}
{{- end }}
{{- $auth := dig "vault" "auth" dict $config }}
{{- if and $auth.kubernetes (not $auth.token) (not $auth.approle) (not (dig "role" "" $auth.kubernetes)) }}
{{- fail "secretsync: set config.vault.auth.kubernetes.role to the Vault role of the Kubernetes auth method (e.g. --set config.vault.auth.kubernetes.role=secretsync), or use config.vault.auth.approle instead" }}
{{- end }}
{{- if not (or $config.targets $config.dynamic_targets) }}
{{- fail "secretsync: set config.targets (at least one target, e.g. Staging: {account_id: '111111111111', imports: [common]}) or config.dynamic_targets, or use existingConfigMap" }}
{{- end }}
{{- end }}
{{- if and (include "secretsync.mountVaultToken" .) .Values.serviceAccount.automountToken (eq (dir (include "secretsync.vaultTokenPath" .)) "/var/run/secrets/kubernetes.io/serviceaccount") }}
{{- fail "secretsync: vaultKubernetesAuth.tokenPath (or config.vault.auth.kubernetes.token_path) is in /var/run/secrets/kubernetes.io/serviceaccount, where serviceAccount.automountToken mounts the legacy token: choose another folder or set serviceAccount.automountToken=false" }}
{{- end }}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.enabled) }}
{{- fail "secretsync: metrics.serviceMonitor.enabled needs metrics.enabled=true (the pods serve /metrics only then)" }}
{{- end }}
{{- end }}
