package dev.reflex.domain.policy;

import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.risk.ForbiddenCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One remediation policy ({@code policies/*.yml}): what Reflex may run, when, how often, and who
 * approves the rest. A policy applies to the incidents of its {@code categories} (anomaly types)
 * and/or {@code services}; with neither it is the default. A file's policy is complete: keys it
 * leaves out are taken from the default policy when it is loaded.
 *
 * <p>Invariants: {@code critical_write} always requires approval (no policy can relax it);
 * {@code approvalsRequired} is between 1 and the number of approvers able to approve
 * {@code critical_write}.
 *
 * @param name where the policy came from (its file), quoted in every decision
 * @param enabled false stops all remediation in the policy's scope: plans are refused
 * @param autoRemediation true lets a plan run without approval when every check passes; an alert
 *     can also ask for it with the label {@code reflex_auto_remediate="true"}
 * @param minConfidence the match (or learned) confidence a plan needs to run unapproved, in [0, 1]
 * @param minReliability a plan whose reliability score is below this (0 to 100) is refused
 * @param autoApproveThreshold the reliability score a plan needs to run unapproved (0 to 100)
 * @param allowedActionTypes risk classes a plan may contain at all; others are refused
 * @param forbiddenCommands commands refused in addition to the built-in list
 * @param allowedHours when unapproved writes may start; {@code null} means any time
 * @param cooldownAfterAction how long after an action on a service the same playbook may not start
 *     again there ({@link Duration#ZERO}: no cooldown)
 * @param maxTargets most hosts one plan may act on (blast radius); {@code null}: no limit
 * @param approvalTimeout how long an approval request stays open
 * @param maxConcurrency how many targets run a remediation command at once, a count or a
 *     percentage ({@code 1}, {@code 10%}); {@code null}: the executor's configured value
 * @param maxErrors failed targets after which the command stops on the rest, a count or a
 *     percentage ({@code 0}, {@code 5%}); {@code null}: the executor's configured value
 */
public record Policy(
    String name,
    List<String> categories,
    List<String> services,
    boolean enabled,
    boolean autoRemediation,
    double minConfidence,
    double minReliability,
    double autoApproveThreshold,
    Map<RiskClass, ApprovalMode> requiresApproval,
    Set<RiskClass> allowedActionTypes,
    List<ForbiddenCommands.Rule> forbiddenCommands,
    AllowedHours allowedHours,
    RateLimits limits,
    Duration cooldownAfterAction,
    Integer maxTargets,
    List<Approver> approvers,
    int approvalsRequired,
    Duration approvalTimeout,
    String maxConcurrency,
    String maxErrors) {

  /** A positive count or a percentage from 1% to 100%, as Systems Manager's rate control takes it. */
  public static final java.util.regex.Pattern MAX_CONCURRENCY =
      java.util.regex.Pattern.compile("[1-9][0-9]{0,5}|[1-9][0-9]?%|100%");
  /** A count (0 stops at the first failure) or a percentage from 0% to 100%. */
  public static final java.util.regex.Pattern MAX_ERRORS =
      java.util.regex.Pattern.compile("0|[1-9][0-9]{0,5}|[0-9]%|[1-9][0-9]%|100%");

  public static final double DEFAULT_MIN_CONFIDENCE = 0.9;
  public static final double DEFAULT_AUTO_APPROVE_THRESHOLD = 90;
  public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(24);

  public Policy {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("policy name is required");
    }
    categories = List.copyOf(Objects.requireNonNullElse(categories, List.of()));
    services = List.copyOf(Objects.requireNonNullElse(services, List.of()));
    if (Double.isNaN(minConfidence) || minConfidence < 0 || minConfidence > 1) {
      throw new IllegalArgumentException("min_confidence must be within [0, 1]: " + minConfidence);
    }
    if (Double.isNaN(minReliability) || minReliability < 0 || minReliability > 100) {
      throw new IllegalArgumentException("min_reliability must be within [0, 100]: " + minReliability);
    }
    if (Double.isNaN(autoApproveThreshold) || autoApproveThreshold < 0 || autoApproveThreshold > 100) {
      throw new IllegalArgumentException("auto_approve_threshold must be within [0, 100]: " + autoApproveThreshold);
    }
    Map<RiskClass, ApprovalMode> modes = new EnumMap<>(RiskClass.class);
    modes.put(RiskClass.READ_ONLY, ApprovalMode.NEVER);
    modes.put(RiskClass.SAFE_WRITE, ApprovalMode.UNLESS_AUTO);
    if (requiresApproval != null) {
      modes.putAll(requiresApproval);
    }
    if (modes.getOrDefault(RiskClass.CRITICAL_WRITE, ApprovalMode.ALWAYS) != ApprovalMode.ALWAYS) {
      throw new IllegalArgumentException("requires_approval.critical_write must be always: no policy can relax it");
    }
    modes.put(RiskClass.CRITICAL_WRITE, ApprovalMode.ALWAYS);
    requiresApproval = Map.copyOf(modes);
    allowedActionTypes = allowedActionTypes == null || allowedActionTypes.isEmpty()
        ? Set.of(RiskClass.values()) : Set.copyOf(EnumSet.copyOf(allowedActionTypes));
    forbiddenCommands = List.copyOf(Objects.requireNonNullElse(forbiddenCommands, List.of()));
    limits = Objects.requireNonNullElse(limits, RateLimits.none());
    cooldownAfterAction = Objects.requireNonNullElse(cooldownAfterAction, Duration.ZERO);
    if (cooldownAfterAction.isNegative()) {
      throw new IllegalArgumentException("cooldown_after_action cannot be negative: " + cooldownAfterAction);
    }
    if (maxTargets != null && maxTargets < 1) {
      throw new IllegalArgumentException("max_targets must be at least 1: " + maxTargets);
    }
    approvers = List.copyOf(Objects.requireNonNullElse(approvers, List.of()));
    if (approvalsRequired < 1) {
      throw new IllegalArgumentException("approvals_required must be at least 1: " + approvalsRequired);
    }
    long critical = approvers.stream().filter(a -> a.mayApprove(RiskClass.CRITICAL_WRITE)).count();
    if (!approvers.isEmpty() && approvalsRequired > critical) {
      throw new IllegalArgumentException("approvals_required " + approvalsRequired + " exceeds the " + critical
          + " approvers who may approve critical_write");
    }
    approvalTimeout = Objects.requireNonNullElse(approvalTimeout, DEFAULT_APPROVAL_TIMEOUT);
    if (approvalTimeout.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("approval_timeout must be at least 60 seconds: " + approvalTimeout);
    }
    if (maxConcurrency != null && !MAX_CONCURRENCY.matcher(maxConcurrency).matches()) {
      throw new IllegalArgumentException("max_concurrency must be a count of at least 1 or a percentage 1%..100%: "
          + maxConcurrency);
    }
    if (maxErrors != null && !MAX_ERRORS.matcher(maxErrors).matches()) {
      throw new IllegalArgumentException("max_errors must be a count of 0 or more or a percentage 0%..100%: "
          + maxErrors);
    }
  }

  /**
   * The built-in default: enabled, auto-remediation off, 0.90 confidence and 90 reliability to run
   * unapproved, every action type, no extra forbidden commands, any time, no limits, one approval.
   */
  public static Policy defaults() {
    return new Policy("built-in default", List.of(), List.of(), true, false, DEFAULT_MIN_CONFIDENCE, 0,
        DEFAULT_AUTO_APPROVE_THRESHOLD, null, null, null, null, null, null, null, List.of(), 1, null, null, null);
  }

  /** True when the policy names neither categories nor services. */
  public boolean isDefault() {
    return categories.isEmpty() && services.isEmpty();
  }

  /**
   * How specific the policy is for this incident: -1 when it does not apply, 0 default, 1 category,
   * 2 service, 3 both.
   */
  public int specificity(String category, String service) {
    boolean categoryOk = categories.isEmpty() || categories.contains(category);
    boolean serviceOk = services.isEmpty() || services.contains(service);
    if (!categoryOk || !serviceOk) {
      return -1;
    }
    return (categories.isEmpty() ? 0 : 1) + (services.isEmpty() ? 0 : 2);
  }

  public ApprovalMode approvalMode(RiskClass risk) {
    return requiresApproval.get(risk);
  }

  /** The policy's own forbidden commands added to {@code builtIn}. */
  public ForbiddenCommands forbidden(ForbiddenCommands builtIn) {
    if (forbiddenCommands.isEmpty()) {
      return builtIn;
    }
    List<ForbiddenCommands.Rule> all = new ArrayList<>(builtIn.rules());
    all.addAll(forbiddenCommands);
    return ForbiddenCommands.ofRules(all);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Copies a policy with some fields changed (tests, and the loader's inheritance from the default). */
  public static final class Builder {
    private String name;
    private List<String> categories;
    private List<String> services;
    private boolean enabled;
    private boolean autoRemediation;
    private double minConfidence;
    private double minReliability;
    private double autoApproveThreshold;
    private Map<RiskClass, ApprovalMode> requiresApproval;
    private Set<RiskClass> allowedActionTypes;
    private List<ForbiddenCommands.Rule> forbiddenCommands;
    private AllowedHours allowedHours;
    private RateLimits limits;
    private Duration cooldownAfterAction;
    private Integer maxTargets;
    private List<Approver> approvers;
    private int approvalsRequired;
    private Duration approvalTimeout;
    private String maxConcurrency;
    private String maxErrors;

    private Builder(Policy p) {
      name = p.name;
      categories = p.categories;
      services = p.services;
      enabled = p.enabled;
      autoRemediation = p.autoRemediation;
      minConfidence = p.minConfidence;
      minReliability = p.minReliability;
      autoApproveThreshold = p.autoApproveThreshold;
      requiresApproval = p.requiresApproval;
      allowedActionTypes = p.allowedActionTypes;
      forbiddenCommands = p.forbiddenCommands;
      allowedHours = p.allowedHours;
      limits = p.limits;
      cooldownAfterAction = p.cooldownAfterAction;
      maxTargets = p.maxTargets;
      approvers = p.approvers;
      approvalsRequired = p.approvalsRequired;
      approvalTimeout = p.approvalTimeout;
      maxConcurrency = p.maxConcurrency;
      maxErrors = p.maxErrors;
    }

    public Builder name(String v) { name = v; return this; }
    public Builder categories(List<String> v) { categories = v; return this; }
    public Builder services(List<String> v) { services = v; return this; }
    public Builder enabled(boolean v) { enabled = v; return this; }
    public Builder autoRemediation(boolean v) { autoRemediation = v; return this; }
    public Builder minConfidence(double v) { minConfidence = v; return this; }
    public Builder minReliability(double v) { minReliability = v; return this; }
    public Builder autoApproveThreshold(double v) { autoApproveThreshold = v; return this; }
    public Builder requiresApproval(Map<RiskClass, ApprovalMode> v) { requiresApproval = v; return this; }
    public Builder allowedActionTypes(Set<RiskClass> v) { allowedActionTypes = v; return this; }
    public Builder forbiddenCommands(List<ForbiddenCommands.Rule> v) { forbiddenCommands = v; return this; }
    public Builder allowedHours(AllowedHours v) { allowedHours = v; return this; }
    public Builder limits(RateLimits v) { limits = v; return this; }
    public Builder cooldownAfterAction(Duration v) { cooldownAfterAction = v; return this; }
    public Builder maxTargets(Integer v) { maxTargets = v; return this; }
    public Builder approvers(List<Approver> v) { approvers = v; return this; }
    public Builder approvalsRequired(int v) { approvalsRequired = v; return this; }
    public Builder approvalTimeout(Duration v) { approvalTimeout = v; return this; }
    public Builder maxConcurrency(String v) { maxConcurrency = v; return this; }
    public Builder maxErrors(String v) { maxErrors = v; return this; }

    public Policy build() {
      return new Policy(name, categories, services, enabled, autoRemediation, minConfidence, minReliability,
          autoApproveThreshold, requiresApproval, allowedActionTypes, forbiddenCommands, allowedHours, limits,
          cooldownAfterAction, maxTargets, approvers, approvalsRequired, approvalTimeout, maxConcurrency, maxErrors);
    }
  }

}
