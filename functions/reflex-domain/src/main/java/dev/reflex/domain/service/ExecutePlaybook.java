package dev.reflex.domain.service;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.error.InvalidParameterException;
import dev.reflex.domain.error.PlanRefusedException;
import dev.reflex.domain.error.PlaybookNotFoundException;
import dev.reflex.domain.execution.StepPreCheck;
import dev.reflex.domain.execution.TargetHealthPreCheck;
import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionProgress;
import dev.reflex.domain.model.ExecutionProgress.Phase;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.Outcome;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.ExecutionRun;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.port.Executor;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.domain.port.OnCallNotifier;
import dev.reflex.domain.port.PlaybookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Runs an incident's playbook when the decision allows it: allowed, and approved by a person when
 * approval is required. Parameters are bound from the alert and validated first; an invalid one
 * stops everything before anything is sent (outcome NOT_RUN, the incident says which parameter).
 *
 * <p>The execution is a sequence of passes the {@link Executor} runs: the forward steps (one pass
 * per step, or the whole play as one pass for an Ansible play), then the playbook's verification
 * (the post-check). A step that declares its own verification is checked right after it: as a
 * verification pass of its own when steps run one pass each, or in play order inside the
 * whole-play pass. Before each pass of forward steps (never before a verification) the
 * {@link StepPreCheck}s run (time window, rate limit, target health). When a step fails, a
 * pre-check refuses, a step's or the playbook's verification fails or a pass outlives its timeout,
 * the remediation stops: the declared rollbacks of the steps that ran (a step whose verification
 * failed included) are run, the last step's first, and the incident becomes PARTIALLY_REMEDIATED
 * (a write step had run: each step's result says whether it was rolled back or left in place) or
 * FAILED (no write step had run); on-call is notified.
 *
 * <p>A pass may finish later (Systems Manager): {@link #execute} starts the execution and goes as
 * far as passes finish at once; {@link #progress} looks at the running pass and goes on. The
 * workflow calls them from a Wait/Choice loop. The progress is kept on the incident, so a retried
 * call continues where the last one stopped; an executor's pass may be started twice if a call
 * dies between starting it and recording it (at least once, like the workflow runtime).
 *
 * <p>Every recorded execution names the playbook id, version and commit SHA it ran.
 */
public final class ExecutePlaybook {

  public static final String STAGE = "execute";
  /** How long one pass may run before it is cancelled and counted as failed. */
  public static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofMinutes(15);

  private static final Set<Status> RAN = Set.of(Status.SUCCEEDED, Status.SIMULATED, Status.NOT_SIMULATED);

  private final IncidentStore incidents;
  private final PlaybookStore playbooks;
  private final Executor executor;
  private final ParameterBinder binder;
  private final List<StepPreCheck> preChecks;
  private final OnCallNotifier notifier;
  private final Duration runTimeout;
  private final Clock clock;

  /** Target health as the only pre-check, nobody notified, passes time out after 15 minutes. */
  public ExecutePlaybook(IncidentStore incidents, PlaybookStore playbooks, Executor executor, ParameterBinder binder,
      Clock clock) {
    this(incidents, playbooks, executor, binder, List.of(new TargetHealthPreCheck(executor)), OnCallNotifier.NONE,
        DEFAULT_RUN_TIMEOUT, clock);
  }

  /**
   * @param preChecks run in order before each pass of forward steps; the first refusal stops
   * @param notifier told when a remediation stops or is refused
   * @param runTimeout how long one pass may run before it is cancelled
   */
  public ExecutePlaybook(IncidentStore incidents, PlaybookStore playbooks, Executor executor, ParameterBinder binder,
      List<StepPreCheck> preChecks, OnCallNotifier notifier, Duration runTimeout, Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.playbooks = Objects.requireNonNull(playbooks, "playbooks");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.binder = Objects.requireNonNull(binder, "binder");
    this.preChecks = List.copyOf(Objects.requireNonNull(preChecks, "preChecks"));
    this.notifier = Objects.requireNonNull(notifier, "notifier");
    this.runTimeout = Objects.requireNonNull(runTimeout, "runTimeout");
    if (runTimeout.isNegative() || runTimeout.isZero()) {
      throw new IllegalArgumentException("runTimeout must be positive: " + runTimeout);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Starts the execution and runs as far as passes finish at once ("Send remediation commands").
   * Idempotent: a started execution is continued, a finished one returned as is.
   *
   * @return the execution, finished or RUNNING
   * @throws PlanRefusedException when there is no decision, it refused the plan, approval is required
   *     but the incident is not APPROVED, or the playbook is no longer matchable
   */
  public ExecutionReport execute(String incidentId) {
    Incident incident = Incidents.load(incidents, incidentId);
    if (incident.execution() != null) {
      return incident.execution().finished() ? incident.execution() : advance(incident);
    }
    Decision decision = incident.decision();
    if (decision == null) {
      throw new PlanRefusedException("incident " + incidentId + " has no decision: nothing runs");
    }
    if (!decision.allowed()) {
      throw new PlanRefusedException("the decision for incident " + incidentId + " refused the plan");
    }
    if (decision.requiresApproval() && incident.status() != IncidentStatus.APPROVED) {
      throw new PlanRefusedException("incident " + incidentId + " requires approval but is "
          + incident.status().name().toLowerCase(Locale.ROOT));
    }
    Playbook playbook = playbooks.find(incident.playbookId())
        .orElseThrow(() -> new PlaybookNotFoundException("no playbook " + incident.playbookId()));
    if (!playbook.status().matchable()) {
      throw new PlanRefusedException("playbook " + playbook.id() + " is "
          + playbook.status().name().toLowerCase(Locale.ROOT) + ": nothing runs");
    }
    if (!playbook.version().equals(incident.playbookVersion())) {
      throw new PlanRefusedException("playbook " + playbook.id() + " is now version " + playbook.version()
          + ", not the decided " + incident.playbookVersion() + ": nothing runs");
    }

    Map<String, String> parameters;
    try {
      parameters = binder.bind(playbook, incident.alert());
    } catch (InvalidParameterException e) {
      return refuseParameters(incident, playbook, e);
    }

    Instant started = clock.instant();
    ExecutionReport begun = new ExecutionReport(executor.name(), executor.mode(), playbook.id(), playbook.version(),
        playbook.commitSha(), false, List.of(), List.of(), started, null, "", Outcome.RUNNING,
        ExecutionProgress.begin());
    String how = executor.runsStepsOneAtATime(playbook) ? "one step at a time" : "all steps as one play";
    Incident stored = Incidents.modify(incidents, incidentId, incident, current -> current.execution() != null
        ? current
        : current.toBuilder().status(IncidentStatus.EXECUTING).execution(begun)
            .note(started, STAGE, "running " + playbook.id() + "@" + playbook.version() + " with "
                + executor.name() + ", " + how)
            .build());
    if (stored.execution().finished()) {
      return stored.execution();
    }
    return drive(stored, playbook, parameters);
  }

  /**
   * Looks at the running pass and goes on as far as it can ("Check command progress").
   *
   * @return the execution, finished or still RUNNING; a finished one is returned as is
   * @throws InvalidInputException when the incident has no execution
   */
  public ExecutionReport progress(String incidentId) {
    Incident incident = Incidents.load(incidents, incidentId);
    if (incident.execution() == null) {
      throw new InvalidInputException("incidentId", "incident " + incidentId + " has no execution to look at");
    }
    return incident.execution().finished() ? incident.execution() : advance(incident);
  }

  /**
   * The workflow stops waiting for a running execution ("Commands timed out", or an error on the
   * way): the running pass is cancelled (best effort) and recorded as failed, and the execution
   * ends FAILED or PARTIALLY_REMEDIATED with on-call notified. Rollbacks are not started, since
   * nothing would wait for them: the report names each declared rollback a person must run.
   *
   * @return the execution as it ended; empty when the incident has none. A finished execution is
   *     returned as is, so a retried call changes nothing.
   */
  public Optional<ExecutionReport> abandon(String incidentId, String reason) {
    String why = Incidents.clean(Objects.requireNonNullElse(reason, "").isBlank() ? "the workflow stopped waiting"
        : reason, 300);
    Incident incident = Incidents.load(incidents, incidentId);
    ExecutionReport report = incident.execution();
    if (report == null || report.finished()) {
      return Optional.ofNullable(report);
    }
    Playbook playbook = playbooks.find(report.playbookId())
        .filter(found -> found.version().equals(report.playbookVersion())).orElse(null);
    Cursor cursor = new Cursor(report, playbook);
    if (cursor.handle != null && playbook != null) {
      ExecutionPass pass = pendingPass(cursor, incident, playbook, binder.bind(playbook, incident.alert()));
      executor.cancel(pass, cursor.handle);
      boolean forward = cursor.phase == Phase.STEPS;
      cursor.apply(pass, ExecutionRun.finished(pass.actions().stream().map(a -> new StepResult(a.name(), a.risk(),
          Status.FAILED, "cancelled: " + why + (forward ? partWay(playbook, a) : ""))).toList(), ""));
    }
    if (cursor.phase != Phase.ROLLBACK) {
      cursor.stop(why);
    }
    cursor.leaveRollbacksToAPerson();
    return Optional.of(persist(incident, cursor.finish(clock.instant())).execution());
  }

  /** What a person must judge about a write step cancelled while it ran. */
  private static String partWay(Playbook playbook, ExecutionPass.Action action) {
    if (action.risk() == RiskClass.READ_ONLY) {
      return "";
    }
    return playbook.steps().stream().filter(step -> step.action().equals(action.action())).findFirst()
        .map(PlaybookStep::rollback)
        .map(rollback -> "; it may have changed things part way: whether its rollback \"" + rollback.name()
            + "\" is needed is for a person to judge")
        .orElse("; it may have changed things part way and declares no rollback");
  }

  private ExecutionReport advance(Incident incident) {
    ExecutionReport report = incident.execution();
    Optional<Playbook> found = playbooks.find(report.playbookId())
        .filter(playbook -> playbook.version().equals(report.playbookVersion()));
    if (found.isEmpty()) {
      // the content that ran is gone: nothing more can run, its rollbacks included
      Cursor cursor = new Cursor(report, null);
      cursor.stop("playbook " + report.playbookId() + " " + report.playbookVersion()
          + " changed or was removed during the execution: nothing more runs, a person must check what ran");
      cursor.rollbackQueue.clear();
      return persist(incident, cursor.finish(clock.instant())).execution();
    }
    Playbook playbook = found.get();
    return drive(incident, playbook, binder.bind(playbook, incident.alert()));
  }

  // ---------------------------------------------------------------- the pass loop

  /**
   * Runs passes until one is left running or the execution ends. The state is written when a pass
   * is left running, when the execution ends, and after every pass of an executor that changes
   * things (APPLY), so that a retried call never repeats a finished write; dry-run and check-mode
   * passes are only written with the next of those.
   */
  private ExecutionReport drive(Incident incident, Playbook playbook, Map<String, String> parameters) {
    Incident stored = incident;
    ExecutionReport state = incident.execution();
    while (true) {
      Cursor cursor = new Cursor(state, playbook);
      Instant now = clock.instant();
      if (cursor.handle != null) {
        ExecutionPass pass = pendingPass(cursor, stored, playbook, parameters);
        ExecutionRun run;
        if (now.isAfter(cursor.runStartedAt.plus(runTimeout))) {
          executor.cancel(pass, cursor.handle);
          run = ExecutionRun.finished(pass.actions().stream().map(a -> new StepResult(a.name(), a.risk(),
              Status.FAILED, "timed out after " + runTimeout.toSeconds() + "s; the run was cancelled")).toList(),
              "timed out after " + runTimeout.toSeconds() + "s");
        } else {
          run = executor.poll(pass, cursor.handle);
        }
        if (!run.finished()) {
          cursor.polls++;
          return persist(stored, cursor.running()).execution();
        }
        cursor.apply(pass, run);
      } else if (cursor.startNext(stored, parameters, now)) {
        ExecutionRun run = executor.start(cursor.startedPass);
        if (!run.finished()) {
          cursor.handle = run.handle();
          cursor.runSize = cursor.startedRunSize;
          cursor.runStartedAt = now;
          cursor.polls = 0;
          return persist(stored, cursor.running()).execution();
        }
        cursor.apply(cursor.startedPass, run);
      }
      if (cursor.over) {
        return persist(stored, cursor.finish(clock.instant())).execution();
      }
      state = cursor.running();
      if (state.mode() == ExecutionReport.Mode.APPLY) {
        stored = persist(stored, state);
        state = stored.execution();
      }
    }
  }

  /** The pass of the run recorded as pending, rebuilt from the progress. */
  private ExecutionPass pendingPass(Cursor cursor, Incident incident, Playbook playbook,
      Map<String, String> parameters) {
    return switch (cursor.phase) {
      case STEPS -> pass(incident, playbook, parameters, ExecutionPass.Purpose.REMEDIATE,
          stepActions(playbook, cursor.next, cursor.next + cursor.runSize));
      case STEP_CHECK -> stepCheckPass(incident, playbook, parameters, cursor.next);
      case VERIFY -> pass(incident, playbook, parameters, ExecutionPass.Purpose.VERIFY,
          List.of(new ExecutionPass.Action(playbook.verification(), RiskClass.READ_ONLY)));
      case ROLLBACK -> pass(incident, playbook, parameters, ExecutionPass.Purpose.ROLLBACK,
          rollbackActions(playbook, cursor.rollbackQueue.subList(cursor.next, cursor.next + cursor.runSize)));
    };
  }

  private static ExecutionPass pass(Incident incident, Playbook playbook, Map<String, String> parameters,
      ExecutionPass.Purpose purpose, List<ExecutionPass.Action> actions) {
    return new ExecutionPass(incident.id(), playbook, parameters, incident.alert().labels(), purpose, actions);
  }

  /**
   * The forward actions of steps {@code from} to {@code to}: the steps alone when they run one pass
   * each (their verifications are passes of their own), else each followed by its verification.
   */
  private List<ExecutionPass.Action> stepActions(Playbook playbook, int from, int to) {
    return ExecutionPass.forward(playbook, from, to, !executor.runsStepsOneAtATime(playbook));
  }

  /** The verification pass of step {@code stepIndex}'s own post-check. */
  private static ExecutionPass stepCheckPass(Incident incident, Playbook playbook, Map<String, String> parameters,
      int stepIndex) {
    return pass(incident, playbook, parameters, ExecutionPass.Purpose.VERIFY,
        List.of(new ExecutionPass.Action(playbook.steps().get(stepIndex).verification(), RiskClass.READ_ONLY)));
  }

  private static List<ExecutionPass.Action> rollbackActions(Playbook playbook, List<Integer> stepIndexes) {
    return stepIndexes.stream().map(playbook.steps()::get)
        .map(step -> new ExecutionPass.Action(step.rollback(), step.declaredRisk())).toList();
  }

  /**
   * Writes the next state of the execution, provided the stored one is still the one this call
   * started from: a concurrent call that moved it first wins, and this one is retried.
   */
  private Incident persist(Incident base, ExecutionReport next) {
    ExecutionReport expected = base.execution();
    Incident written = Incidents.modify(incidents, base.id(), base, current -> {
      if (!Objects.equals(current.execution(), expected)) {
        throw new ConcurrentUpdateException("the execution of incident " + base.id()
            + " was moved on by another call");
      }
      if (next.equals(expected)) {
        return current;
      }
      Incident.Builder builder = current.toBuilder().execution(next);
      if (next.finished()) {
        builder.status(switch (next.outcome()) {
          case SUCCEEDED -> current.status();
          case PARTIALLY_REMEDIATED -> IncidentStatus.PARTIALLY_REMEDIATED;
          default -> IncidentStatus.FAILED;
        }).note(next.finishedAt(), STAGE, finishedNote(next));
      }
      return builder.build();
    });
    if (next.finished() && !Objects.equals(expected, next) && next.outcome() != Outcome.SUCCEEDED) {
      notifier.remediationNeedsAttention(base.id(), written.status(), Incidents.clean(
          next.playbookId() + "@" + next.playbookVersion() + ": " + next.summary(), 1000));
    }
    return written;
  }

  private static String finishedNote(ExecutionReport report) {
    String mode = report.mode().name().toLowerCase(Locale.ROOT);
    String head = switch (report.outcome()) {
      case SUCCEEDED -> "execution succeeded (" + mode + ")";
      case PARTIALLY_REMEDIATED -> "execution failed (" + mode + "), PARTIALLY_REMEDIATED";
      default -> "execution failed (" + mode + ")";
    };
    String tail = report.outcome() == Outcome.SUCCEEDED ? "" : "; on-call notified";
    return head + (report.summary().isEmpty() ? "" : ": " + Incidents.clean(report.summary(), 400)) + tail;
  }

  private ExecutionReport refuseParameters(Incident incident, Playbook playbook, InvalidParameterException e) {
    Instant now = clock.instant();
    List<StepResult> steps = playbook.steps().stream()
        .map(step -> new StepResult(step.name(), step.declaredRisk(), Status.SKIPPED,
            "not run: invalid parameter " + e.parameter()))
        .toList();
    ExecutionReport report = new ExecutionReport(executor.name(), executor.mode(), playbook.id(),
        playbook.version(), playbook.commitSha(), false, steps, List.of(), now, now,
        "nothing ran: " + e.getMessage(), Outcome.NOT_RUN, null);
    Incident stored = Incidents.modify(incidents, incident.id(), incident, current -> current.execution() != null
        ? current
        : current.toBuilder().execution(report).status(IncidentStatus.FAILED)
            .note(now, STAGE, "nothing ran: " + e.getMessage() + "; on-call notified")
            .build());
    if (stored.execution() == report) {
      notifier.remediationNeedsAttention(incident.id(), IncidentStatus.FAILED, "nothing ran: " + e.getMessage());
    }
    return stored.execution();
  }

  // ---------------------------------------------------------------- the working copy of a running execution

  /**
   * A running execution's state, read from its report and written back as the next report. The
   * report's step results are, in order: one per forward step (filled as steps run; once the steps
   * are over, one for every step), then the verification's, then one per rollback action run. A
   * step's own verification has no result of its own: its outcome is added to its step's detail
   * (and a post-check that could not be simulated to the report's not-simulated names).
   */
  private final class Cursor {
    final ExecutionReport report;
    final Playbook playbook;
    final List<StepResult> results;
    Phase phase;
    int next;
    int runSize;
    String handle;
    Instant runStartedAt;
    int polls;
    final List<Integer> rollbackQueue;
    String stopReason;
    final List<String> summaries;
    ExecutionPass startedPass;
    /** What {@link #startedPass} covers, as {@code runSize} counts it: steps, rollbacks, or 1. */
    int startedRunSize;
    /** Post-checks of steps this call found not simulated. */
    final List<String> checksNotSimulated = new ArrayList<>();
    boolean over;

    Cursor(ExecutionReport report, Playbook playbook) {
      this.report = report;
      this.playbook = playbook;
      ExecutionProgress p = report.progress();
      results = new ArrayList<>(report.steps());
      phase = p.phase();
      next = p.next();
      runSize = p.runSize();
      handle = p.handle();
      runStartedAt = p.runStartedAt();
      polls = p.polls();
      rollbackQueue = new ArrayList<>(p.rollbackQueue());
      stopReason = p.stopReason();
      summaries = new ArrayList<>(report.summary().isEmpty() ? List.of() : List.of(report.summary()));
    }

    /**
     * Decides what runs next and sets {@link #startedPass}; false when nothing is to be started,
     * with {@link #over} set when the execution has ended.
     */
    boolean startNext(Incident incident, Map<String, String> parameters, Instant now) {
      int steps = playbook.steps().size();
      switch (phase) {
        case STEPS -> {
          if (next >= steps) {
            boolean verified = results.size() > steps;
            if (playbook.verification() != null && !verified) {
              phase = Phase.VERIFY;
              next = 0;
            } else {
              over = true;
            }
            return false;
          }
          int end = executor.runsStepsOneAtATime(playbook) ? next + 1 : steps;
          ExecutionPass pass = pass(incident, playbook, parameters, ExecutionPass.Purpose.REMEDIATE,
              stepActions(playbook, next, end));
          List<PlaybookStep> unit = playbook.steps().subList(next, end);
          for (StepPreCheck check : preChecks) {
            Optional<String> refusal = check.refuse(incident, unit, pass, now);
            if (refusal.isPresent()) {
              String why = Incidents.clean(refusal.get(), 300);
              for (PlaybookStep step : unit) {
                results.add(new StepResult(step.name(), step.declaredRisk(), Status.SKIPPED,
                    "not run: pre-check " + check.name() + " refused: " + why));
              }
              next = end;
              stop("pre-check " + check.name() + " refused step \"" + unit.get(0).name() + "\": " + why);
              return false;
            }
          }
          startedPass = pass;
          startedRunSize = end - next;
          return true;
        }
        case STEP_CHECK -> {
          startedPass = stepCheckPass(incident, playbook, parameters, next);
          startedRunSize = 1;
          return true;
        }
        case VERIFY -> {
          startedPass = pass(incident, playbook, parameters, ExecutionPass.Purpose.VERIFY,
              List.of(new ExecutionPass.Action(playbook.verification(), RiskClass.READ_ONLY)));
          startedRunSize = 1;
          return true;
        }
        case ROLLBACK -> {
          if (next >= rollbackQueue.size()) {
            over = true;
            return false;
          }
          int end = executor.runsStepsOneAtATime(playbook) ? next + 1 : rollbackQueue.size();
          startedPass = pass(incident, playbook, parameters, ExecutionPass.Purpose.ROLLBACK,
              rollbackActions(playbook, rollbackQueue.subList(next, end)));
          startedRunSize = end - next;
          return true;
        }
        default -> throw new IllegalStateException("unknown phase " + phase);
      }
    }

    /** Takes in the results of a finished pass. */
    void apply(ExecutionPass pass, ExecutionRun run) {
      handle = null;
      runSize = 0;
      runStartedAt = null;
      polls = 0;
      if (!run.summary().isBlank()) {
        summaries.add(run.summary().strip());
      }
      List<StepResult> requested = new ArrayList<>();
      for (int i = 0; i < pass.actions().size(); i++) {
        ExecutionPass.Action action = pass.actions().get(i);
        requested.add(i < run.results().size() ? run.results().get(i)
            : new StepResult(action.name(), action.risk(), Status.SKIPPED, "not reached"));
      }
      List<StepResult> extra = run.results().size() > requested.size()
          ? run.results().subList(requested.size(), run.results().size()) : List.of();
      switch (phase) {
        case STEPS -> {
          String failure = null;
          boolean checked = false;
          int step = next;
          for (int i = 0; i < requested.size(); i++, step++) {
            PlaybookStep declared = playbook.steps().get(step);
            StepResult result = requested.get(i);
            results.add(result);
            boolean withCheck = declared.verification() != null && i + 1 < requested.size()
                && pass.actions().get(i + 1).action().equals(declared.verification());
            if (failure == null && result.status() == Status.FAILED) {
              failure = "step \"" + result.name() + "\" failed" + (result.detail().isEmpty() ? ""
                  : ": " + Incidents.clean(result.detail(), 300));
            } else if (failure == null && withCheck) {
              failure = checked(step, requested.get(i + 1));
            }
            checked = withCheck;
            if (withCheck) {
              i++;
            }
          }
          int ran = step - next;
          next = step;
          if (failure != null) {
            stop(failure);
            return;
          }
          if (ran == 1 && !checked && playbook.steps().get(step - 1).verification() != null) {
            // steps run one pass each: the step's own verification is the next pass
            phase = Phase.STEP_CHECK;
            next = step - 1;
            return;
          }
          if (next >= playbook.steps().size() && playbook.verification() != null) {
            // an Ansible document may run the verification with the steps: that is its post-check
            extra.stream().filter(r -> r.name().equals(playbook.verification().name())).findFirst()
                .ifPresent(this::verified);
          }
        }
        case STEP_CHECK -> {
          String failure = checked(next, requested.get(0));
          if (failure != null) {
            next++;
            stop(failure);
          } else {
            phase = Phase.STEPS;
            next++;
          }
        }
        case VERIFY -> verified(requested.get(0));
        case ROLLBACK -> rolledBack(requested);
        default -> throw new IllegalStateException("unknown phase " + phase);
      }
    }

    /**
     * Adds the outcome of step {@code stepIndex}'s own verification to the step's result.
     *
     * @return why the remediation stops when the verification failed, else {@code null}
     */
    private String checked(int stepIndex, StepResult check) {
      StepResult step = results.get(stepIndex);
      String word = check.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      results.set(stepIndex, new StepResult(step.name(), step.risk(), step.status(), step.detail()
          + (step.detail().isEmpty() ? "" : "; ") + "post-check \"" + check.name() + "\" " + word
          + (check.detail().isEmpty() ? "" : ": " + Incidents.clean(check.detail(), 300))));
      if (check.status() == Status.NOT_SIMULATED) {
        checksNotSimulated.add(check.name());
      }
      if (check.status() != Status.FAILED) {
        return null;
      }
      return "verification of step \"" + step.name() + "\" failed" + (check.detail().isEmpty() ? ""
          : ": " + Incidents.clean(check.detail(), 300));
    }

    private void verified(StepResult result) {
      results.add(new StepResult(result.name(), RiskClass.READ_ONLY, result.status(),
          result.detail().startsWith("verification") ? result.detail() : "verification: " + result.detail()));
      if (result.status() == Status.FAILED) {
        stop("verification \"" + result.name() + "\" failed after the steps ran"
            + (result.detail().isEmpty() ? "" : ": " + Incidents.clean(result.detail(), 300)));
      } else {
        over = true;
        phase = Phase.VERIFY;
      }
    }

    private void rolledBack(List<StepResult> rollbacks) {
      for (int i = 0; i < rollbacks.size(); i++) {
        int stepIndex = rollbackQueue.get(next + i);
        StepResult rollback = rollbacks.get(i);
        StepResult step = results.get(stepIndex);
        results.add(new StepResult(rollback.name(), rollback.risk(), rollback.status(),
            "rollback of \"" + step.name() + "\": " + rollback.detail()));
        if (RAN.contains(rollback.status())) {
          results.set(stepIndex, new StepResult(step.name(), step.risk(), Status.ROLLED_BACK,
              step.detail() + "; rolled back by \"" + rollback.name() + "\""
                  + (rollback.status() == Status.SUCCEEDED ? "" : " (" + rollback.status().name().toLowerCase(
                      Locale.ROOT).replace('_', ' ') + ")")));
        } else {
          results.set(stepIndex, new StepResult(step.name(), step.risk(), step.status(),
              step.detail() + "; rollback \"" + rollback.name() + "\" " + (rollback.status() == Status.FAILED
                  ? "failed" : "did not run") + ": left in place"));
          // undo stops at the first rollback that fails: what remains is left for a person
          for (int j = next + i + 1; j < rollbackQueue.size(); j++) {
            int left = rollbackQueue.get(j);
            StepResult leftStep = results.get(left);
            results.set(left, new StepResult(leftStep.name(), leftStep.risk(), leftStep.status(),
                leftStep.detail() + "; not rolled back (an earlier rollback failed): left in place"));
          }
          next = rollbackQueue.size();
          return;
        }
      }
      next += rollbacks.size();
    }

    /**
     * Stops the remediation: every step that has no result yet is recorded as not run, and the
     * declared rollbacks of the steps that ran are queued, the last step's first.
     */
    void stop(String reason) {
      if (stopReason == null) {
        stopReason = reason;
      }
      if (playbook != null) {
        List<PlaybookStep> steps = playbook.steps();
        for (int i = results.size(); i < steps.size(); i++) {
          results.add(new StepResult(steps.get(i).name(), steps.get(i).declaredRisk(), Status.SKIPPED,
              "not run: the remediation stopped"));
        }
        rollbackQueue.clear();
        for (int i = steps.size() - 1; i >= 0; i--) {
          if (RAN.contains(results.get(i).status()) && steps.get(i).rollback() != null) {
            rollbackQueue.add(i);
          }
        }
      }
      phase = Phase.ROLLBACK;
      next = 0;
    }

    /**
     * Nothing will run the queued rollbacks: each step they would undo says which rollback a
     * person must run, and the stop reason lists them (the last step's first).
     */
    void leaveRollbacksToAPerson() {
      if (playbook == null || next >= rollbackQueue.size()) {
        return;
      }
      List<String> left = new ArrayList<>();
      for (int stepIndex : rollbackQueue.subList(next, rollbackQueue.size())) {
        PlaybookStep step = playbook.steps().get(stepIndex);
        StepResult result = results.get(stepIndex);
        results.set(stepIndex, new StepResult(result.name(), result.risk(), result.status(), result.detail()
            + "; rollback \"" + step.rollback().name() + "\" not run (the workflow stopped waiting): left in place"));
        left.add(step.rollback().name());
      }
      stopReason = (stopReason == null ? "" : stopReason + "; ") + "rollbacks for a person to run, in this order: "
          + String.join(", ", left);
      next = rollbackQueue.size();
    }

    ExecutionReport running() {
      ExecutionProgress progress = new ExecutionProgress(phase, next, runSize, handle, runStartedAt, polls,
          rollbackQueue, stopReason);
      return new ExecutionReport(report.executor(), report.mode(), report.playbookId(), report.playbookVersion(),
          report.commitSha(), false, results, notSimulated(), report.startedAt(), null, summary(), Outcome.RUNNING,
          progress);
    }

    ExecutionReport finish(Instant now) {
      int steps = playbook == null ? results.size() : playbook.steps().size();
      for (int i = 0; i < Math.min(steps, results.size()); i++) {
        StepResult step = results.get(i);
        boolean write = step.risk() != null && step.risk() != RiskClass.READ_ONLY;
        if (stopReason != null && write && RAN.contains(step.status()) && !step.detail().contains("left in place")) {
          results.set(i, new StepResult(step.name(), step.risk(), step.status(),
              step.detail() + "; left in place: no rollback declared"));
        }
      }
      boolean writesRan = results.subList(0, Math.min(steps, results.size())).stream()
          .anyMatch(r -> r.risk() != null && r.risk() != RiskClass.READ_ONLY
              && (RAN.contains(r.status()) || r.status() == Status.ROLLED_BACK));
      Outcome outcome = stopReason == null ? Outcome.SUCCEEDED
          : writesRan ? Outcome.PARTIALLY_REMEDIATED : Outcome.FAILED;
      String text = stopReason == null ? summary() : "stopped: " + stopReason + rollbackSummary()
          + (summaries.isEmpty() ? "" : " | " + summary());
      return new ExecutionReport(report.executor(), report.mode(),
          report.playbookId(), report.playbookVersion(), report.commitSha(), outcome == Outcome.SUCCEEDED, results,
          notSimulated(), report.startedAt(), now, Incidents.clean(text, 4000), outcome, null);
    }

    private String rollbackSummary() {
      List<String> rolledBack = new ArrayList<>();
      List<String> left = new ArrayList<>();
      int steps = playbook == null ? results.size() : playbook.steps().size();
      for (int i = 0; i < Math.min(steps, results.size()); i++) {
        StepResult step = results.get(i);
        if (step.status() == Status.ROLLED_BACK) {
          rolledBack.add(step.name());
        } else if (step.risk() != RiskClass.READ_ONLY && RAN.contains(step.status())) {
          left.add(step.name());
        }
      }
      return (rolledBack.isEmpty() ? "" : "; rolled back (last first): " + String.join(", ", reversed(rolledBack)))
          + (left.isEmpty() ? "" : "; left in place: " + String.join(", ", left));
    }

    /**
     * Names of the actions not simulated: results so, and steps' own verifications (which have no
     * result of their own: those recorded by earlier calls are the names without a result).
     */
    private List<String> notSimulated() {
      Set<String> named = new java.util.HashSet<>();
      results.forEach(r -> named.add(r.name()));
      java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
      results.stream().filter(r -> r.status() == Status.NOT_SIMULATED).map(StepResult::name).forEach(names::add);
      report.notSimulated().stream().filter(name -> !named.contains(name)).forEach(names::add);
      names.addAll(checksNotSimulated);
      return List.copyOf(names);
    }

    private String summary() {
      return Incidents.clean(String.join(" | ", summaries), 3000);
    }
  }

  private static List<String> reversed(List<String> names) {
    List<String> out = new ArrayList<>(names);
    java.util.Collections.reverse(out);
    return out;
  }
}
