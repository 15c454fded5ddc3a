package dev.reflex.adapters.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void redact_whenSecretsInOutput_masksThem() {
    String output = """
        connecting with password=hunter2 and db_password: "s3cr3t"
        aws key AKIAIOSFODNN7EXAMPLE used; Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig
        clone https://reflex:ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/x/y.git
        -----BEGIN RSA PRIVATE KEY-----
        MIIEowIBAAKCAQEA
        -----END RSA PRIVATE KEY-----
        done""";

    String redacted = Redactor.redact(output);

    assertThat(redacted).doesNotContain("hunter2", "s3cr3t", "AKIAIOSFODNN7EXAMPLE", "eyJhbGciOiJIUzI1NiJ9",
        "ghp_abcdefghij", "MIIEowIBAAKCAQEA");
    assertThat(redacted).contains("password=***", "[REDACTED AWS KEY]", "Bearer ***", "[REDACTED PRIVATE KEY]", "done");
  }

  @Test
  void redact_whenNoSecret_keepsTextUnchanged() {
    String output = "deployment.apps/payment-api restarted\nwaiting for rollout: 2 of 3 updated";

    assertThat(Redactor.redact(output)).isEqualTo(output);
  }

  @Test
  void redactAndTruncate_whenLong_keepsTheEndWithinLimit() {
    String output = "x".repeat(10_000) + " error at the end";

    String result = Redactor.redactAndTruncate(output, 4000);

    assertThat(result).hasSizeLessThanOrEqualTo(4000).startsWith("[truncated").endsWith("error at the end");
  }
}
