package dev.reflex.local.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The local operator's secret: 32 random bytes in hex, kept in {@code <dataDir>/admin-token} (mode
 * 0600). The server creates it on first start; the CLI reads it and sends it as {@code
 * Authorization: Bearer <token>} on the operator API. {@link #toString()} never shows it.
 */
public final class AdminToken {

  public static final String FILE_NAME = "admin-token";

  private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String value;

  private AdminToken(String value) {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("an admin token is 64 lowercase hex digits");
    }
    this.value = value;
  }

  /** A token with the given value (64 lowercase hex digits), e.g. for tests. */
  public static AdminToken of(String value) {
    return new AdminToken(value);
  }

  /** A fresh random token that is not stored anywhere. */
  public static AdminToken random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return new AdminToken(HexFormat.of().formatHex(bytes));
  }

  /** The file a data directory keeps its token in. */
  public static Path file(Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }

  /**
   * Reads {@code <dataDir>/admin-token}, creating the directory and a new random token (mode 0600
   * where the file system has POSIX permissions) the first time.
   */
  public static AdminToken loadOrCreate(Path dataDir) {
    Path file = file(dataDir);
    try {
      if (Files.exists(file)) {
        return read(dataDir);
      }
      Files.createDirectories(dataDir);
      AdminToken token = random();
      Path temp = Files.createTempFile(dataDir, ".admin-token-", ".tmp", ownerOnly(dataDir));
      try {
        Files.writeString(temp, token.value + "\n", StandardCharsets.US_ASCII);
        try {
          // A hard link never replaces an existing file: two servers starting at once agree.
          Files.createLink(file, temp);
        } catch (FileAlreadyExistsException e) {
          return read(dataDir);
        } catch (UnsupportedOperationException | IOException e) {
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
      return read(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the admin token in " + dataDir, e);
    }
  }

  /**
   * Reads an existing token.
   *
   * @throws NoSuchFileException when the server never ran with this data directory
   * @throws IOException when the file cannot be read or holds no valid token
   */
  public static AdminToken read(Path dataDir) throws IOException {
    Path file = file(dataDir);
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (!FORMAT.matcher(text).matches()) {
      throw new IOException(file + " does not hold an admin token (64 lowercase hex digits)");
    }
    return new AdminToken(text);
  }

  /** The value to send in {@code Authorization: Bearer ...}. */
  public String value() {
    return value;
  }

  /**
   * Whether an {@code Authorization} header carries this token. Compares SHA-256 digests in
   * constant time, so neither the content nor the length of the token leaks through timing.
   */
  public boolean matchesAuthorization(String header) {
    if (header == null) {
      return false;
    }
    String trimmed = header.strip();
    if (trimmed.length() < 7 || !trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return matches(trimmed.substring(7).strip());
  }

  /** Constant-time comparison of a presented token with this one. */
  public boolean matches(String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(sha256(presented), sha256(value));
  }

  @Override
  public String toString() {
    return "AdminToken[****]";
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static FileAttribute<?>[] ownerOnly(Path dir) {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    Set<PosixFilePermission> rw = PosixFilePermissions.fromString("rw-------");
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(rw)};
  }
}
