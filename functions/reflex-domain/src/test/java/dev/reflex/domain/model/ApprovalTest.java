package dev.reflex.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalTest {

  private static final Instant T0 = Instant.parse("2025-03-14T09:00:00Z");

  private static Approval twoOfThree() {
    return Approval.pending("apr-1", "inc-1", "TOKEN", T0, T0.plusSeconds(3600),
        List.of("Alice@Example.com", "bob@example.com", "carol@example.com"), 2, "");
  }

  private static ApprovalVote vote(String who, boolean approve) {
    return new ApprovalVote(who, approve, T0.plusSeconds(60), "", ApprovalVote.Source.operator());
  }

  @Test
  void withVote_countsDistinctApproversUntilRequired() {
    Approval one = twoOfThree().withVote(vote("alice@example.com", true));
    Approval two = one.withVote(vote("bob@example.com", true));

    assertThat(one.status()).isEqualTo(Approval.ApprovalStatus.PENDING);
    assertThat(one.version()).isEqualTo(1);
    assertThat(two.status()).isEqualTo(Approval.ApprovalStatus.APPROVED);
    assertThat(two.version()).isEqualTo(2);
    assertThat(two.decidedBy()).isEqualTo("alice@example.com, bob@example.com");
  }

  @Test
  void withVote_oneNo_rejects() {
    Approval rejected = twoOfThree().withVote(vote("alice@example.com", true)).withVote(vote("carol@example.com", false));

    assertThat(rejected.status()).isEqualTo(Approval.ApprovalStatus.REJECTED);
    assertThat(rejected.decidedBy()).isEqualTo("carol@example.com");
  }

  @Test
  void withVote_sameApproverTwiceOrAfterDecision_isRefused() {
    Approval one = twoOfThree().withVote(vote("alice@example.com", true));

    assertThatThrownBy(() -> one.withVote(vote("ALICE@example.com", true))).isInstanceOf(IllegalStateException.class);
    Approval rejected = one.withVote(vote("bob@example.com", false));
    assertThatThrownBy(() -> rejected.withVote(vote("carol@example.com", true)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void constructor_requiredMoreThanApprovers_isRefused() {
    assertThatThrownBy(() -> Approval.pending("apr-1", "inc-1", "T", T0, T0.plusSeconds(1), List.of("a@x.io"), 2, ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Approval.pending("apr-1", "inc-1", "T", T0, T0.plusSeconds(1), List.of(), 1, ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toString_neverShowsTheTaskToken() {
    assertThat(twoOfThree().toString()).doesNotContain("TOKEN=").contains("taskToken=<redacted>")
        .doesNotContain("\"TOKEN\"");
  }
}
