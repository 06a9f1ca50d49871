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
The Vault auth method in effect in .Values.config: token, approle, jwt, aws or kubernetes. The
Kubernetes auth of the default values gives way to any other method set, and the rendered config
drops it then (SecretSync accepts one method only).
*/}}
{{- define "secretsync.authMethod" -}}
{{- $auth := dig "vault" "auth" dict .Values.config }}
{{- if $auth.token }}token
{{- else if $auth.approle }}approle
{{- else if $auth.jwt }}jwt
{{- else if $auth.aws }}aws
{{- else if $auth.kubernetes }}kubernetes
{{- end }}
{{- end }}

{{/*
"true" when the pod gets a projected service-account token for Vault's Kubernetes auth: with
mountToken auto, when the config's auth in effect is Kubernetes auth.
*/}}
{{- define "secretsync.mountVaultToken" -}}
{{- $mount := toString .Values.vaultKubernetesAuth.mountToken }}
{{- if eq $mount "auto" }}
{{- if and (not .Values.existingConfigMap) (eq (include "secretsync.authMethod" .) "kubernetes") }}true{{ end }}
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
"true" when the pod gets a projected service-account token for Vault's JWT auth: with mountToken
auto, when config.vault.auth.jwt is the auth in effect and names no other place to get the JWT
(token_env, github_actions).
*/}}
{{- define "secretsync.mountJwtToken" -}}
{{- $mount := toString .Values.vaultJwtAuth.mountToken }}
{{- if eq $mount "auto" }}
{{- $jwt := dig "vault" "auth" "jwt" dict .Values.config }}
{{- if and (not .Values.existingConfigMap) (eq (include "secretsync.authMethod" .) "jwt") (not (hasKey $jwt "token_env")) (not $jwt.github_actions) }}true{{ end }}
{{- else if eq $mount "true" }}true
{{- end }}
{{- end }}

{{/* Where the projected JWT is mounted, and so the rendered config's vault.auth.jwt.token_file. */}}
{{- define "secretsync.jwtTokenPath" -}}
{{- $jwt := dig "vault" "auth" "jwt" dict .Values.config }}
{{- if and (not .Values.existingConfigMap) (kindIs "map" $jwt) $jwt.token_file }}
{{- $jwt.token_file }}
{{- else }}
{{- .Values.vaultJwtAuth.tokenPath }}
{{- end }}
{{- end }}

{{/*
The audience of the projected JWT: vaultJwtAuth.audience, else config.vault.auth.jwt.audience
(checkValues fails when both are set and differ).
*/}}
{{- define "secretsync.jwtAudience" -}}
{{- $configured := "" }}
{{- if not .Values.existingConfigMap }}
{{- $configured = dig "vault" "auth" "jwt" "audience" "" .Values.config }}
{{- end }}
{{- default $configured .Values.vaultJwtAuth.audience }}
{{- end }}

{{/*
The config.yaml the chart renders: .Values.config, with Kubernetes auth reading the projected
token, or without Kubernetes auth when another method replaces it; JWT auth reads its projected
token (token_file) and checks its audience before login.
*/}}
{{- define "secretsync.config" -}}
{{- $config := deepCopy .Values.config }}
{{- $auth := dig "vault" "auth" dict $config }}
{{- $method := include "secretsync.authMethod" . }}
{{- if and $auth.kubernetes (ne $method "kubernetes") }}
{{- $_ := unset $auth "kubernetes" }}
{{- else if include "secretsync.mountVaultToken" . }}
{{- $_ := set $auth.kubernetes "token_path" (include "secretsync.vaultTokenPath" .) }}
{{- end }}
{{- if and (eq $method "jwt") (include "secretsync.mountJwtToken" .) (not (hasKey $auth.jwt "token_env")) (not $auth.jwt.github_actions) }}
{{- $_ := set $auth.jwt "token_file" (include "secretsync.jwtTokenPath" .) }}
{{- $_ := set $auth.jwt "audience" (include "secretsync.jwtAudience" .) }}
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
{{- $method := include "secretsync.authMethod" . }}
{{- if and (eq $method "kubernetes") (not (dig "role" "" $auth.kubernetes)) }}
{{- fail "secretsync: set config.vault.auth.kubernetes.role to the Vault role of the Kubernetes auth method (e.g. --set config.vault.auth.kubernetes.role=secretsync), or use config.vault.auth.approle or config.vault.auth.jwt instead" }}
{{- end }}
{{- if and (eq $method "jwt") (not (dig "role" "" $auth.jwt)) }}
{{- fail "secretsync: set config.vault.auth.jwt.role to the role of the Vault JWT auth method (e.g. --set config.vault.auth.jwt.role=secretsync)" }}
{{- end }}
{{- if not (or $config.targets $config.dynamic_targets) }}
{{- fail "secretsync: set config.targets (at least one target, e.g. Staging: {account_id: '111111111111', imports: [common]}) or config.dynamic_targets, or use existingConfigMap" }}
{{- end }}
{{- end }}
{{- if and (include "secretsync.mountVaultToken" .) .Values.serviceAccount.automountToken (eq (dir (include "secretsync.vaultTokenPath" .)) "/var/run/secrets/kubernetes.io/serviceaccount") }}
{{- fail "secretsync: vaultKubernetesAuth.tokenPath (or config.vault.auth.kubernetes.token_path) is in /var/run/secrets/kubernetes.io/serviceaccount, where serviceAccount.automountToken mounts the legacy token: choose another folder or set serviceAccount.automountToken=false" }}
{{- end }}
{{- if include "secretsync.mountJwtToken" . }}
{{- $audience := include "secretsync.jwtAudience" . }}
{{- if not $audience }}
{{- fail "secretsync: set vaultJwtAuth.audience to the audience of the projected token, one of the Vault JWT role's bound_audiences (e.g. --set vaultJwtAuth.audience=vault); without one the token is issued for the Kubernetes API server, which would accept it too" }}
{{- end }}
{{- $configured := "" }}
{{- if not .Values.existingConfigMap }}{{ $configured = dig "vault" "auth" "jwt" "audience" "" .Values.config }}{{ end }}
{{- if and $configured (ne $configured $audience) }}
{{- fail (printf "secretsync: vaultJwtAuth.audience (%s) and config.vault.auth.jwt.audience (%s) differ: the projected token is issued for the first and SecretSync checks it for the second; set one of them" $audience $configured) }}
{{- end }}
{{- if and .Values.serviceAccount.automountToken (eq (dir (include "secretsync.jwtTokenPath" .)) "/var/run/secrets/kubernetes.io/serviceaccount") }}
{{- fail "secretsync: vaultJwtAuth.tokenPath (or config.vault.auth.jwt.token_file) is in /var/run/secrets/kubernetes.io/serviceaccount, where serviceAccount.automountToken mounts the legacy token: choose another folder or set serviceAccount.automountToken=false" }}
{{- end }}
{{- if and (include "secretsync.mountVaultToken" .) (eq (dir (include "secretsync.jwtTokenPath" .)) (dir (include "secretsync.vaultTokenPath" .))) }}
{{- fail "secretsync: vaultJwtAuth.tokenPath and vaultKubernetesAuth.tokenPath are in the same folder, and both tokens are mounted: choose different folders (or mount only one)" }}
{{- end }}
{{- end }}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.enabled) }}
{{- fail "secretsync: metrics.serviceMonitor.enabled needs metrics.enabled=true (the pods serve /metrics only then)" }}
{{- end }}
{{- end }}
