package dev.reflex.domain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency rule: the domain is pure Java and knows no adapter technology. */
class DomainArchitectureTest {

  private final JavaClasses domain = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.reflex.domain");

  /** The rules below would pass vacuously on an empty import: make sure they see the domain. */
  @Test
  void import_seesTheDomainModelPortsAndUseCases() {
    assertThat(domain.contain(dev.reflex.domain.model.Incident.class)).isTrue();
    assertThat(domain.contain(dev.reflex.domain.port.IncidentStore.class)).isTrue();
    assertThat(domain.contain(dev.reflex.domain.service.DecideRemediation.class)).isTrue();
    assertThat(domain.size()).isGreaterThan(50);
  }

  @Test
  void domain_dependsOnNoCloudFrameworkOrGitLibrary() {
    noClasses().that().resideInAPackage("dev.reflex.domain..")
        .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..", "io.quarkus..",
            "org.eclipse.jgit..", "com.fasterxml..", "jakarta..", "io.vertx..")
        .check(domain);
  }

  @Test
  void model_doesNotDependOnUseCases() {
    noClasses().that().resideInAPackage("dev.reflex.domain.model..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.reflex.domain.service..",
            "dev.reflex.domain.matching..", "dev.reflex.domain.risk..", "dev.reflex.domain.policy..",
            "dev.reflex.domain.approval..")
        .check(domain);
  }

  @Test
  void ports_doNotDependOnUseCases() {
    noClasses().that().resideInAPackage("dev.reflex.domain.port..")
        .should().dependOnClassesThat().resideInAPackage("dev.reflex.domain.service..")
        .check(domain);
  }
}
