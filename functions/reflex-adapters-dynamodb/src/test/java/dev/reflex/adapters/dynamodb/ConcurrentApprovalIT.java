package dev.reflex.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.approval.ApprovalLinks;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.ApprovalVote;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.WorkflowCallbacks;
import dev.reflex.domain.service.ResolveApproval;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two approvers of a 2-of-3 approval answering at the same moment, against DynamoDB Local. */
class ConcurrentApprovalIT {

  @RegisterExtension static final LocalDynamoDbExtension dynamo = new LocalDynamoDbExtension();
  /** Now, not the fixtures' fixed past: DynamoDB Local deletes items whose TTL has passed. */
  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private final List<String> released = new CopyOnWriteArrayList<>();
  private final WorkflowCallbacks callbacks = new WorkflowCallbacks() {
    @Override
    public void succeed(String taskToken, String outputJson) {
      released.add("success " + taskToken);
    }

    @Override
    public void fail(String taskToken, String error, String cause) {
      released.add("failure " + taskToken);
    }
  };

  @Test
  void twoApproversAtOnce_bothVotesAreKeptAndTheTokenIsReleasedOnce() throws Exception {
    TableNames tables = dynamo.freshTables();
    DynamoDbApprovalStore approvals = new DynamoDbApprovalStore(dynamo.client(), tables.approvals());
    DynamoDbIncidentStore incidents = new DynamoDbIncidentStore(dynamo.client(), tables.incidents());
    incidents.openIfAbsent(Fixtures.openIncident("inc-1", "fp-1", T0));
    Approval pending = Fixtures.pendingApproval("apr-1", "inc-1", T0);
    approvals.create(pending);
    ApprovalLinks links = new ApprovalLinks("k".repeat(32).getBytes(StandardCharsets.UTF_8), "https://reflex.example");
    ResolveApproval resolve = new ResolveApproval(approvals, incidents, callbacks, links,
        Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));

    for (int round = 0; round < 5; round++) {
      // each round races on a fresh approval so that the interleavings vary
      Approval approval = round == 0 ? pending : fresh(approvals, incidents, round);
      released.clear();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Approval>> answers = List.of("alice@example.com", "bob@example.com").stream()
          .map(who -> pool.submit(() -> {
            start.await();
            return resolve.decide(approval.id(), who, links.signature(approval, who), true, "",
                ApprovalVote.Source.link("198.51.100.7", "test"));
          })).toList();
      start.countDown();
      for (Future<Approval> answer : answers) {
        answer.get();
      }
      pool.shutdown();

      Approval stored = approvals.find(approval.id()).orElseThrow();
      assertThat(stored.status()).isEqualTo(Approval.ApprovalStatus.APPROVED);
      assertThat(stored.approvedBy()).containsExactlyInAnyOrder("alice@example.com", "bob@example.com");
      assertThat(stored.version()).isEqualTo(2);
      assertThat(released).containsExactly("success " + approval.taskToken());
      assertThat(incidents.find(approval.incidentId()).orElseThrow().status()).isEqualTo(IncidentStatus.APPROVED);
    }
  }

  private static Approval fresh(DynamoDbApprovalStore approvals, DynamoDbIncidentStore incidents, int round) {
    String incident = "inc-r" + round;
    incidents.openIfAbsent(Fixtures.openIncident(incident, "fp-r" + round, T0));
    Approval approval = Fixtures.pendingApproval("apr-r" + round, incident, T0);
    approvals.create(approval);
    return approval;
  }
}
