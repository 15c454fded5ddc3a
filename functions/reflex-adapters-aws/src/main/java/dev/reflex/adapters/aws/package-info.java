/**
 * AWS adapters: {@link dev.reflex.adapters.aws.SsmExecutor} runs approved playbooks through
 * Systems Manager, {@link dev.reflex.adapters.aws.SesApprovalNotifier} and
 * {@link dev.reflex.adapters.aws.WebhookApprovalNotifier} ask approvers, and
 * {@link dev.reflex.adapters.aws.SecretsManagerSecretsProvider} reads secrets with an audit hook.
 *
 * <p>Invariant shared by all of them: a secret's value never enters a request parameter, a log
 * line or an error message; only its name does.
 */
package dev.reflex.adapters.aws;
