package dev.reflex.domain.port;

import dev.reflex.domain.detection.DetectionRules;
import dev.reflex.domain.model.Playbook;
import java.util.List;

/** The reviewed content of the playbook repository: shipped playbooks and detection rules. */
public interface PlaybookCatalog {

  List<Playbook> playbooks();

  DetectionRules detectionRules();
}
