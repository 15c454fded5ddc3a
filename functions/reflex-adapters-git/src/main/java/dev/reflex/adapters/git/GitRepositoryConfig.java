package dev.reflex.adapters.git;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the playbook repository is and how to reach it.
 *
 * @param workDir Reflex's own clone (one working tree, created on first use)
 * @param remoteUri e.g. {@code file:///var/reflex/playbooks.git} or {@code https://github.com/org/playbooks.git};
 *     never with credentials in it
 * @param targetBranch the reviewed branch drafts start from, usually {@code main}
 * @param credentials asked at each fetch and push, so a rotated token is picked up; never logged
 */
public record GitRepositoryConfig(
    Path workDir, String remoteUri, String targetBranch, Optional<Supplier<Credentials>> credentials) {

  public GitRepositoryConfig {
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(remoteUri, "remoteUri");
    targetBranch = Objects.requireNonNullElse(targetBranch, "main");
    credentials = Objects.requireNonNullElse(credentials, Optional.empty());
    String userInfo = userInfo(remoteUri);
    if (userInfo != null && userInfo.contains(":")) {
      throw new IllegalArgumentException("remoteUri must not carry a password or token; use credentials");
    }
  }

  public static GitRepositoryConfig anonymous(Path workDir, String remoteUri, String targetBranch) {
    return new GitRepositoryConfig(workDir, remoteUri, targetBranch, Optional.empty());
  }

  /**
   * HTTPS credentials: for a GitHub App token the user is {@code x-access-token}, for GitLab
   * {@code oauth2}.
   */
  public record Credentials(String user, String token) {
    public Credentials {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
      return "Credentials[user=" + user + ", token=***]";
    }
  }

  @Override
  public String toString() {
    return "GitRepositoryConfig[workDir=" + workDir + ", remoteUri=" + remoteUri + ", targetBranch=" + targetBranch
        + ", credentials=" + (credentials.isPresent() ? "***" : "none") + "]";
  }

  private static String userInfo(String uri) {
    try {
      return URI.create(uri).getRawUserInfo();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
