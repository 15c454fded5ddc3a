package dev.reflex.adapters.aws;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link SsmExecutor} runs playbooks.
 *
 * @param documentAnsible the Ansible document, {@code AWS-ApplyAnsiblePlaybooks} by default
 * @param documentShell the shell document ({@code AWS-RunShellScript}) for playbooks of plain
 *     commands (see {@code shellCommands})
 * @param source where the instance downloads the playbook at its approved commit
 * @param check Ansible check mode ({@code --check}): nothing changes, command/shell steps are not simulated
 * @param maxConcurrency SendCommand rate control, e.g. {@code 1} or {@code 10%} (from the policy)
 * @param maxErrors SendCommand error threshold, e.g. {@code 0}
 * @param pollInterval between two GetCommandInvocation rounds when {@code execute} waits
 * @param timeout the whole command; also the document's execution timeout
 * @param targets resolves the instances from the incident's labels
 * @param verbose Ansible verbosity, {@code -v} by default
 * @param shellCommands run a drafted (non-catalog) playbook whose every action is a plain
 *     {@code command} argv through the shell document, one step per command, so that pre- and
 *     post-checks and rollbacks run step by step; every value is a single-quoted word. Catalog
 *     playbooks always run as their reviewed Ansible file (their tasks may carry conditions and
 *     registered variables that the model does not hold)
 * @param checkTargetHealth before forward steps, check with DescribeInstanceInformation that every
 *     targeted managed instance is online (the declared target-health pre-check)
 * @param documentPass Reflex's own Command document ({@code infra/ssm/reflex-apply-ansible-pass.yml},
 *     created by the SAM template), or {@code null}: with it every pass of an Ansible play is one
 *     command selecting its tasks by tag (steps, verification and rollbacks alike) and the variables
 *     travel as base64 JSON; without it the play runs whole through {@code documentAnsible}
 */
public record SsmExecutorConfig(
    String documentAnsible,
    String documentShell,
    SourceLocation source,
    boolean check,
    String maxConcurrency,
    String maxErrors,
    Duration pollInterval,
    Duration timeout,
    TargetResolver targets,
    String verbose,
    boolean shellCommands,
    boolean checkTargetHealth,
    String documentPass) {

  public static final String AWS_APPLY_ANSIBLE_PLAYBOOKS = "AWS-ApplyAnsiblePlaybooks";
  public static final String AWS_RUN_SHELL_SCRIPT = "AWS-RunShellScript";
  private static final Pattern RATE = Pattern.compile("[1-9][0-9]{0,6}%?|0|0%");
  private static final Pattern DOCUMENT = Pattern.compile("[A-Za-z0-9_.:/-]{3,128}");
  private static final Pattern VERBOSE = Pattern.compile("-v{1,4}");

  public SsmExecutorConfig {
    documentAnsible = Objects.requireNonNullElse(documentAnsible, AWS_APPLY_ANSIBLE_PLAYBOOKS);
    documentShell = Objects.requireNonNullElse(documentShell, AWS_RUN_SHELL_SCRIPT);
    for (String document : new String[] {documentAnsible, documentShell, documentPass}) {
      if (document != null && !DOCUMENT.matcher(document).matches()) {
        throw new IllegalArgumentException("invalid SSM document name: " + document);
      }
    }
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(targets, "targets");
    maxConcurrency = Objects.requireNonNullElse(maxConcurrency, "1");
    maxErrors = Objects.requireNonNullElse(maxErrors, "0");
    if (!RATE.matcher(maxConcurrency).matches() || maxConcurrency.startsWith("0")) {
      throw new IllegalArgumentException("maxConcurrency must be a positive number or percentage: " + maxConcurrency);
    }
    if (!RATE.matcher(maxErrors).matches()) {
      throw new IllegalArgumentException("maxErrors must be a number or percentage: " + maxErrors);
    }
    pollInterval = Objects.requireNonNullElse(pollInterval, Duration.ofSeconds(5));
    timeout = Objects.requireNonNullElse(timeout, Duration.ofMinutes(15));
    if (pollInterval.isNegative() || pollInterval.isZero() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("pollInterval and timeout must be positive");
    }
    if (timeout.toSeconds() > 172800) {
      throw new IllegalArgumentException("timeout is at most 48 hours (the document's limit)");
    }
    verbose = Objects.requireNonNullElse(verbose, "-v");
    if (!VERBOSE.matcher(verbose).matches()) {
      throw new IllegalArgumentException("verbose must be -v to -vvvv");
    }
  }

  /** Plain commands through the shell document, no target-health check. */
  public SsmExecutorConfig(String documentAnsible, String documentShell, SourceLocation source, boolean check,
      String maxConcurrency, String maxErrors, Duration pollInterval, Duration timeout, TargetResolver targets,
      String verbose) {
    this(documentAnsible, documentShell, source, check, maxConcurrency, maxErrors, pollInterval, timeout, targets,
        verbose, true, false, null);
  }

  /** Ansible plays through Reflex's pass document, one command per pass; {@code null} turns it off. */
  public SsmExecutorConfig withPassDocument(String document) {
    return new SsmExecutorConfig(documentAnsible, documentShell, source, check, maxConcurrency, maxErrors,
        pollInterval, timeout, targets, verbose, shellCommands, checkTargetHealth, document);
  }

  /** Check mode, one instance at a time, no error tolerated, 5 s polls, 15 min timeout. */
  public static SsmExecutorConfig checkMode(SourceLocation source, TargetResolver targets) {
    return new SsmExecutorConfig(null, null, source, true, null, null, null, null, targets, null);
  }

  public SsmExecutorConfig withCheck(boolean newCheck) {
    return new SsmExecutorConfig(documentAnsible, documentShell, source, newCheck, maxConcurrency, maxErrors,
        pollInterval, timeout, targets, verbose, shellCommands, checkTargetHealth, documentPass);
  }

  /** maxConcurrency and maxErrors of every SendCommand, e.g. from the policy in force. */
  public SsmExecutorConfig withRateControl(String newMaxConcurrency, String newMaxErrors) {
    return new SsmExecutorConfig(documentAnsible, documentShell, source, check, newMaxConcurrency, newMaxErrors,
        pollInterval, timeout, targets, verbose, shellCommands, checkTargetHealth, documentPass);
  }

  public SsmExecutorConfig withShellCommands(boolean value) {
    return new SsmExecutorConfig(documentAnsible, documentShell, source, check, maxConcurrency, maxErrors,
        pollInterval, timeout, targets, verbose, value, checkTargetHealth, documentPass);
  }

  public SsmExecutorConfig withTargetHealthCheck(boolean value) {
    return new SsmExecutorConfig(documentAnsible, documentShell, source, check, maxConcurrency, maxErrors,
        pollInterval, timeout, targets, verbose, shellCommands, value, documentPass);
  }
}
