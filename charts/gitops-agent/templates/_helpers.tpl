{{/* Chart name, overridable. */}}
{{- define "gitops-agent.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of namespaced resources: release name, plus the chart name unless it already contains it. */}}
{{- define "gitops-agent.fullname" -}}
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

{{/* Name of cluster-scoped resources: carries the release namespace so two releases never collide. */}}
{{- define "gitops-agent.clusterName" -}}
{{- printf "%s-%s" .Release.Namespace (include "gitops-agent.fullname" .) }}
{{- end }}

{{- define "gitops-agent.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "gitops-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gitops-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "gitops-agent.labels" -}}
helm.sh/chart: {{ include "gitops-agent.chart" . }}
{{ include "gitops-agent.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: agent
{{- with .Values.agent.gitops.tool }}
gitops.shoehorn.dev/tool: {{ . }}
{{- end }}
{{- with .Values.agent.cluster }}
gitops.shoehorn.dev/cluster: {{ . | quote }}
{{- end }}
{{- end }}

{{- define "gitops-agent.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "gitops-agent.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "gitops-agent.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "gitops-agent.leaseName" -}}
{{- default (include "gitops-agent.fullname" .) .Values.agent.leaderElection.leaseName }}
{{- end }}

{{/* Secret the chart creates for tokens passed at install. */}}
{{- define "gitops-agent.credentialsSecretName" -}}
{{- printf "%s-credentials" (include "gitops-agent.fullname" .) }}
{{- end }}

{{/* Secret and key of the agent's portal credential. */}}
{{- define "gitops-agent.agentTokenSecret" -}}
{{- if .Values.agent.credential.existingSecret -}}
{{ .Values.agent.credential.existingSecret }}
{{- else -}}
{{ include "gitops-agent.credentialsSecretName" . }}
{{- end -}}
{{- end }}

{{- define "gitops-agent.agentTokenKey" -}}
{{- if .Values.agent.credential.existingSecret -}}
{{ .Values.agent.credential.existingSecretKey }}
{{- else -}}
agent-token
{{- end -}}
{{- end }}

{{/* Whether the agent gets an ArgoCD token: one is configured and commands are on (it is used for nothing else). */}}
{{- define "gitops-agent.hasArgocdToken" -}}
{{- $a := .Values.agent.gitops.argocd }}
{{- if and (eq .Values.agent.gitops.tool "argocd") (or $a.existingSecret $a.token) .Values.agent.commands.enabled }}true{{ end }}
{{- end }}

{{- define "gitops-agent.argocdTokenSecret" -}}
{{- if .Values.agent.gitops.argocd.existingSecret -}}
{{ .Values.agent.gitops.argocd.existingSecret }}
{{- else -}}
{{ include "gitops-agent.credentialsSecretName" . }}
{{- end -}}
{{- end }}

{{- define "gitops-agent.argocdTokenKey" -}}
{{- if .Values.agent.gitops.argocd.existingSecret -}}
{{ .Values.agent.gitops.argocd.existingSecretKey }}
{{- else -}}
argocd-token
{{- end -}}
{{- end }}

{{/* Whether the chart creates the credentials Secret (a token was passed at install). */}}
{{- define "gitops-agent.createsCredentialsSecret" -}}
{{- $a := .Values.agent.gitops.argocd }}
{{- if or (and .Values.agent.credential.token (not .Values.agent.credential.existingSecret)) (and (include "gitops-agent.hasArgocdToken" .) $a.token (not $a.existingSecret)) }}true{{ end }}
{{- end }}

{{/*
Namespaces the agent watches for the configured tool, as a JSON list; ["*"] means all namespaces.
Empty when no tool is set.
*/}}
{{- define "gitops-agent.watchNamespaces" -}}
{{- $tool := .Values.agent.gitops.tool }}
{{- $namespaces := list }}
{{- if eq $tool "argocd" }}
{{- $namespaces = prepend .Values.agent.gitops.argocd.applicationNamespaces .Values.agent.gitops.argocd.namespace | uniq }}
{{- else if eq $tool "fluxcd" }}
{{- $namespaces = .Values.agent.gitops.fluxcd.namespaces | uniq }}
{{- end }}
{{- if has "*" $namespaces }}
{{- $namespaces = list "*" }}
{{- end }}
{{- toJson $namespaces }}
{{- end }}

{{/* The custom resource definitions of the configured tool's watched kinds. */}}
{{- define "gitops-agent.toolCrds" -}}
{{- if eq .Values.agent.gitops.tool "argocd" }}
{{- toJson (list "applications.argoproj.io" "appprojects.argoproj.io") }}
{{- else if eq .Values.agent.gitops.tool "fluxcd" }}
{{- toJson (list "kustomizations.kustomize.toolkit.fluxcd.io" "helmreleases.helm.toolkit.fluxcd.io" "gitrepositories.source.toolkit.fluxcd.io" "ocirepositories.source.toolkit.fluxcd.io" "helmrepositories.source.toolkit.fluxcd.io") }}
{{- else }}
{{- toJson list }}
{{- end }}
{{- end }}

{{/* RBAC rules on the tool's resources: read always, patch only for FluxCD commands. */}}
{{- define "gitops-agent.gitopsRules" -}}
{{- if eq .Values.agent.gitops.tool "argocd" }}
{{- /* AppProjects for their sync windows: the root cause of an app a window holds. */}}
- apiGroups: ["argoproj.io"]
  resources: ["applications", "appprojects"]
  verbs: ["get", "list", "watch"]
{{- else if eq .Values.agent.gitops.tool "fluxcd" }}
{{- $verbs := list "get" "list" "watch" }}
{{- if .Values.agent.commands.enabled }}
{{- $verbs = append $verbs "patch" }}
{{- end }}
- apiGroups: ["kustomize.toolkit.fluxcd.io"]
  resources: ["kustomizations"]
  verbs: {{ toJson $verbs }}
- apiGroups: ["helm.toolkit.fluxcd.io"]
  resources: ["helmreleases"]
  verbs: {{ toJson $verbs }}
{{- /* The watched sources: a root cause follows a Kustomization or HelmRelease to them. */}}
- apiGroups: ["source.toolkit.fluxcd.io"]
  resources: ["gitrepositories", "ocirepositories", "helmrepositories"]
  verbs: {{ toJson $verbs }}
{{- if .Values.agent.commands.enabled }}
{{- /* Sync reconciles a release's or kustomization's unwatched source kind first and reads back the controller's answer. */}}
- apiGroups: ["source.toolkit.fluxcd.io"]
  resources: ["buckets", "helmcharts"]
  verbs: ["get", "patch"]
{{- end }}
{{- end }}
{{- end }}

{{/* Fails rendering on combinations the schema cannot express. */}}
{{- define "gitops-agent.validate" -}}
{{- if not .Values.agent.backendURL }}
{{- fail "agent.backendURL is required: the URL of the portal backend the agent pushes to" }}
{{- end }}
{{- if and (not .Values.agent.credential.existingSecret) (not .Values.agent.credential.token) }}
{{- fail "agent.credential: set existingSecret (a Secret holding the agent's portal token) or pass token at install" }}
{{- end }}
{{- if and .Values.agent.credential.existingSecret .Values.agent.credential.token }}
{{- fail "agent.credential: set either existingSecret or token, not both" }}
{{- end }}
{{- if and .Values.agent.gitops.argocd.existingSecret .Values.agent.gitops.argocd.token }}
{{- fail "agent.gitops.argocd: set either existingSecret or token, not both" }}
{{- end }}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.agent.leaderElection.enabled) }}
{{- fail "replicaCount > 1 needs agent.leaderElection.enabled: only one agent may push and run commands" }}
{{- end }}
{{- if and (eq .Values.agent.gitops.tool "argocd") (include "gitops-agent.hasArgocdToken" .) (not .Values.agent.gitops.argocd.serverURL) }}
{{- fail "agent.gitops.argocd.serverURL is required with an ArgoCD token: sync and refresh call the ArgoCD server" }}
{{- end }}
{{- end }}
