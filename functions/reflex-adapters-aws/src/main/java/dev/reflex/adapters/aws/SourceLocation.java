package dev.reflex.adapters.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the instance downloads a playbook's folder at its approved commit: the {@code SourceType}
 * and {@code SourceInfo} of {@code AWS-ApplyAnsiblePlaybooks}. The folder is
 * {@code playbooks/<id>} for catalog playbooks and {@code learned/<id>} for drafted ones, under
 * {@code root} in the repository.
 */
public sealed interface SourceLocation {

  Pattern COMMIT_SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  Pattern PATH_PART = Pattern.compile("[A-Za-z0-9._/-]{0,200}");

  /** {@code S3} or {@code GitHub}. */
  String sourceType();

  /** The {@code SourceInfo} JSON for the folder of {@code playbook} at {@code commitSha}. */
  String sourceInfo(Playbook playbook, String commitSha);

  /**
   * A published copy of the repository per commit: {@code s3://bucket/<keyPrefix>/<sha>/<root>/...}
   * (CI copies every merged commit there).
   *
   * @param region the bucket's region, {@code null} for the global endpoint
   */
  record S3(String bucket, String keyPrefix, String region, String root) implements SourceLocation {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-\\d");

    public S3 {
      if (bucket == null || !BUCKET.matcher(bucket).matches()) {
        throw new IllegalArgumentException("invalid S3 bucket name");
      }
      keyPrefix = trimSlashes(keyPrefix, "keyPrefix");
      root = trimSlashes(root, "root");
      if (region != null && !REGION.matcher(region).matches()) {
        throw new IllegalArgumentException("invalid region: " + region);
      }
    }

    @Override
    public String sourceType() {
      return "S3";
    }

    @Override
    public String sourceInfo(Playbook playbook, String commitSha) {
      String host = region == null ? "s3.amazonaws.com" : "s3." + region + ".amazonaws.com";
      String key = join(keyPrefix, checkSha(commitSha), root, playbookFolder(playbook)) + "/";
      return json(Map.of("path", "https://" + host + "/" + bucket + "/" + key));
    }
  }

  /**
   * The playbook repository on GitHub, downloaded at the commit.
   *
   * @param tokenParameter name of an SSM SecureString parameter holding a read token for a private
   *     repository, or {@code null}; it reaches the instance as {@code {{ssm-secure:<name>}}},
   *     which the agent resolves there: the token never appears in the command
   */
  record GitHub(String owner, String repository, String root, String tokenParameter) implements SourceLocation {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z0-9_./-]{1,1011}");

    public GitHub {
      if (owner == null || !NAME.matcher(owner).matches()) {
        throw new IllegalArgumentException("invalid GitHub owner");
      }
      if (repository == null || !NAME.matcher(repository).matches()) {
        throw new IllegalArgumentException("invalid GitHub repository");
      }
      root = trimSlashes(root, "root");
      if (tokenParameter != null && !PARAMETER.matcher(tokenParameter).matches()) {
        throw new IllegalArgumentException("invalid SSM parameter name for the GitHub token");
      }
    }

    @Override
    public String sourceType() {
      return "GitHub";
    }

    @Override
    public String sourceInfo(Playbook playbook, String commitSha) {
      Map<String, String> info = new LinkedHashMap<>();
      info.put("owner", owner);
      info.put("repository", repository);
      info.put("path", join(root, playbookFolder(playbook)));
      info.put("getOptions", "commitID:" + checkSha(commitSha));
      if (tokenParameter != null) {
        info.put("tokenInfo", "{{ssm-secure:" + tokenParameter + "}}");
      }
      return json(info);
    }
  }

  /** {@code playbooks/<id>} for catalog playbooks, {@code learned/<id>} for drafted ones. */
  static String playbookFolder(Playbook playbook) {
    return (playbook.source() == PlaybookSource.CATALOG ? "playbooks/" : "learned/") + playbook.id();
  }

  private static String checkSha(String commitSha) {
    if (commitSha == null || !COMMIT_SHA.matcher(commitSha).matches()) {
      throw new IllegalArgumentException("a full commit SHA is required");
    }
    return commitSha;
  }

  private static String trimSlashes(String path, String what) {
    String p = Objects.requireNonNullElse(path, "");
    if (!PATH_PART.matcher(p).matches() || p.contains("..")) {
      throw new IllegalArgumentException("invalid " + what + ": " + p);
    }
    return p.replaceAll("^/+|/+$", "");
  }

  private static String join(String... parts) {
    StringBuilder out = new StringBuilder();
    for (String part : parts) {
      if (!part.isEmpty()) {
        out.append(out.isEmpty() ? "" : "/").append(part);
      }
    }
    return out.toString();
  }

  private static String json(Map<String, String> value) {
    try {
      return new ObjectMapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
