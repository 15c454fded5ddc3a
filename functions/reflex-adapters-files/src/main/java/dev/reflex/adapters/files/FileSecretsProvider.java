package dev.reflex.adapters.files;

import dev.reflex.domain.error.SecretNotFoundException;
import dev.reflex.domain.port.SecretsProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Secrets for the embedded runtime: the environment variable {@code REFLEX_SECRET_<NAME>} (name
 * upper-cased, {@code -} and {@code .} as {@code _}) wins, else the file {@code <dir>/<name>}. The
 * approval signing key is created on first start (32 random bytes, owner-only permissions).
 */
public final class FileSecretsProvider implements SecretsProvider {

  public static final String APPROVAL_SIGNING_KEY = "approval-signing-key";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");

  private final Path dir;
  private final Function<String, String> env;

  public FileSecretsProvider(Path dir) {
    this(dir, System::getenv);
  }

  /** @param env reads an environment variable (tests pass a map) */
  public FileSecretsProvider(Path dir, Function<String, String> env) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.env = Objects.requireNonNull(env, "env");
  }

  /** The environment variable consulted first for {@code name}. */
  public static String environmentVariable(String name) {
    return "REFLEX_SECRET_" + name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  @Override
  public byte[] secret(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new SecretNotFoundException("invalid secret name (expected " + NAME + ")");
    }
    String fromEnv = env.apply(environmentVariable(name));
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv.getBytes(StandardCharsets.UTF_8);
    }
    Path file = dir.resolve(name);
    try {
      if (Files.isRegularFile(file)) {
        return Files.readAllBytes(file);
      }
      if (APPROVAL_SIGNING_KEY.equals(name)) {
        return createKey(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read secret '" + name + "'", e);
    }
    throw new SecretNotFoundException("secret '" + name + "' not found: set " + environmentVariable(name)
        + " or create " + file);
  }

  private synchronized byte[] createKey(Path file) throws IOException {
    Files.createDirectories(dir);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    try {
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      return Files.readAllBytes(file); // another process created it first: use that one
    }
    Files.write(file, key, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    return key;
  }
}
