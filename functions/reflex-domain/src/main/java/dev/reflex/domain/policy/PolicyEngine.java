package dev.reflex.domain.policy;

import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.DecisionCheck;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.ReliabilityScore;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.ActionCounters;
import dev.reflex.domain.risk.ForbiddenCommands;
import dev.reflex.domain.risk.RiskClassifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides whether a plan may run and whether a person must approve it, following the seed's flow:
 *
 * <ol>
 *   <li><b>enabled?</b> the policy's {@code enabled} (off: refused) and auto-remediation (off unless
 *       the policy or the alert label {@code reflex_auto_remediate="true"} turns it on);
 *   <li><b>policy</b>: which policy applies, and whether the playbook may be used at all (a
 *       disabled, rejected or missing playbook is refused, and so is a playbook disabled for the
 *       incident's signature after consecutive failures: {@link PatternEligibility#disabled()});
 *   <li><b>risk class</b>: each step's class as computed (never as declared), against
 *       {@code allowed_action_types}; forbidden commands (built-in and the policy's) are refused;
 *   <li><b>thresholds</b>: {@code min_reliability} (below: refused), {@code min_confidence} and
 *       {@code auto_approve_threshold} (below: approval required);
 *   <li><b>safety checks</b>: {@code max_targets} (above: refused), allowed hours (outside: approval
 *       required), then, for a plan that is not read-only and not refused, the rate limits and the
 *       cooldown, judged against their use read beforehand ({@link Request#usage()}; reached:
 *       refused, saying which limit and when it resets);
 *   <li><b>pattern eligibility</b> (see {@link PatternEligibility}): not eligible, approval required;
 *   <li><b>approval requirement</b>: {@code requires_approval} for the highest risk class;
 *       {@code critical_write} always; a playbook pending review or drafted by a language model
 *       always.
 * </ol>
 *
 * Every check is recorded, passed or not, and the reasoning of the {@link Decision} is their lines
 * in that order, then the score breakdown and the verdict.
 *
 * <p>The engine is pure: it reads and takes nothing. An allowed plan that writes names the slots
 * it takes ({@link PolicyVerdict#slots()}: every configured limit and the cooldown), and the caller
 * reserves them all or nothing ({@link ActionCounters#reserve}); a refused reservation is judged
 * again with what it found, and refuses. Plans that will wait for approval take slots too (the
 * policy's limits are on actions, approved or not); read-only and refused plans take none.
 */
public final class PolicyEngine {

  public static final String AUTO_LABEL = "reflex_auto_remediate";
  static final Duration HOUR = Duration.ofHours(1);
  static final Duration DAY = Duration.ofDays(1);

  private final RiskClassifier classifier;
  private final ForbiddenCommands builtInForbidden;

  public PolicyEngine(RiskClassifier classifier, ForbiddenCommands builtInForbidden) {
    this.classifier = Objects.requireNonNull(classifier, "classifier");
    this.builtInForbidden = Objects.requireNonNull(builtInForbidden, "builtInForbidden");
  }

  /**
   * What the engine judges.
   *
   * @param playbook the plan, or {@code null} when nothing matched or was drafted
   * @param match the incident's match, or {@code null}
   * @param confidence the confidence judged against {@code min_confidence}
   * @param alertAutoRemediate the alert's {@value #AUTO_LABEL} label: "true" turns auto-remediation
   *     on, "false" off, anything else leaves the policy's choice
   * @param targets how many hosts the plan acts on (the blast radius), at least 1
   * @param score the plan's reliability score ({@code null} without a playbook)
   * @param eligibility the pattern's eligibility ({@code null} without a playbook)
   * @param countLimits false to judge without rate limits: nothing will be taken (a preview,
   *     shadow mode)
   * @param usage the use of the plan's {@link #slots} read beforehand; with {@code countLimits}
   *     the limits are judged against it
   */
  public record Request(Policy policy, Playbook playbook, MatchResult match, double confidence, Signature signature,
      String service, String alertAutoRemediate, int targets, ReliabilityScore score, PatternEligibility eligibility,
      Instant now, boolean countLimits, ActionCounters.Usage usage) {
    public Request {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(now, "now");
      targets = Math.max(1, targets);
      usage = Objects.requireNonNullElse(usage, ActionCounters.Usage.none());
    }

    /** A request judged as if no slot of any limit were taken. */
    public Request(Policy policy, Playbook playbook, MatchResult match, double confidence, Signature signature,
        String service, String alertAutoRemediate, int targets, ReliabilityScore score,
        PatternEligibility eligibility, Instant now, boolean countLimits) {
      this(policy, playbook, match, confidence, signature, service, alertAutoRemediate, targets, score, eligibility,
          now, countLimits, ActionCounters.Usage.none());
    }
  }

  /** One kind of rate limit as the policy sets it: its check, its field and the limit (null: none). */
  private record Kind(String check, String field, ActionCounters.Limit limit) {}

  private static List<Kind> kinds(Policy policy, String playbookId, String service, Signature signature) {
    RateLimits limits = policy.limits();
    String serviceKey = Objects.requireNonNullElse(service, Signature.UNKNOWN);
    String signatureKey = signature == null ? Signature.UNKNOWN : signature.toString();
    return List.of(
        kind("rate_limit.global", "max_actions_per_hour.global", "global", "all", limits.perHourGlobal(), HOUR),
        kind("rate_limit.service", "max_actions_per_hour.per_service", "per_service", serviceKey,
            limits.perHourPerService(), HOUR),
        kind("rate_limit.playbook", "max_actions_per_hour.per_playbook", "per_playbook", playbookId,
            limits.perHourPerPlaybook(), HOUR),
        kind("rate_limit.signature", "max_actions_per_signature_per_day", "per_signature", signatureKey,
            limits.perDayPerSignature(), DAY));
  }

  private static Kind kind(String check, String field, String scope, String key, Integer limit, Duration window) {
    return new Kind(check, field, limit == null ? null : new ActionCounters.Limit(scope, key, limit, window));
  }

  /**
   * The slots an action of {@code playbookId} takes under {@code policy}: one of each configured
   * limit, and the cooldown of the service and playbook if the policy sets one. A decision reads
   * their use before judging ({@link Request#usage()}).
   */
  public static ActionCounters.Slots slots(Policy policy, String playbookId, String service, Signature signature) {
    List<ActionCounters.Limit> limits = kinds(policy, playbookId, service, signature).stream()
        .map(Kind::limit).filter(Objects::nonNull).toList();
    Duration cooldown = policy.cooldownAfterAction();
    return new ActionCounters.Slots(limits, cooldown.isZero() ? null
        : new ActionCounters.Cooldown(cooldownKey(service, playbookId), cooldown));
  }

  private static String cooldownKey(String service, String playbookId) {
    return Objects.requireNonNullElse(service, Signature.UNKNOWN) + "|" + playbookId;
  }

  public PolicyVerdict evaluate(Request request) {
    Policy policy = request.policy();
    Playbook playbook = request.playbook();
    List<DecisionCheck> enabled = new ArrayList<>();
    List<DecisionCheck> policyChecks = new ArrayList<>();
    List<DecisionCheck> risk = new ArrayList<>();
    List<DecisionCheck> thresholds = new ArrayList<>();
    List<DecisionCheck> safety = new ArrayList<>();
    List<DecisionCheck> pattern = new ArrayList<>();
    List<DecisionCheck> approval = new ArrayList<>();

    // 1. enabled?
    if (policy.enabled()) {
      enabled.add(DecisionCheck.pass("enabled", "remediation is enabled by policy " + policy.name()));
    } else {
      enabled.add(DecisionCheck.refuse("enabled", "remediation is disabled by policy " + policy.name()));
    }
    String label = request.alertAutoRemediate() == null ? "" : request.alertAutoRemediate().trim().toLowerCase(Locale.ROOT);
    boolean auto;
    if (label.equals("false")) {
      auto = false;
      enabled.add(DecisionCheck.approval("auto_remediation", "auto-remediation is off: the alert says " + AUTO_LABEL + "=false"));
    } else if (label.equals("true")) {
      auto = true;
      enabled.add(DecisionCheck.pass("auto_remediation", "auto-remediation is on: the alert says " + AUTO_LABEL + "=true"));
    } else if (policy.autoRemediation()) {
      auto = true;
      enabled.add(DecisionCheck.pass("auto_remediation", "auto-remediation is on by policy " + policy.name()));
    } else {
      auto = false;
      enabled.add(DecisionCheck.approval("auto_remediation", "auto-remediation is off"));
    }

    // 2. policy
    String scope = policy.isDefault() ? "default" : "categories " + policy.categories() + ", services " + policy.services();
    policyChecks.add(DecisionCheck.info("policy", "policy " + policy.name() + " applies (" + scope + ")"));
    if (playbook == null) {
      policyChecks.add(DecisionCheck.refuse("playbook", "no playbook for this incident"));
      return verdict(policy, null, null, RiskClass.CRITICAL_WRITE, enabled, policyChecks, risk, thresholds, safety,
          pattern, approval);
    }
    String name = playbook.id() + "@" + playbook.version();
    String status = playbook.status().name().toLowerCase(Locale.ROOT);
    if (playbook.status().matchable()) {
      policyChecks.add(DecisionCheck.pass("playbook_status", "playbook " + name + " is " + status));
    } else if (playbook.status() == PlaybookStatus.DISABLED) {
      policyChecks.add(DecisionCheck.refuse("playbook_status", "playbook " + name + " is disabled"
          + (playbook.stats().consecutiveFailures() > 0
              ? " after " + playbook.stats().consecutiveFailures() + " consecutive failures; a person must re-enable it ("
                  + PatternTotals.reenableCommand(playbook.id(), null) + ")"
              : "")));
    } else {
      policyChecks.add(DecisionCheck.refuse("playbook_status", "playbook " + name + " is " + status));
    }
    PatternEligibility standing = request.eligibility();
    if (standing != null && request.signature() != null) {
      String pair = "playbook " + playbook.id() + " for signature " + request.signature();
      if (standing.disabled()) {
        policyChecks.add(DecisionCheck.refuse("pattern_status", pair + " is disabled since " + standing.disabledAt()
            + " after " + Math.max(standing.consecutiveFailures(), PatternTotals.DISABLE_AFTER)
            + " consecutive failures; a person must re-enable it ("
            + PatternTotals.reenableCommand(playbook.id(), request.signature()) + "); other signatures may still use it"));
      } else {
        policyChecks.add(DecisionCheck.pass("pattern_status", pair + " is enabled: " + standing.consecutiveFailures()
            + " consecutive failure(s), disabled at " + PatternTotals.DISABLE_AFTER));
      }
    }

    // 3. risk class
    RiskClass level = RiskClass.READ_ONLY;
    for (PlaybookStep step : playbook.steps()) {
      RiskClass computed = classifier.classify(step);
      level = level.max(computed);
      String declared = computed == step.declaredRisk() ? "" : ", declared " + step.declaredRisk().wireName();
      risk.add(DecisionCheck.info("risk_class", "step \"" + step.name() + "\" is " + computed.wireName()
          + " (computed" + declared + ")"));
      if (!policy.allowedActionTypes().contains(computed)) {
        risk.add(DecisionCheck.refuse("allowed_action_types", "step \"" + step.name() + "\" is " + computed.wireName()
            + ", not in allowed_action_types " + wire(policy.allowedActionTypes())));
      }
    }
    if (risk.stream().allMatch(DecisionCheck::passed)) {
      risk.add(DecisionCheck.pass("allowed_action_types", "every step's class is in allowed_action_types "
          + wire(policy.allowedActionTypes())));
    }
    List<String> violations = policy.forbidden(builtInForbidden).violations(playbook);
    if (violations.isEmpty()) {
      risk.add(DecisionCheck.pass("forbidden_commands", "no forbidden commands"));
    } else {
      violations.forEach(violation -> risk.add(DecisionCheck.refuse("forbidden_commands", violation)));
    }

    // 4. thresholds
    ReliabilityScore score = request.score();
    if (score != null) {
      thresholds.add(DecisionCheck.info("reliability", "reliability " + score.describe()));
      String floor = String.format(Locale.ROOT, "reliability %.2f %s min_reliability %.2f", score.total(),
          score.total() >= policy.minReliability() ? ">=" : "<", policy.minReliability());
      thresholds.add(score.total() >= policy.minReliability() ? DecisionCheck.pass("min_reliability", floor)
          : DecisionCheck.refuse("min_reliability", floor));
    }
    String comparison = String.format(Locale.ROOT, "confidence %.2f %s %.2f", request.confidence(),
        request.confidence() >= policy.minConfidence() ? ">=" : "<", policy.minConfidence());
    thresholds.add(request.confidence() >= policy.minConfidence() ? DecisionCheck.pass("min_confidence", comparison)
        : DecisionCheck.approval("min_confidence", comparison));
    if (score != null) {
      String auto90 = String.format(Locale.ROOT, "reliability %.2f %s auto_approve_threshold %.2f", score.total(),
          score.total() >= policy.autoApproveThreshold() ? ">=" : "<", policy.autoApproveThreshold());
      thresholds.add(score.total() >= policy.autoApproveThreshold()
          ? DecisionCheck.pass("auto_approve_threshold", auto90)
          : DecisionCheck.approval("auto_approve_threshold", auto90));
    }

    // 5. safety checks
    if (policy.maxTargets() == null) {
      safety.add(DecisionCheck.pass("max_targets", request.targets() + " target(s), no max_targets"));
    } else if (request.targets() <= policy.maxTargets()) {
      safety.add(DecisionCheck.pass("max_targets", request.targets() + " target(s) <= max_targets " + policy.maxTargets()));
    } else {
      safety.add(DecisionCheck.refuse("max_targets", request.targets() + " target(s) > max_targets "
          + policy.maxTargets() + " (blast radius)"));
    }
    boolean writes = level != RiskClass.READ_ONLY;
    if (policy.allowedHours() == null) {
      safety.add(DecisionCheck.pass("allowed_hours", "no allowed_hours: automatic writes may start any time"));
    } else if (policy.allowedHours().contains(request.now())) {
      safety.add(DecisionCheck.pass("allowed_hours", request.now() + " is within " + policy.allowedHours()));
    } else if (!writes) {
      safety.add(DecisionCheck.pass("allowed_hours", request.now() + " is outside " + policy.allowedHours()
          + ", but every step is read_only"));
    } else {
      safety.add(DecisionCheck.approval("allowed_hours", request.now() + " is outside " + policy.allowedHours()
          + "; automatic writes may start again at " + policy.allowedHours().nextOpening(request.now())));
    }
    boolean refusedSoFar = anyRefused(enabled, policyChecks, risk, thresholds, safety);
    ActionCounters.Slots slots = null;
    if (!writes) {
      safety.add(DecisionCheck.pass("rate_limits", "every step is read_only: no rate limit or cooldown applies"));
    } else if (refusedSoFar) {
      safety.add(DecisionCheck.info("rate_limits", "not counted: the plan is refused"));
    } else if (!request.countLimits()) {
      safety.add(DecisionCheck.info("rate_limits", "not counted: preview"));
    } else if (limits(policy, playbook, request, safety)) {
      ActionCounters.Slots planned = slots(policy, playbook.id(), request.service(), request.signature());
      slots = planned.isEmpty() ? null : planned;
    }

    // 6. pattern eligibility
    PatternEligibility eligibility = request.eligibility();
    if (eligibility == null) {
      pattern.add(DecisionCheck.approval("pattern_eligibility", "no pattern history"));
    } else if (eligibility.eligible()) {
      pattern.add(DecisionCheck.pass("pattern_eligibility", "pattern eligible for automatic runs: " + eligibility.describe()));
    } else if (!writes) {
      pattern.add(DecisionCheck.info("pattern_eligibility", "pattern not yet eligible ("
          + String.join("; ", eligibility.shortfalls()) + "), but every step is read_only"));
    } else {
      pattern.add(DecisionCheck.approval("pattern_eligibility", "pattern not eligible for automatic runs: "
          + String.join("; ", eligibility.shortfalls())));
    }

    // 7. approval requirement
    ApprovalMode mode = policy.approvalMode(level);
    switch (mode) {
      case ALWAYS -> approval.add(DecisionCheck.approval("requires_approval", "requires_approval." + level.wireName()
          + " is always" + (level == RiskClass.CRITICAL_WRITE ? ": a critical_write step always requires approval, whatever the score" : "")));
      case NEVER -> approval.add(DecisionCheck.pass("requires_approval", "requires_approval." + level.wireName() + " is never"));
      case UNLESS_AUTO -> approval.add(DecisionCheck.info("requires_approval", "requires_approval." + level.wireName()
          + " is unless_auto: approval unless every check above passes"));
    }
    if (playbook.pendingReview()) {
      approval.add(DecisionCheck.approval("review", "playbook is pending review"));
    } else {
      approval.add(DecisionCheck.pass("review", "playbook is reviewed"));
    }
    if (playbook.source() == PlaybookSource.LLM) {
      approval.add(DecisionCheck.approval("source", "playbook was drafted by a language model: approval always required"));
    } else {
      approval.add(DecisionCheck.pass("source", "playbook source is " + playbook.source().wireName()));
    }
    if (!policy.approvers().isEmpty()) {
      RiskClass highest = level;
      long able = policy.approvers().stream().filter(a -> a.mayApprove(highest)).count();
      int needed = level == RiskClass.CRITICAL_WRITE ? policy.approvalsRequired() : 1;
      approval.add(DecisionCheck.info("approvers", needed + " of " + able + " approver(s) who may approve "
          + level.wireName() + " must approve"));
    }

    // a read-only plan under "never" needs no approval for being automatic: the checks that gate
    // automatic runs become notes. Writes keep them whatever the mode: auto-remediation stays off
    // unless a policy or the alert turns it on.
    if (mode == ApprovalMode.NEVER && level == RiskClass.READ_ONLY) {
      relax(enabled);
      relax(thresholds);
      relax(safety);
      relax(pattern);
    }
    return verdict(policy, score, eligibility, level, enabled, policyChecks, risk, thresholds, safety, pattern, approval)
        .withSlots(slots);
  }

  /** Judges the rate limits and the cooldown against their use; true when none refuses. */
  private boolean limits(Policy policy, Playbook playbook, Request request, List<DecisionCheck> safety) {
    ActionCounters.Usage usage = request.usage();
    Instant now = request.now();
    List<Kind> kinds = kinds(policy, playbook.id(), request.service(), request.signature());
    Kind full = kinds.stream().filter(kind -> kind.limit() != null && usage.full(kind.limit())).findFirst()
        .orElse(null);
    boolean beforeFull = full != null;
    for (Kind kind : kinds) {
      ActionCounters.Limit limit = kind.limit();
      if (kind == full) {
        beforeFull = false;
      }
      if (limit == null) {
        safety.add(DecisionCheck.pass(kind.check(), "no " + kind.field()));
        continue;
      }
      String per = limit.window().equals(HOUR) ? "hour" : "day";
      if (kind == full) {
        safety.add(DecisionCheck.refuse(kind.check(), kind.field() + " " + limit.key() + ": limit " + limit.limit()
            + " per " + per + " reached; resets at " + limit.resetsAt(now)));
      } else if (full != null) {
        safety.add(DecisionCheck.info(kind.check(), kind.field() + " " + limit.limit() + " for " + limit.key()
            + " not counted: " + (beforeFull ? "a later" : "an earlier") + " limit refused"));
      } else {
        safety.add(DecisionCheck.pass(kind.check(), kind.field() + " " + limit.key() + ": action "
            + (usage.taken(limit) + 1) + " of " + limit.limit() + " this " + per + " (resets at "
            + limit.resetsAt(now) + ")"));
      }
    }
    Duration cooldown = policy.cooldownAfterAction();
    String cooldownKey = cooldownKey(request.service(), playbook.id());
    if (cooldown.isZero()) {
      safety.add(DecisionCheck.pass("cooldown", "no cooldown_after_action"));
    } else if (full != null) {
      safety.add(DecisionCheck.info("cooldown", "not started: a rate limit refused the plan"));
    } else if (usage.coolingDown(now)) {
      safety.add(DecisionCheck.refuse("cooldown", "cooldown_after_action " + cooldown + " for " + cooldownKey
          + " is running; it ends at " + usage.cooldownUntil()));
      return false;
    } else {
      safety.add(DecisionCheck.pass("cooldown", "cooldown_after_action " + cooldown + " for " + cooldownKey
          + " starts, until " + now.plus(cooldown)));
    }
    return full == null;
  }

  /** Turns approval requirements into notes: used when the highest risk class never needs approval. */
  private static void relax(List<DecisionCheck> checks) {
    checks.replaceAll(check -> check.outcome() == DecisionCheck.Outcome.APPROVAL_REQUIRED
        ? DecisionCheck.info(check.name(), check.detail() + " (no approval needed: requires_approval is never)")
        : check);
  }

  @SafeVarargs
  private static boolean anyRefused(List<DecisionCheck>... sections) {
    for (List<DecisionCheck> section : sections) {
      for (DecisionCheck check : section) {
        if (check.outcome() == DecisionCheck.Outcome.REFUSED) {
          return true;
        }
      }
    }
    return false;
  }

  @SafeVarargs
  private static PolicyVerdict verdict(Policy policy, ReliabilityScore score, PatternEligibility eligibility,
      RiskClass level, List<DecisionCheck>... sections) {
    List<DecisionCheck> all = new ArrayList<>();
    for (List<DecisionCheck> section : sections) {
      all.addAll(section);
    }
    boolean refused = all.stream().anyMatch(c -> c.outcome() == DecisionCheck.Outcome.REFUSED);
    boolean approval = all.stream().anyMatch(c -> c.outcome() == DecisionCheck.Outcome.APPROVAL_REQUIRED);
    List<String> reasons = new ArrayList<>(all.stream().map(DecisionCheck::line).toList());
    if (refused) {
      List<String> why = all.stream().filter(c -> c.outcome() == DecisionCheck.Outcome.REFUSED)
          .map(DecisionCheck::name).distinct().toList();
      reasons.add("decision: refused (" + String.join(", ", why) + ")");
    } else if (approval) {
      reasons.add("decision: allowed, approval required");
    } else {
      reasons.add("decision: allowed, runs without approval");
    }
    Decision decision = new Decision(!refused, refused || approval, level, reasons);
    return new PolicyVerdict(decision, all, score, eligibility, policy);
  }

  private static String wire(java.util.Set<RiskClass> classes) {
    return classes.stream().sorted().map(RiskClass::wireName).toList().toString();
  }
}
