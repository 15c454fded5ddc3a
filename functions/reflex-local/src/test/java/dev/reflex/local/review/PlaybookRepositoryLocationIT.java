package dev.reflex.local.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.adapters.git.PlaybookRepositories;
import dev.reflex.local.app.EmbeddedReflex;
import dev.reflex.testkit.FixedSecretsProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pointing the embedded default at the repository a user copied the template into. */
class PlaybookRepositoryLocationIT {

  static final Path HOME = Path.of("../..").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @AfterEach
  void clear() {
    System.clearProperty(PlaybookRepositoryLocation.URI);
  }

  @Test
  void resolve_withoutAUri_usesTheLocalBareRepositoryMadeFromTheTemplate() {
    PlaybookRepositoryLocation location = PlaybookRepositoryLocation.resolve(HOME, tmp, tmp.resolve("work"),
        FixedSecretsProvider.of("unused", "x"));

    assertThat(location.config().remoteUri()).isEqualTo(tmp.resolve("playbooks.git").toUri().toString());
    assertThat(location.catalog()).isEqualTo(HOME.resolve("playbook-repo-template"));
    assertThat(tmp.resolve("playbooks.git/HEAD")).isRegularFile();
  }

  @Test
  void embedded_whenPointedAtAUsersCopyOfTheTemplate_readsItsCatalogAndProposesThere() throws IOException {
    Path copy = copyTemplateWithout("certificate-renewal");
    Path users = tmp.resolve("users-playbooks.git");
    PlaybookRepositories.initBare(users, copy);
    System.setProperty(PlaybookRepositoryLocation.URI, users.toUri().toString());
    Path data = tmp.resolve("data");

    try (EmbeddedReflex reflex = EmbeddedReflex.start(EmbeddedReflex.Options.defaults(HOME, data, "http://127.0.0.1:1")
        .withConsole(new PrintStream(PrintStream.nullOutputStream())))) {
      assertThat(reflex.playbooks()).extracting(p -> p.path("id").asText())
          .contains("disk-full-log-cleanup").doesNotContain("certificate-renewal");
      JsonNode synced = reflex.syncPlaybooks();
      assertThat(synced.path("commitSha").asText()).hasSize(40);
    }
    assertThat(data.resolve("playbooks.git")).doesNotExist();
    assertThat(data.resolve("playbooks-catalog/playbooks/disk-full-log-cleanup/meta.yml")).isRegularFile();
  }

  private Path copyTemplateWithout(String playbook) throws IOException {
    Path source = HOME.resolve("playbook-repo-template");
    Path target = tmp.resolve("copy");
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path from : walk.toList()) {
        Path to = target.resolve(source.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
    try (Stream<Path> walk = Files.walk(target.resolve("playbooks").resolve(playbook))) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
    return target;
  }
}
