package dev.reflex.adapters.pullrequests;

import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Where {@link GitHubPullRequestProvider} opens pull requests.
 *
 * @param apiBase {@code https://api.github.com}, or {@code https://HOST/api/v3} on GitHub Enterprise
 * @param owner the user or organisation owning the playbook repository
 * @param repo the repository name
 * @param token supplies a token (fine-grained or GitHub App installation token, with
 *     "Pull requests: write") for each request; read through the secrets port, never logged
 */
public record GitHubConfig(URI apiBase, String owner, String repo, Supplier<String> token) {

  public static final URI PUBLIC_API = URI.create("https://api.github.com");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,100}");

  public GitHubConfig {
    Objects.requireNonNull(apiBase, "apiBase");
    if (!"https".equals(apiBase.getScheme()) && !"http".equals(apiBase.getScheme())) {
      throw new IllegalArgumentException("github api base must be http or https: " + apiBase);
    }
    if (owner == null || !NAME.matcher(owner).matches()) {
      throw new IllegalArgumentException("github owner must be a user or organisation name: " + owner);
    }
    if (repo == null || !NAME.matcher(repo).matches()) {
      throw new IllegalArgumentException("github repo must be a repository name: " + repo);
    }
    Objects.requireNonNull(token, "token");
  }

  /** {@code {apiBase}/repos/{owner}/{repo}} followed by {@code path}. */
  URI repoUri(String path) {
    return URI.create(apiBase.toString().replaceAll("/+$", "") + "/repos/" + owner + "/" + repo + path);
  }

  @Override
  public String toString() {
    return "GitHubConfig[apiBase=" + apiBase + ", owner=" + owner + ", repo=" + repo + ", token=***]";
  }
}
