variable "agent_gitops_tool" {
  description = "The GitOps tool the agent watches: argocd or fluxcd."
  type        = string

  validation {
    condition     = contains(["argocd", "fluxcd"], var.agent_gitops_tool)
    error_message = "agent_gitops_tool must be \"argocd\" or \"fluxcd\"."
  }
}

variable "argocd_namespace" {
  description = "Namespace where ArgoCD Application resources live (the ArgoCD control-plane namespace)."
  type        = string
  default     = "argocd"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.argocd_namespace))
    error_message = "argocd_namespace must be a Kubernetes namespace name."
  }
}

variable "argocd_application_namespaces" {
  description = "More namespaces with ArgoCD Applications (apps in any namespace); [\"*\"] watches all of them with a ClusterRole."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for ns in var.argocd_application_namespaces : ns == "*" || can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", ns))])
    error_message = "argocd_application_namespaces must hold namespace names or \"*\"."
  }
}

variable "argocd_server_url" {
  description = "Public ArgoCD server URL for sync and refresh, e.g. https://argocd.example.com."
  type        = string
  default     = ""

  validation {
    condition     = var.argocd_server_url == "" || can(regex("^https?://[^\\s]+$", var.argocd_server_url))
    error_message = "argocd_server_url must be an http(s) URL."
  }
}

variable "argocd_token" {
  description = "ArgoCD API token (argocd account generate-token --account shoehorn). Stored only in the agent's Secret; without it the agent is read-only."
  type        = string
  default     = null
  sensitive   = true
}

variable "flux_namespaces" {
  description = "Namespaces whose FluxCD Kustomizations, HelmReleases and GitRepositories are watched; [\"*\"] is all, with a ClusterRole."
  type        = list(string)
  default     = ["*"]

  validation {
    condition     = length(var.flux_namespaces) > 0 && alltrue([for ns in var.flux_namespaces : ns == "*" || can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", ns))])
    error_message = "flux_namespaces must hold at least one namespace name, or \"*\"."
  }
}

variable "backend_url" {
  description = "URL of the portal (Backstage) backend the agent pushes to."
  type        = string

  validation {
    condition     = can(regex("^https?://[^\\s]+$", var.backend_url))
    error_message = "backend_url must be an http(s) URL."
  }
}

variable "allow_insecure_http" {
  description = "Accept plain http backend and ArgoCD URLs; the tokens then cross the network unencrypted (loopback and demos only)."
  type        = bool
  default     = false
}

variable "agent_token" {
  description = "The agent's portal credential (a Backstage external-access token). Stored only in the agent's Secret. Leave null to use agent_token_secret_name."
  type        = string
  default     = null
  sensitive   = true
}

variable "agent_token_secret_name" {
  description = "Name of an existing Secret in the agent namespace holding the portal credential under key \"token\", instead of agent_token."
  type        = string
  default     = null
}

variable "cluster_name" {
  description = "Name of the cluster for labels and logs (the portal names the cluster from the credential)."
  type        = string
  default     = ""
}

variable "commands_enabled" {
  description = "Let the agent run Sync and Refresh (FluxCD: patch rights on the watched kinds; ArgoCD: the token is mounted)."
  type        = bool
  default     = true
}

variable "namespace" {
  description = "Namespace the agent is installed in."
  type        = string
  default     = "gitops-agent"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a Kubernetes namespace name."
  }
}

variable "create_namespace" {
  description = "Create the namespace (false: it must exist)."
  type        = bool
  default     = true
}

variable "release_name" {
  description = "Name of the Helm release."
  type        = string
  default     = "gitops-agent"
}

variable "chart" {
  description = "The chart: a path, or a chart name in chart_repository. Default: the chart in this repository."
  type        = string
  default     = null
}

variable "chart_repository" {
  description = "Helm repository of the chart, when chart is a name."
  type        = string
  default     = null
}

variable "chart_version" {
  description = "Chart version, when installing from a repository."
  type        = string
  default     = null
}

variable "replicas" {
  description = "Number of agent pods; one is active through leader election."
  type        = number
  default     = 1

  validation {
    condition     = var.replicas >= 1 && floor(var.replicas) == var.replicas
    error_message = "replicas must be a whole number of at least 1."
  }
}

variable "leader_election" {
  description = "Elect one active agent with a Lease; needed for more than one replica."
  type        = bool
  default     = true
}

variable "image_repository" {
  description = "Image repository of the agent. Default: the chart's."
  type        = string
  default     = null
}

variable "image_tag" {
  description = "Image tag of the agent. Default: the chart's appVersion."
  type        = string
  default     = null
}

variable "service_monitor_enabled" {
  description = "Create a Prometheus Operator ServiceMonitor for the agent's /metrics."
  type        = bool
  default     = false
}

variable "wait" {
  description = "Wait until the agent Deployment is ready."
  type        = bool
  default     = true
}
