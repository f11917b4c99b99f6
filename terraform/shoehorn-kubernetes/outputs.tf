output "namespace" {
  description = "Namespace of the agent."
  value       = helm_release.agent.namespace
}

output "release_name" {
  description = "Name of the Helm release."
  value       = helm_release.agent.name
}

output "agent_credential_secret_name" {
  description = "Secret holding the agent's portal credential."
  value       = local.agent_secret_name
}

output "argocd_token_secret_name" {
  description = "Secret holding the ArgoCD token, or empty when the agent is read-only."
  value       = local.argocd_secret_name
}
