package dev.reflex.lambda.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalPagesTest {

  private static ApprovalView view(ObjectNode plan) {
    return new ApprovalView("apr-1", "inc-1", "alice@example.com", "PENDING", "2026-03-01T11:00:00Z", 1, List.of(),
        false, "Plan: restart", plan);
  }

  @Test
  void confirmation_showsEachStepsPostCheckNextToItsRollback() {
    ObjectNode plan = new ObjectMapper().createObjectNode();
    ObjectNode restart = plan.putArray("steps").addObject();
    restart.put("name", "Restart the unit").put("module", "ansible.builtin.systemd_service").put("risk", "safe_write")
        .put("rollback", "Stop the unit").put("verification", "Check <the> unit is active");
    ObjectNode inspect = ((com.fasterxml.jackson.databind.node.ArrayNode) plan.get("steps")).addObject();
    inspect.put("name", "Inspect").put("module", "ansible.builtin.command").put("risk", "read_only")
        .putNull("rollback").putNull("verification");

    String html = ApprovalPages.confirmation(view(plan), "sig");

    assertThat(html).contains("<th>Rollback</th><th>Post-check</th>")
        .contains("<td>Stop the unit</td><td>Check &lt;the&gt; unit is active</td></tr>")
        .contains("<td>none</td><td>none</td></tr>");
  }
}
