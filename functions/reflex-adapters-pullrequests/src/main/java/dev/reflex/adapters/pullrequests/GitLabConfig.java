package dev.reflex.adapters.pullrequests;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where {@link GitLabMergeRequestProvider} opens merge requests.
 *
 * @param apiBase {@code https://gitlab.com/api/v4}, or {@code https://HOST/api/v4} self-managed
 * @param projectId the numeric project id, or its path ({@code group/sub/playbooks}, encoded here
 *     when given raw, or already URL-encoded)
 * @param token supplies a project, group or personal access token (scope {@code api}) for each
 *     request; read through the secrets port, never logged
 * @param tokenHeader {@code PRIVATE-TOKEN} for access tokens, {@code Authorization: Bearer} for
 *     OAuth tokens
 */
public record GitLabConfig(URI apiBase, String projectId, Supplier<String> token, TokenHeader tokenHeader) {

  public static final URI PUBLIC_API = URI.create("https://gitlab.com/api/v4");

  /** How the token is sent. */
  public enum TokenHeader { PRIVATE_TOKEN, BEARER }

  public GitLabConfig {
    Objects.requireNonNull(apiBase, "apiBase");
    if (!"https".equals(apiBase.getScheme()) && !"http".equals(apiBase.getScheme())) {
      throw new IllegalArgumentException("gitlab api base must be http or https: " + apiBase);
    }
    if (projectId == null || projectId.isBlank() || projectId.strip().length() != projectId.length()) {
      throw new IllegalArgumentException("gitlab project id must be an id or a path: " + projectId);
    }
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(tokenHeader, "tokenHeader");
  }

  /** With a {@code PRIVATE-TOKEN} access token. */
  public GitLabConfig(URI apiBase, String projectId, Supplier<String> token) {
    this(apiBase, projectId, token, TokenHeader.PRIVATE_TOKEN);
  }

  /** {@code {apiBase}/projects/{id}} followed by {@code path}; a raw path id is URL-encoded. */
  URI projectUri(String path) {
    String id = projectId.contains("%") ? projectId : URLEncoder.encode(projectId, StandardCharsets.UTF_8);
    return URI.create(apiBase.toString().replaceAll("/+$", "") + "/projects/" + id + path);
  }

  @Override
  public String toString() {
    return "GitLabConfig[apiBase=" + apiBase + ", projectId=" + projectId + ", token=***, tokenHeader="
        + tokenHeader + "]";
  }
}
