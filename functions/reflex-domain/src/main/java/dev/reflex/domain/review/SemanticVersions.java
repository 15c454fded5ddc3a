package dev.reflex.domain.review;

import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Semantic versions of a playbook, from what changed between two versions of its content:
 * <b>major</b> when a step is added or removed or a step's risk class is raised (what a reviewer
 * approved no longer covers it), <b>minor</b> when a step, its rollback, the verification or the
 * parameters changed, <b>patch</b> when only metadata changed (title, prose, matching), none when
 * nothing did. Pure.
 */
public final class SemanticVersions {

  public enum Change { NONE, PATCH, MINOR, MAJOR }

  private static final Pattern SEMVER = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

  private SemanticVersions() {}

  /** What kind of change turns {@code before} into {@code after}. */
  public static Change change(Playbook before, Playbook after) {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    List<PlaybookStep> old = before.steps();
    List<PlaybookStep> now = after.steps();
    if (old.size() != now.size()
        || !old.stream().map(PlaybookStep::name).toList().equals(now.stream().map(PlaybookStep::name).toList())) {
      return Change.MAJOR;
    }
    boolean stepChanged = false;
    for (int i = 0; i < old.size(); i++) {
      if (now.get(i).declaredRisk().ordinal() > old.get(i).declaredRisk().ordinal()) {
        return Change.MAJOR;
      }
      stepChanged |= !now.get(i).equals(old.get(i));
    }
    if (stepChanged || !Objects.equals(before.verification(), after.verification())
        || !before.parameters().equals(after.parameters())) {
      return Change.MINOR;
    }
    boolean metadata = !before.title().equals(after.title()) || !before.description().equals(after.description())
        || !before.guidance().equals(after.guidance()) || !before.anomalyTypes().equals(after.anomalyTypes())
        || !before.signaturePatterns().equals(after.signaturePatterns())
        || !Objects.equals(before.signature(), after.signature())
        || !before.supportingIncidents().equals(after.supportingIncidents())
        || !before.evidenceText().equals(after.evidenceText());
    return metadata ? Change.PATCH : Change.NONE;
  }

  /** {@code version} raised by {@code change}: 1.4.2 + MINOR = 1.5.0. */
  public static String bump(String version, Change change) {
    int[] v = parse(version);
    return switch (change) {
      case NONE -> version;
      case PATCH -> v[0] + "." + v[1] + "." + (v[2] + 1);
      case MINOR -> v[0] + "." + (v[1] + 1) + ".0";
      case MAJOR -> (v[0] + 1) + ".0.0";
    };
  }

  /** The version {@code after} should carry, following {@code before}. */
  public static String next(Playbook before, Playbook after) {
    return bump(before.version(), change(before, after));
  }

  /** Negative, zero or positive as {@code a} is older than, equal to or newer than {@code b}. */
  public static int compare(String a, String b) {
    int[] x = parse(a);
    int[] y = parse(b);
    for (int i = 0; i < 3; i++) {
      if (x[i] != y[i]) {
        return Integer.compare(x[i], y[i]);
      }
    }
    return 0;
  }

  private static int[] parse(String version) {
    var m = SEMVER.matcher(Objects.requireNonNull(version, "version"));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a semantic version (1.2.3): " + version);
    }
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
  }
}
