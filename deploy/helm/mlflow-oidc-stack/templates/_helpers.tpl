{{/* Names and labels. */}}
{{- define "mos.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "mos.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: mlflow
{{- end -}}

{{- define "mos.labels" -}}
{{ include "mos.selector" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The public URL's parts: scheme://host[:port], and host[:port] alone. */}}
{{- define "mos.publicUrl" -}}
{{- .Values.publicUrl | trimSuffix "/" -}}
{{- end -}}
{{- define "mos.publicHostport" -}}
{{- $u := urlParse (include "mos.publicUrl" .) -}}
{{- $u.host -}}
{{- end -}}
{{- define "mos.publicHost" -}}
{{- include "mos.publicHostport" . | splitList ":" | first -}}
{{- end -}}
{{- define "mos.path" -}}
{{- .Values.mlflowPath | trimSuffix "/" -}}
{{- end -}}
{{- define "mos.keycloakInternal" -}}
{{- if .Values.inCluster.enabled -}}
{{- printf "http://%s:8080/auth" (include "mos.svc" (dict "root" . "name" "keycloak")) -}}
{{- else -}}
{{- default .Values.keycloak.url .Values.keycloak.internalUrl | trimSuffix "/" -}}
{{- end -}}
{{- end -}}
{{/* The realm's issuer (browser-facing) and its discovery document (back channel). */}}
{{- define "mos.issuer" -}}
{{- printf "%s/realms/%s" (.Values.keycloak.url | trimSuffix "/") .Values.keycloak.realm -}}
{{- end -}}
{{- define "mos.discoveryUrl" -}}
{{- printf "%s/realms/%s/.well-known/openid-configuration" (include "mos.keycloakInternal" .) .Values.keycloak.realm -}}
{{- end -}}
{{- define "mos.s3Endpoint" -}}
{{- if .Values.inCluster.enabled -}}
{{- printf "http://%s:8333" (include "mos.svc" (dict "root" . "name" "s3")) -}}
{{- else -}}
{{- .Values.artifacts.s3.endpointUrl -}}
{{- end -}}
{{- end -}}

{{/*
Refusals that the schema cannot express, each naming the value to change. A chart that
installs anyway would leave replicas that cannot see each other's artifacts.
*/}}
{{- define "mos.validate" -}}
{{- $v := .Values -}}
{{- if and (gt (int $v.replicas) 1) (eq $v.artifacts.store "volume") (eq $v.artifacts.volume.accessMode "ReadWriteOnce") -}}
{{- fail (printf "replicas=%d with artifacts.volume.accessMode=ReadWriteOnce: replicas on other nodes cannot mount that volume. Set artifacts.store=s3 (recommended), artifacts.volume.accessMode=ReadWriteMany, or replicas=1." (int $v.replicas)) -}}
{{- end -}}
{{- if and (eq $v.artifacts.store "s3") (not $v.artifacts.s3.endpointUrl) (not $v.inCluster.enabled) -}}
{{- fail "artifacts.store=s3 needs artifacts.s3.endpointUrl (the S3 endpoint, e.g. https://s3.<region>.amazonaws.com)" -}}
{{- end -}}
{{- if and $v.kubernetesAuth.enabled (not $v.kubernetesAuth.namespaceAllowlist) -}}
{{- fail "kubernetesAuth.enabled=true needs kubernetesAuth.namespaceAllowlist: without it every pod in the cluster could sign in to MLflow" -}}
{{- end -}}
{{- if and $v.ingress.enabled (not $v.ingress.trustedProxies) -}}
{{- fail "ingress.trustedProxies is empty: MLflow would ignore the X-Forwarded-Prefix and -Proto the Ingress controller sends, and build its links and redirects without mlflowPath. Set it to the controller pods' addresses (CIDRs), e.g. the pod network 10.244.0.0/16" -}}
{{- end -}}
{{- end -}}

{{/*
The Secret and keys the pods need: at install on a live cluster, a missing one fails here
naming it, rather than leaving pods in CreateContainerConfigError.
*/}}
{{- define "mos.requiredKeys" -}}
{{- $k := .Values.secret.keys -}}
{{- $keys := list $k.secretKey $k.clientSecret -}}
{{- if .Values.inCluster.enabled -}}
{{- $i := .Values.inCluster.keys -}}
{{- $keys = concat $keys (list $i.postgresPassword $i.redisPassword) -}}
{{- else -}}
{{- $keys = concat $keys (list $k.backendStoreUri $k.authDatabaseUri $k.redisUrl) -}}
{{- end -}}
{{- if eq .Values.artifacts.store "s3" -}}
{{- $keys = concat $keys (list $k.s3AccessKey $k.s3SecretKey) -}}
{{- end -}}
{{- if or .Values.inCluster.enabled .Values.bootstrap.enabled -}}
{{- $keys = concat $keys (list .Values.keycloak.keys.adminPassword .Values.keycloak.keys.syncClientSecret) -}}
{{- end -}}
{{- toJson $keys -}}
{{- end -}}

{{- define "mos.checkSecret" -}}
{{- if (lookup "v1" "Namespace" "" .Release.Namespace) -}}
{{- $s := lookup "v1" "Secret" .Release.Namespace .Values.secret.name -}}
{{- if not $s -}}
{{- fail (printf "Secret %s/%s (secret.name) does not exist: create it with the keys %s (docs/kubernetes.md#secrets)" .Release.Namespace .Values.secret.name (include "mos.requiredKeys" . | fromJsonArray | join ", ")) -}}
{{- end -}}
{{- range (include "mos.requiredKeys" . | fromJsonArray) -}}
{{- if not (hasKey ($s.data | default dict) .) -}}
{{- fail (printf "Secret %s/%s has no key %s: add it (kubectl -n %s patch secret %s ...), or name the key that holds it in secret.keys" $.Release.Namespace $.Values.secret.name . $.Release.Namespace $.Values.secret.name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
With kubernetesAuth, the plugin's provider registry (AUTH_PROVIDERS): the Keycloak login as the
plugin would make it from the OIDC_* variables (id "default": the login, callback, client
secret and readiness are tied to that id), plus the cluster's service-account tokens. Once
AUTH_PROVIDERS is set the plugin reads no provider from OIDC_*, so both are listed.
*/}}
{{- define "mos.authProviders" -}}
{{- $k := .Values.kubernetesAuth -}}
{{- $default := dict "id" "default" "type" "oidc" "display_name" "Keycloak"
      "discovery_url" (include "mos.discoveryUrl" .)
      "client_id" .Values.keycloak.clientId
      "issuer" (include "mos.issuer" .)
      "audience" .Values.keycloak.clientId
      "allowed_algorithms" (list "RS256")
      "provisioning" "jit" "group_sync" "every_login" "group_sync_mode" "authoritative"
      "admin_source" "claims" "identity_binding" "subject" -}}
{{- $cluster := dict "id" "cluster" "type" "k8s" "display_name" "Kubernetes service accounts"
      "issuer" $k.issuer "audience" $k.audience "in_cluster" true "jwks_uri" $k.jwksUri
      "allowed_algorithms" (list "RS256") "namespace_allowlist" $k.namespaceAllowlist "admin_source" "none" -}}
{{- list $default $cluster | toJson -}}
{{- end -}}

{{/* In-cluster services: names, and the connection strings made from the passwords. */}}
{{- define "mos.svc" -}}
{{- printf "%s-%s" (include "mos.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mos.inClusterLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* A service's data: its claim when persistence is on, else an emptyDir. */}}
{{- define "mos.dataVolume" -}}
- name: data
{{- if .root.Values.inCluster.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ include "mos.svc" . }}-data
{{- else }}
  emptyDir: {}
{{- end }}
{{- end -}}

{{/*
The variables of the realm file's ${...} placeholders and Keycloak's admin: the in-cluster
Keycloak imports the realm with them, and the bootstrap Job converges a Keycloak to it with
the same ones.
*/}}
{{- define "mos.realmEnv" -}}
{{- $kc := .Values.keycloak -}}
- {name: KC_BOOTSTRAP_ADMIN_USERNAME, value: {{ $kc.admin.user | quote }}}
{{ include "mos.secretEnv" (dict "root" . "env" "KC_BOOTSTRAP_ADMIN_PASSWORD" "key" $kc.keys.adminPassword) }}
- {name: MLFLOW_REALM, value: {{ $kc.realm | quote }}}
- {name: MLFLOW_CLIENT_ID, value: {{ $kc.clientId | quote }}}
{{ include "mos.secretEnv" (dict "root" . "env" "MLFLOW_CLIENT_SECRET" "key" .Values.secret.keys.clientSecret) }}
{{ include "mos.secretEnv" (dict "root" . "env" "SYNC_CLIENT_SECRET" "key" $kc.keys.syncClientSecret) }}
- {name: MLFLOW_PUBLIC_URL, value: "{{ include "mos.publicUrl" . }}{{ include "mos.path" . }}"}
- {name: MLFLOW_ALT_URL, value: "{{ include "mos.publicUrl" . }}{{ include "mos.path" . }}"}
- {name: MLFLOW_USERS_GROUP, value: {{ $kc.usersGroup | quote }}}
- {name: MLFLOW_ADMINS_GROUP, value: {{ $kc.adminsGroup | quote }}}
# TLS ends at the Ingress; the back channel inside the cluster is private addresses.
- {name: MLFLOW_SSL_REQUIRED, value: external}
{{- end -}}

{{/*
What MLflow's OIDC login is set up with: the servers (deployment.yaml) and the doctor of
`helm test` (tests/doctor.yaml) read the same variables.
*/}}
{{- define "mos.oidcEnv" -}}
{{ include "mos.secretEnv" (dict "root" . "env" "OIDC_CLIENT_SECRET" "key" .Values.secret.keys.clientSecret) }}
- name: OIDC_DISCOVERY_URL
  value: {{ include "mos.discoveryUrl" . | quote }}
- name: OIDC_ISSUER
  value: {{ include "mos.issuer" . | quote }}
- name: OIDC_CLIENT_ID
  value: {{ .Values.keycloak.clientId | quote }}
- name: OIDC_AUDIENCE
  value: {{ .Values.keycloak.clientId | quote }}
- name: OIDC_REDIRECT_URI
  value: {{ printf "%s%s/callback" (include "mos.publicUrl" .) (include "mos.path" .) | quote }}
- name: OIDC_SCOPE
  value: openid profile email
- name: OIDC_GROUPS_ATTRIBUTE
  value: groups
- name: OIDC_GROUP_NAME
  value: {{ .Values.keycloak.usersGroup | quote }}
- name: OIDC_ADMIN_GROUP_NAME
  value: {{ .Values.keycloak.adminsGroup | quote }}
{{- include "mos.caEnv" . }}
{{- end -}}

{{/*
The Keycloak CA of keycloak.caSecret, for every container that talks to Keycloak: the
variables that point Python at it, its mount, and its volume.
*/}}
{{- define "mos.caEnv" -}}
{{- if .Values.keycloak.caSecret.name }}
- name: SSL_CERT_FILE
  value: /etc/mlflow-oidc-stack/ca.crt
- name: REQUESTS_CA_BUNDLE
  value: /etc/mlflow-oidc-stack/ca.crt
{{- end }}
{{- end -}}

{{- define "mos.caMount" -}}
{{- if .Values.keycloak.caSecret.name }}
- name: ca
  mountPath: /etc/mlflow-oidc-stack
  readOnly: true
{{- end }}
{{- end -}}

{{- define "mos.caVolume" -}}
{{- if .Values.keycloak.caSecret.name }}
- name: ca
  secret:
    secretName: {{ .Values.keycloak.caSecret.name }}
    items:
      - {key: {{ .Values.keycloak.caSecret.key | default "ca.crt" }}, path: ca.crt}
{{- end }}
{{- end -}}

{{- define "mos.secretEnv" -}}
- name: {{ .env }}
  valueFrom: {secretKeyRef: {name: {{ .root.Values.secret.name }}, key: {{ .key }}}}
{{- end -}}
