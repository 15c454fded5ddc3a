/**
 * Pull-request providers behind the domain's {@code PullRequestProvider} port: GitHub (REST API),
 * GitLab (merge requests API) and AWS CodeCommit (SDK). Each failure has its own exception:
 * {@link dev.reflex.adapters.pullrequests.PullRequestAuthException} (credentials refused),
 * {@link dev.reflex.adapters.pullrequests.PullRequestRateLimitedException} (try again at its reset
 * time) and {@link dev.reflex.adapters.pullrequests.PullRequestProviderException} (anything else).
 * No message, exception or {@code toString} ever carries a token.
 *
 * <p>Webhook deliveries from the hosting services are authenticated by
 * {@link dev.reflex.adapters.pullrequests.GitHubWebhookVerifier} (HMAC-SHA256 of the raw body) and
 * {@link dev.reflex.adapters.pullrequests.GitLabWebhookVerifier} (secret token), then read as a
 * {@link dev.reflex.adapters.pullrequests.ReviewEvent}; a failed check is a
 * {@link dev.reflex.adapters.pullrequests.WebhookRejectedException}, an authenticated but unreadable
 * body a {@link dev.reflex.adapters.pullrequests.MalformedWebhookException}.
 */
package dev.reflex.adapters.pullrequests;
