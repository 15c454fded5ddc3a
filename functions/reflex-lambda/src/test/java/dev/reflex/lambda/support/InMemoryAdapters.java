package dev.reflex.lambda.support;

import dev.reflex.adapters.files.DryRunExecutor;
import dev.reflex.adapters.files.FilePlaybookCatalog;
import dev.reflex.adapters.files.OfflineCatalogConsultant;
import dev.reflex.domain.port.ApprovalNotifier;
import dev.reflex.domain.port.ApprovalStore;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.domain.port.PlaybookRepository;
import dev.reflex.domain.port.PlaybookStore;
import dev.reflex.domain.port.WorkflowCallbacks;
import dev.reflex.domain.port.WorkflowStarter;
import dev.reflex.lambda.config.ReflexServices;
import dev.reflex.testkit.FixedSecretsProvider;
import dev.reflex.testkit.InMemoryApprovalStore;
import dev.reflex.testkit.InMemoryIncidentStore;
import dev.reflex.testkit.InMemoryPlaybookStore;
import dev.reflex.testkit.MutableClock;
import dev.reflex.testkit.RecordingApprovalNotifier;
import dev.reflex.testkit.RecordingPlaybookRepository;
import dev.reflex.testkit.RecordingWorkflowCallbacks;
import io.quarkus.arc.Unremovable;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Replaces every AWS adapter of the Lambda artifact with in-memory fakes, so a {@code @QuarkusTest}
 * runs the real functions, use cases and catalog (the repository's {@code playbook-repo-template})
 * with no cloud, Docker or network.
 *
 * <p>Quarkus builds {@link ReflexServices} once per start, but each test wants empty stores: the
 * ports handed to it delegate to the fakes of the current {@link World}, and {@link #reset()}
 * swaps in a fresh one.
 */
@Singleton
@Unremovable
public class InMemoryAdapters {

  /** The catalog the functions read: the template every playbook repository starts from. */
  public static final Path CATALOG = Path.of("../../playbook-repo-template");

  /** Where the clock stands at each reset: a few minutes after the seed alert started firing. */
  public static final Instant NOW = Instant.parse("2026-11-01T09:20:00Z");

  /** The stateful fakes one test sees. */
  public record World(
      InMemoryIncidentStore incidents,
      InMemoryPlaybookStore playbooks,
      InMemoryApprovalStore approvals,
      RecordingPlaybookRepository repository,
      RecordingWorkflowCallbacks callbacks,
      RecordingWorkflowStarter workflows,
      RecordingApprovalNotifier notifier,
      dev.reflex.testkit.InMemoryAuditLog audit) {

    static World empty() {
      return new World(new InMemoryIncidentStore(), new InMemoryPlaybookStore(), new InMemoryApprovalStore(),
          new RecordingPlaybookRepository(), new RecordingWorkflowCallbacks(), new RecordingWorkflowStarter(),
          new RecordingApprovalNotifier(), new dev.reflex.testkit.InMemoryAuditLog());
    }
  }

  private final MutableClock clock = new MutableClock(NOW);
  private volatile World world = World.empty();

  /** Empties every store and recorder and puts the clock back to {@link #NOW}. */
  public void reset() {
    world = World.empty();
    clock.set(NOW);
  }

  public World world() {
    return world;
  }

  public MutableClock clock() {
    return clock;
  }

  /** The audit trail of the current world. */
  @Produces
  @Singleton
  @Alternative
  @Priority(1)
  dev.reflex.domain.port.AuditLog inMemoryAuditLog() {
    return current(dev.reflex.domain.port.AuditLog.class, () -> world.audit());
  }

  @Produces
  @Singleton
  @Alternative
  @Priority(1)
  ReflexServices.Ports inMemoryPorts() {
    return new ReflexServices.Ports(
        current(IncidentStore.class, () -> world.incidents()),
        current(PlaybookStore.class, () -> world.playbooks()),
        current(ApprovalStore.class, () -> world.approvals()),
        new FilePlaybookCatalog(CATALOG),
        current(PlaybookRepository.class, () -> world.repository()),
        new OfflineCatalogConsultant(),
        new DryRunExecutor(clock),
        current(WorkflowCallbacks.class, () -> world.callbacks()),
        current(WorkflowStarter.class, () -> world.workflows()),
        current(ApprovalNotifier.class, () -> world.notifier()),
        FixedSecretsProvider.of(ReflexServices.APPROVAL_KEY_SECRET, "test-approval-signing-key-of-32-bytes-or-more"),
        clock);
  }

  /** A {@code port} that forwards every call to whatever {@code target} answers at the time. */
  private static <T> T current(Class<T> port, Supplier<? extends T> target) {
    return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
      try {
        return method.invoke(target.get(), args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }));
  }
}
