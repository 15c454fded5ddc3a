package dev.reflex.domain.gate;

import dev.reflex.domain.gate.Finding.Location;
import dev.reflex.domain.gate.Finding.Location.Kind;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import dev.reflex.domain.risk.ForbiddenCommands;
import dev.reflex.domain.risk.RiskClassifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validation gate every playbook passes before people review it and before Reflex proposes a
 * learned draft: the same rules for {@code reflex validate} (a repository in CI) and for
 * {@code ConsultForPlaybook} (a draft before it is committed). Pure: it reads the playbook only.
 *
 * <p>Errors:
 *
 * <ul>
 *   <li>a step whose declared risk class is lower than the one Reflex computes from its module and
 *       arguments (a {@code safe_write} step that deletes data);
 *   <li>a forbidden command anywhere: steps, rollbacks, verification;
 *   <li>a variable used in arguments ({@code {{ name }}}) that no parameter declares (nor the
 *       play's own variables, when the caller knows them);
 *   <li>a {@code critical_write} step without rollback;
 *   <li>no verification, or a verification that changes something;
 *   <li>a step's own verification that changes something, that is also a step, or (in a repository
 *       play, whose task order the caller gives) that is not a {@code remediate} task placed after
 *       its step and before the next step: a whole-play pass runs it there;
 *   <li>two parameters with one name.
 * </ul>
 *
 * Warnings: a {@code safe_write} step without rollback whose playbook guidance does not say why
 * none is possible; a parameter pattern that accepts shell metacharacters or {@code ..}.
 * (Every parameter has a pattern: {@link Parameter} cannot exist without one.)
 */
public final class PlaybookGate {

  /** Variables Ansible or Reflex define for every play: never reported as undeclared. */
  public static final Set<String> BUILT_IN_VARIABLES = Set.of("reflex_targets", "item", "ansible_check_mode",
      "ansible_diff_mode", "inventory_hostname", "inventory_hostname_short", "ansible_host", "ansible_facts",
      "hostvars", "groups", "group_names", "play_hosts", "ansible_play_hosts", "ansible_play_batch",
      "playbook_dir", "role_path", "omit", "ansible_loop", "ansible_loop_var", "ansible_index_var",
      "ansible_date_time", "ansible_hostname", "ansible_env", "ansible_user_id", "ansible_version",
      "lookup", "query", "q", "range", "now", "undef", "dict", "environment");

  private static final Pattern EXPLAINS_NO_ROLLBACK =
      Pattern.compile("(?i)\\b(?:no rollback|rollback|roll(?:ed)? back|undo|undone|irreversible|cannot be reversed)");
  private static final List<String> HOSTILE_VALUES = List.of("x; rm -rf /", "$(id)", "`id`", "../../etc/passwd",
      "a b", "x\ny");

  /** Which findings are errors. */
  public enum Mode {
    /** Every rule of the gate as documented above. */
    STRICT,
    /**
     * Only forbidden commands are errors, everything else a warning: how drafts were judged before
     * the full gate. {@code ConsultForPlaybook}'s original constructor keeps it so existing wiring
     * behaves as it did; wire {@link #STRICT} through its new constructor.
     */
    FORBIDDEN_COMMANDS_ONLY
  }

  private final RiskClassifier classifier;
  private final ForbiddenCommands forbidden;
  private final Mode mode;

  public PlaybookGate(RiskClassifier classifier, ForbiddenCommands forbidden) {
    this(classifier, forbidden, Mode.STRICT);
  }

  public PlaybookGate(RiskClassifier classifier, ForbiddenCommands forbidden, Mode mode) {
    this.classifier = Objects.requireNonNull(classifier, "classifier");
    this.forbidden = Objects.requireNonNull(forbidden, "forbidden");
    this.mode = Objects.requireNonNull(mode, "mode");
  }

  /** The built-in classifier and forbidden-command list. */
  public static PlaybookGate defaults() {
    return new PlaybookGate(new RiskClassifier(), ForbiddenCommands.defaults());
  }

  /** Checks a playbook whose arguments may read only its parameters and Ansible's own variables. */
  public GateResult check(Playbook playbook) {
    return check(playbook, Set.of());
  }

  /**
   * @param playVariables variables the playbook file defines itself ({@code vars:}, {@code register:}),
   *     which arguments may read besides the parameters
   */
  public GateResult check(Playbook playbook, Set<String> playVariables) {
    return check(playbook, playVariables, List.of());
  }

  /**
   * @param playVariables variables the playbook file defines itself ({@code vars:}, {@code register:}),
   *     which arguments may read besides the parameters
   * @param remediateTasks names of the play's tasks tagged {@code remediate}, in play order, for a
   *     repository play; empty for a playbook rendered from its model (a draft), which is in order
   *     by construction
   */
  public GateResult check(Playbook playbook, Set<String> playVariables, List<String> remediateTasks) {
    Objects.requireNonNull(playbook, "playbook");
    List<String> order = List.copyOf(Objects.requireNonNullElse(remediateTasks, List.of()));
    List<Finding> findings = new ArrayList<>();
    Set<String> declared = parameters(playbook, findings);
    Set<String> known = new HashSet<>(declared);
    known.addAll(BUILT_IN_VARIABLES);
    known.addAll(Objects.requireNonNullElse(playVariables, Set.of()));

    for (PlaybookStep step : playbook.steps()) {
      Location at = new Location(Kind.STEP, step.name());
      RiskClassifier.Assessment computed = classifier.assess(step.action());
      if (computed.risk().ordinal() > step.declaredRisk().ordinal()) {
        findings.add(Finding.error(at, "declared " + step.declaredRisk().wireName() + " but " + computed.reason()
            + ": " + computed.risk().wireName()));
      }
      action(step.action(), at, known, findings);
      RiskClass risk = step.declaredRisk().max(computed.risk());
      if (step.rollback() != null) {
        action(step.rollback(), new Location(Kind.ROLLBACK, step.rollback().name()), known, findings);
      } else if (risk == RiskClass.CRITICAL_WRITE) {
        findings.add(Finding.error(at, "critical_write step has no rollback: add a task tagged [rollback, never]"
            + " that undoes it"));
      } else if (risk == RiskClass.SAFE_WRITE && !EXPLAINS_NO_ROLLBACK.matcher(playbook.guidance()).find()) {
        findings.add(Finding.warning(at, "safe_write step has no rollback and the guidance does not say why none"
            + " is possible"));
      }
    }
    List<PlaybookStep> steps = playbook.steps();
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).verification() != null) {
        stepVerification(steps, i, order, known, findings);
      }
    }

    StepAction verification = playbook.verification();
    if (verification == null) {
      findings.add(Finding.error(Location.playbook(), "no verification: add a task tagged [verify] that checks"
          + " the alert's symptom is gone"));
    } else {
      Location at = new Location(Kind.VERIFICATION, verification.name());
      RiskClassifier.Assessment computed = classifier.assess(verification);
      if (computed.risk() != RiskClass.READ_ONLY) {
        findings.add(Finding.error(at, "verification must only read, but it " + computed.reason() + ": "
            + computed.risk().wireName()));
      }
      action(verification, at, known, findings);
    }
    if (mode == Mode.FORBIDDEN_COMMANDS_ONLY) {
      return new GateResult(findings.stream().map(f -> f.isError() && !f.message().startsWith("forbidden command")
          ? Finding.warning(f.location(), f.message()) : f).toList());
    }
    return new GateResult(findings);
  }

  /** A step's own verification: read-only, not a step itself, and in place in a repository play. */
  private void stepVerification(List<PlaybookStep> steps, int index, List<String> order, Set<String> known,
      List<Finding> findings) {
    PlaybookStep step = steps.get(index);
    StepAction verification = step.verification();
    Location at = new Location(Kind.STEP_VERIFICATION, step.name());
    String named = "\"" + verification.name() + "\"";
    RiskClassifier.Assessment computed = classifier.assess(verification);
    if (computed.risk() != RiskClass.READ_ONLY) {
      findings.add(Finding.error(at, named + " must only read, but it " + computed.reason() + ": "
          + computed.risk().wireName()));
    }
    action(verification, at, known, findings);
    if (steps.stream().anyMatch(other -> other.name().equals(verification.name()))) {
      findings.add(Finding.error(at, named + " is also a step: a verification is a task of its own"));
      return;
    }
    if (order.isEmpty()) {
      return;
    }
    int position = order.indexOf(verification.name());
    int stepPosition = order.indexOf(step.name());
    int nextPosition = index + 1 < steps.size() ? order.indexOf(steps.get(index + 1).name()) : order.size();
    if (position < 0) {
      findings.add(Finding.error(at, named + " is not a task tagged remediate in the play: tag it remediate so"
          + " that the play runs it right after its step"));
    } else if (position < stepPosition || (nextPosition >= 0 && position > nextPosition)) {
      findings.add(Finding.error(at, named + " must come after its step and before "
          + (index + 1 < steps.size() ? "the next step \"" + steps.get(index + 1).name() + "\"" : "the end of the play")
          + " in the play: a whole-play pass runs it where it stands"));
    }
  }

  private Set<String> parameters(Playbook playbook, List<Finding> findings) {
    Set<String> names = new LinkedHashSet<>();
    for (Parameter parameter : playbook.parameters()) {
      Location at = new Location(Kind.PARAMETER, parameter.name());
      if (!names.add(parameter.name())) {
        findings.add(Finding.error(at, "declared twice"));
      }
      Pattern pattern = Pattern.compile(parameter.pattern());
      List<String> accepted = HOSTILE_VALUES.stream().filter(value -> pattern.matcher(value).matches()).toList();
      if (!accepted.isEmpty()) {
        findings.add(Finding.warning(at, "pattern " + parameter.pattern() + " accepts "
            + String.join(", ", accepted.stream().map(PlaybookGate::printable).toList())
            + ": make it as tight as the value allows"));
      }
    }
    return names;
  }

  private void action(StepAction action, Location at, Set<String> known, List<Finding> findings) {
    for (String violation : forbidden.violations(action)) {
      int cut = violation.indexOf("forbidden command: ");
      findings.add(Finding.error(at, cut < 0 ? violation : violation.substring(cut)));
    }
    for (String name : JinjaReferences.in(action.args())) {
      if (!known.contains(name)) {
        findings.add(Finding.error(at, "uses {{ " + name + " }} but no parameter declares it"));
      }
    }
  }

  private static String printable(String value) {
    return "'" + value.replace("\n", "\\n") + "'";
  }

  /** For messages: a risk class as reviewers read it. */
  static String wire(RiskClass risk) {
    return risk.name().toLowerCase(Locale.ROOT);
  }
}
