package dev.reflex.lambda.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * One artifact holds every function and each Lambda picks its own with {@code quarkus.funqy.export};
 * a test profile does the same. Each profile is one Quarkus start, so there are few of them.
 */
public final class FunctionProfiles {

  private FunctionProfiles() {}

  /** The API Gateway / Alertmanager front door. */
  public static final class Ingest implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.funqy.export", "ingest");
    }
  }

  /** The state machine's first task, "Detect anomaly". */
  public static final class Detect implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.funqy.export", "detect");
    }
  }

  /** The {@code .waitForTaskToken} task "Request approval". */
  public static final class RequestApproval implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.funqy.export", "requestApproval",
          "reflex.approval.approvers", "sre-oncall@example.com,platform-leads@example.com");
    }
  }

  /** The approvers' links behind API Gateway. */
  public static final class Approval implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.funqy.export", "approval",
          "reflex.approval.approvers", "sre-oncall@example.com,platform-leads@example.com");
    }
  }

  /** "Check alert resolution", the verified-remediation loop's task. */
  public static final class CheckResolution implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.funqy.export", "checkResolution");
    }
  }

  /** "Stop running commands", when the commands outlived every poll. */
  public static final class StopExecution implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.funqy.export", "stopExecution");
    }
  }

  /** "Decide remediation" with the policy engine's tables configured, as the SAM template does. */
  public static final class Decide implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.funqy.export", "decide", "reflex.counters.table", "it-counters",
          "reflex.feedback.table", "it-feedback", "reflex.outcomes.table", "it-outcomes");
    }
  }

  /** The operator API behind IAM-authorized routes, with the policy engine's tables (feedback) configured. */
  public static final class Operator implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.funqy.export", "operator", "reflex.counters.table", "it-counters",
          "reflex.feedback.table", "it-feedback", "reflex.outcomes.table", "it-outcomes");
    }
  }
}
