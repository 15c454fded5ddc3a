package dev.reflex.adapters.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AnonymizerTest {

  private final Anonymizer anonymizer = new Anonymizer();

  @Test
  void anonymize_whenTextHasHostsIpsEmailsAndAccounts_replacesEachWithItsPlaceholder() {
    String text = "web-01.prod.example.com (10.0.3.17, 2001:db8::8a2e:370:7334) paged oncall@example.com"
        + " for account 123456789012";

    String sent = anonymizer.anonymize(text);

    assertThat(sent).isEqualTo("<HOST_1> (<IP_1>, <IP_2>) paged <EMAIL_1> for account <ACCOUNT_1>");
  }

  @Test
  void anonymize_whenValueRecurs_reusesItsPlaceholder() {
    String first = anonymizer.anonymize("db on 10.0.3.17 and api.prod.example.com");
    String second = anonymizer.anonymize("again 10.0.3.17, API.prod.example.com, then 10.0.3.18");

    assertThat(first).isEqualTo("db on <IP_1> and <HOST_1>");
    assertThat(second).isEqualTo("again <IP_1>, <HOST_1>, then <IP_2>");
  }

  @Test
  void anonymize_whenArnHasAccount_replacesOnlyTheAccountPart() {
    assertThat(anonymizer.anonymize("arn:aws:rds:eu-west-1:123456789012:db:payments and 123456789012"))
        .isEqualTo("arn:aws:rds:eu-west-1:<ACCOUNT_1>:db:payments and <ACCOUNT_1>");
  }

  @Test
  void anonymize_whenTextHasSecrets_replacesThem() {
    String text = "key AKIAIOSFODNN7EXAMPLE password=hunter2xyz Authorization: Bearer eyAbc.def-123456789"
        + " token: 0123456789abcdef0123456789abcdef0123\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n"
        + "-----END RSA PRIVATE KEY-----\nsig wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY12345";

    String sent = anonymizer.anonymize(text);

    assertThat(sent).doesNotContain("AKIAIOSFODNN7EXAMPLE", "hunter2xyz", "eyAbc.def-123456789", "0123456789abcdef",
        "MIIEow", "wJalrXUtnFEMIK7MDENG");
    assertThat(sent).contains("password=<SECRET_", "Bearer <SECRET_", "token: <SECRET_");
    assertThat(anonymizer.counts().get(Anonymizer.Kind.SECRET)).isEqualTo(6);
  }

  @Test
  void anonymize_keepsLoopbackAndOrdinaryText() {
    String text = "curl http://localhost:8080/health and 127.0.0.1; ansible.builtin.systemd restarts nginx.service;"
        + " see /var/log/nginx/access.log at 10:30:15, version 1.2.3, app.kubernetes.io/name";

    assertThat(anonymizer.anonymize(text)).isEqualTo(text);
  }

  @Test
  void anonymize_whenExtraPatternConfigured_replacesItAsPrivate() {
    Anonymizer configured = new Anonymizer(List.of(Pattern.compile("\\bACME-\\d{4}\\b"),
        Pattern.compile("customer=(?<value>\\w+)")));

    String sent = configured.anonymize("project ACME-1234 for customer=globex on web-01.prod.example.com");

    assertThat(sent).isEqualTo("project <PRIVATE_1> for customer=<PRIVATE_2> on <HOST_1>");
    assertThat(configured.restore(sent)).isEqualTo("project ACME-1234 for customer=globex on web-01.prod.example.com");
  }

  @Test
  void restore_mapsIdentifiersBack_butNeverSecrets() {
    String sent = anonymizer.anonymize("host web-01.prod.example.com ip 10.0.3.17 mail a.b@example.org acct"
        + " 123456789012 password=hunter2xyz");

    String answer = "ssh <HOST_1>, ping <IP_1>, mail <EMAIL_1>, account <ACCOUNT_1>, login with <SECRET_1>";

    assertThat(sent).doesNotContain("hunter2xyz");
    assertThat(anonymizer.restore(answer)).isEqualTo("ssh web-01.prod.example.com, ping 10.0.3.17, mail "
        + "a.b@example.org, account 123456789012, login with <SECRET_1>");
    assertThat(anonymizer.secretPlaceholders(answer)).containsExactly("<SECRET_1>");
  }

  @Test
  void restore_whenPlaceholderWasNeverIssued_leavesItAlone() {
    anonymizer.anonymize("web-01.prod.example.com");

    assertThat(anonymizer.restore("<HOST_1> <HOST_7> <IP_1>")).isEqualTo("web-01.prod.example.com <HOST_7> <IP_1>");
  }

  @Test
  void roundTrip_ofIdentifiers_isExact() {
    String original = "Instances ip-10-0-1-23 and web-02.eu.example.net (10.1.2.3) report to ops@example.net";

    String sent = anonymizer.anonymize(original);

    assertThat(sent).isEqualTo("Instances <HOST_1> and <HOST_2> (<IP_1>) report to <EMAIL_1>");
    assertThat(anonymizer.restore(sent)).isEqualTo(original);
  }

  @Test
  void toString_neverShowsTheMapping() {
    anonymizer.anonymize("web-01.prod.example.com password=hunter2xyz");

    assertThat(anonymizer.toString()).doesNotContain("web-01", "hunter2xyz").contains("HOST=1");
  }
}
