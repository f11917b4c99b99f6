# What the module passes to the chart, computed from variables only (no provider needed), so
# the values can be evaluated and rendered on their own.
locals {
  # Whether a token is set is no secret; unmarking it keeps counts and chart values plain.
  has_agent_token  = nonsensitive(var.agent_token != null)
  has_argocd_token = var.agent_gitops_tool == "argocd" && var.commands_enabled && nonsensitive(var.argocd_token != null && var.argocd_token != "")

  agent_secret_name  = local.has_agent_token ? "${var.release_name}-credential" : var.agent_token_secret_name
  argocd_secret_name = local.has_argocd_token ? "${var.release_name}-argocd-token" : ""

  # Chart values: Secret names only. Tokens never enter Helm values.
  chart_values = {
    replicaCount = var.replicas
    agent = {
      backendURL        = var.backend_url
      allowInsecureHttp = var.allow_insecure_http
      cluster           = var.cluster_name
      credential = {
        existingSecret    = local.agent_secret_name
        existingSecretKey = "token"
      }
      gitops = {
        tool = var.agent_gitops_tool
        argocd = {
          namespace             = var.argocd_namespace
          applicationNamespaces = var.argocd_application_namespaces
          serverURL             = var.argocd_server_url
          existingSecret        = local.argocd_secret_name
          existingSecretKey     = "token"
        }
        fluxcd = {
          namespaces = var.flux_namespaces
        }
      }
      commands = {
        enabled = var.commands_enabled
      }
      leaderElection = {
        enabled = var.leader_election
      }
    }
    image = merge(
      var.image_repository != null ? { repository = var.image_repository } : {},
      var.image_tag != null ? { tag = var.image_tag } : {},
    )
    metrics = {
      serviceMonitor = {
        enabled = var.service_monitor_enabled
      }
    }
  }
}

