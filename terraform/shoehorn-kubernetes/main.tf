locals {
  namespace = var.create_namespace ? kubernetes_namespace_v1.agent[0].metadata[0].name : var.namespace
}

resource "kubernetes_namespace_v1" "agent" {
  count = var.create_namespace ? 1 : 0

  metadata {
    name = var.namespace
    labels = {
      "app.kubernetes.io/part-of" = "shoehorn-gitops"
    }
  }
}

resource "kubernetes_secret_v1" "agent_credential" {
  count = local.has_agent_token ? 1 : 0

  metadata {
    name      = local.agent_secret_name
    namespace = local.namespace
  }

  data = {
    token = var.agent_token
  }
}

resource "kubernetes_secret_v1" "argocd_token" {
  count = local.has_argocd_token ? 1 : 0

  metadata {
    name      = local.argocd_secret_name
    namespace = local.namespace
  }

  data = {
    token = var.argocd_token
  }
}

resource "helm_release" "agent" {
  name      = var.release_name
  namespace = local.namespace
  chart     = coalesce(var.chart, "${path.module}/../../charts/gitops-agent")

  repository = var.chart_repository
  version    = var.chart_version
  wait       = var.wait

  values = [yamlencode(local.chart_values)]

  # The chart refers to the Secrets by name; they must exist before the agent starts.
  depends_on = [kubernetes_secret_v1.agent_credential, kubernetes_secret_v1.argocd_token]

  lifecycle {
    precondition {
      condition     = local.has_agent_token != (var.agent_token_secret_name != null)
      error_message = "Set exactly one of agent_token and agent_token_secret_name."
    }
    precondition {
      condition     = var.replicas == 1 || var.leader_election
      error_message = "replicas > 1 needs leader_election: only one agent may push and run commands."
    }
    precondition {
      condition     = !local.has_argocd_token || var.argocd_server_url != ""
      error_message = "argocd_server_url is required with argocd_token: sync and refresh call the ArgoCD server."
    }
  }
}
