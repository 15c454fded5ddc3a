package dev.reflex.lambda.support;

import dev.reflex.adapters.files.FilePolicySource;
import dev.reflex.lambda.config.ReflexBeans;
import dev.reflex.lambda.config.ReflexServices;
import dev.reflex.testkit.InMemoryActionCounters;
import dev.reflex.testkit.InMemoryFeedbackStore;
import dev.reflex.testkit.InMemoryOutcomeHistory;
import io.quarkus.arc.Unremovable;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The policy engine's tables as in-memory fakes: decided by the same configuration as on AWS
 * ({@link ReflexBeans#governance(boolean, Optional, Optional, Optional)}), with the reviewed
 * policies of the catalog the functions read.
 */
@Singleton
@Unremovable
public class InMemoryGovernance {

  @Produces
  @Singleton
  @Alternative
  @Priority(1)
  ReflexBeans.GovernanceChoice inMemoryGovernance(
      @ConfigProperty(name = "reflex.governance.enabled", defaultValue = "true") boolean enabled,
      @ConfigProperty(name = "reflex.counters.table") Optional<String> counters,
      @ConfigProperty(name = "reflex.feedback.table") Optional<String> feedback,
      @ConfigProperty(name = "reflex.outcomes.table") Optional<String> outcomes,
      InMemoryAdapters adapters) {
    return ReflexBeans.governance(enabled, counters, feedback, outcomes)
        .map(tables -> new ReflexBeans.GovernanceChoice(new ReflexServices.Governance(
            new FilePolicySource(InMemoryAdapters.CATALOG), new InMemoryActionCounters(adapters.clock()),
            new InMemoryFeedbackStore(), new InMemoryOutcomeHistory())))
        .orElseGet(ReflexBeans.GovernanceChoice::off);
  }
}
