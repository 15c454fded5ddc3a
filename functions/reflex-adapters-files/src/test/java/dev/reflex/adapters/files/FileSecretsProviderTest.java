package dev.reflex.adapters.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.error.SecretNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSecretsProviderTest {

  @TempDir Path dir;

  @Test
  void secret_whenSigningKeyAbsent_createsOwnerOnlyKeyOnceAndKeepsIt() throws IOException {
    FileSecretsProvider secrets = new FileSecretsProvider(dir.resolve("secrets"), name -> null);

    byte[] first = secrets.secret("approval-signing-key");
    byte[] again = new FileSecretsProvider(dir.resolve("secrets"), name -> null).secret("approval-signing-key");

    assertThat(first).hasSize(32).isEqualTo(again);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets/approval-signing-key"))))
        .isEqualTo("rw-------");
  }

  @Test
  void secret_whenEnvironmentVariableSet_winsOverFile() throws IOException {
    Files.writeString(dir.resolve("github-token"), "from-file");
    FileSecretsProvider secrets = new FileSecretsProvider(dir, Map.of("REFLEX_SECRET_GITHUB_TOKEN", "from-env")::get);

    assertThat(new String(secrets.secret("github-token"))).isEqualTo("from-env");
    assertThat(new String(new FileSecretsProvider(dir, name -> null).secret("github-token"))).isEqualTo("from-file");
  }

  @Test
  void secret_whenMissing_throwsNamingSecretOnly() {
    FileSecretsProvider secrets = new FileSecretsProvider(dir, name -> null);

    assertThatThrownBy(() -> secrets.secret("bedrock-api-key"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("'bedrock-api-key'").hasMessageContaining("REFLEX_SECRET_BEDROCK_API_KEY");
  }

  @Test
  void secret_whenNameEscapesFolder_refuses() {
    FileSecretsProvider secrets = new FileSecretsProvider(dir, name -> null);

    assertThatThrownBy(() -> secrets.secret("../etc/passwd")).isInstanceOf(SecretNotFoundException.class);
  }
}
