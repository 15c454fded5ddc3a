package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionRun;
import dev.reflex.domain.port.Executor;
import dev.reflex.testkit.Playbooks;
import org.junit.jupiter.api.Test;

/** Every execution names the playbook id, version and commit SHA it ran. */
class ExecutionProvenanceTest {

  private static final String SHA = "3f2a9c1e5b7d4f6a8c0e2b4d6f8a0c2e4b6d8f0a";

  private final World world = new World();

  /** An executor that reports its steps and nothing about which playbook version it ran. */
  private final Executor forgetful = new Executor() {
    @Override
    public String name() {
      return "forgetful";
    }

    @Override
    public ExecutionReport.Mode mode() {
      return ExecutionReport.Mode.APPLY;
    }

    @Override
    public ExecutionRun start(ExecutionPass pass) {
      return ExecutionRun.finished(pass.actions().stream().map(a -> new ExecutionReport.StepResult(a.name(), a.risk(),
          ExecutionReport.StepResult.Status.SUCCEEDED, "done")).toList(), "done");
    }
  };

  @Test
  void execute_whenExecutorOmitsProvenance_recordsPlaybookIdVersionAndCommitSha() {
    String id = world.approved(Playbooks.catalog("db-pool", "high_latency", 0.8).withCommit("main", SHA));
    ExecutePlaybook execute = new ExecutePlaybook(world.incidents, world.playbooks, forgetful, new ParameterBinder(),
        world.clock);

    ExecutionReport report = execute.execute(id);

    assertThat(report.playbookId()).isEqualTo("db-pool");
    assertThat(report.playbookVersion()).isEqualTo(world.playbooks.find("db-pool").orElseThrow().version());
    assertThat(report.commitSha()).isEqualTo(SHA);
    assertThat(world.incident(id).execution()).isEqualTo(report);
  }

  @Test
  void execute_whenExecutorReportsProvenance_keepsIt() {
    String id = world.approved(Playbooks.catalog("db-pool", "high_latency", 0.8).withCommit("main", SHA));

    ExecutionReport report = world.execute.execute(id);

    assertThat(report.playbookId()).isEqualTo("db-pool");
    assertThat(report.commitSha()).isEqualTo(SHA);
    assertThat(world.incident(id).execution().commitSha()).isEqualTo(SHA);
  }

  @Test
  void execute_whenPlaybookWasNeverCommitted_recordsNoCommitSha() {
    String id = world.approved(Playbooks.catalog("db-pool", "high_latency", 0.8));
    ExecutePlaybook execute = new ExecutePlaybook(world.incidents, world.playbooks, forgetful, new ParameterBinder(),
        world.clock);

    ExecutionReport report = execute.execute(id);

    assertThat(report.playbookId()).isEqualTo("db-pool");
    assertThat(report.commitSha()).isNull();
  }
}
