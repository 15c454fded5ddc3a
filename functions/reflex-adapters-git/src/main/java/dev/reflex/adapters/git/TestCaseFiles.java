package dev.reflex.adapters.git;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AlertStatus;
import dev.reflex.domain.port.PlaybookRepository.TestCase;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test case as the playbook repository keeps it: {@code tests/<case>/alert.json}, an Alertmanager
 * (version 4) webhook body holding the incident's alert, and {@code expected.yml}, the anomaly type,
 * signature and playbook the offline tester ({@code ./reflex validate}) must find for it. Label
 * values are data: written through the JSON and YAML quoting, never spliced into text.
 */
final class TestCaseFiles {

  static final String ALERT_FILE = "alert.json";
  static final String EXPECTED_FILE = "expected.yml";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String NO_END = "0001-01-01T00:00:00Z";

  private TestCaseFiles() {}

  /** The webhook body Alertmanager would have sent for this alert alone. */
  static String alertJson(Alert alert) {
    ObjectNode body = JSON.createObjectNode();
    body.put("receiver", "reflex");
    body.put("status", wire(alert.status()));
    ObjectNode one = body.putArray("alerts").addObject();
    one.put("status", wire(alert.status()));
    one.set("labels", JSON.valueToTree(new TreeMap<>(alert.labels())));
    one.set("annotations", JSON.valueToTree(new TreeMap<>(alert.annotations())));
    one.put("startsAt", alert.startsAt().toString());
    one.put("endsAt", alert.endsAt() == null ? NO_END : alert.endsAt().toString());
    one.put("generatorURL", alert.generatorUrl());
    one.put("fingerprint", alert.fingerprint());
    body.putObject("groupLabels").put("alertname", alert.alertName());
    body.set("commonLabels", JSON.valueToTree(new TreeMap<>(alert.labels())));
    body.set("commonAnnotations", JSON.valueToTree(new TreeMap<>(alert.annotations())));
    body.put("externalURL", "");
    body.put("version", "4");
    body.put("groupKey", "{}:{alertname=" + quote(alert.alertName()) + "}");
    body.put("truncatedAlerts", 0);
    try {
      return JSON.writeValueAsString(body) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the test case's alert", e);
    }
  }

  /** {@code anomaly_type}, {@code signature} and {@code playbook}, each a double-quoted scalar. */
  static String expectedYaml(TestCase test) {
    StringBuilder yaml = new StringBuilder("# What ./reflex validate must find for alert.json (drafted by Reflex)\n");
    for (Map.Entry<String, String> entry : Map.of("anomaly_type", test.anomalyType(),
        "signature", test.signature().toString(), "playbook", test.playbookId()).entrySet().stream()
        .sorted(Map.Entry.comparingByKey()).toList()) {
      yaml.append(entry.getKey()).append(": ").append(quote(entry.getValue())).append('\n');
    }
    return yaml.toString();
  }

  /** A JSON string literal, which is also a valid YAML double-quoted scalar. */
  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String wire(AlertStatus status) {
    return status == AlertStatus.RESOLVED ? "resolved" : "firing";
  }
}
