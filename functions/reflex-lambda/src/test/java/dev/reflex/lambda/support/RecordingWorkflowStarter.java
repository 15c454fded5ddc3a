package dev.reflex.lambda.support;

import dev.reflex.domain.port.WorkflowStarter;
import java.util.ArrayList;
import java.util.List;

/** A {@link WorkflowStarter} that records which incidents it was asked to start. */
public final class RecordingWorkflowStarter implements WorkflowStarter {

  private final List<String> started = new ArrayList<>();

  @Override
  public synchronized String start(String incidentId) {
    started.add(incidentId);
    return "arn:aws:states:us-east-1:000000000000:execution:reflex-remediation:" + incidentId;
  }

  public synchronized List<String> started() {
    return List.copyOf(started);
  }
}
