/**
 * Pull-request providers behind the domain's {@code PullRequestProvider} port: GitHub (REST API),
 * GitLab (merge requests API) and AWS CodeCommit (SDK). Each failure has its own exception:
 * {@link dev.reflex.adapters.pullrequests.PullRequestAuthException} (credentials refused),
 * {@link dev.reflex.adapters.pullrequests.PullRequestRateLimitedException} (try again at its reset
 * time) and {@link dev.reflex.adapters.pullrequests.PullRequestProviderException} (anything else).
 * No message, exception or {@code toString} ever carries a token.
 */
package dev.reflex.adapters.pullrequests;
