package dev.reflex.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class FeedbackTest {

  static Feedback of(Feedback.Type type, int rating, String actualResolution) {
    return Feedback.of("inc-1", type, rating, null, null, null, null, null, actualResolution, null);
  }

  @Test
  void feedback_ratingOneToFive_isAccepted() {
    assertThat(of(Feedback.Type.REMEDIATION, 1, null).rating()).isEqualTo(1);
    assertThat(of(Feedback.Type.REMEDIATION, 5, null).rating()).isEqualTo(5);
  }

  @Test
  void feedback_ratingOutsideOneToFive_isRefusedNamingRating() {
    assertThatThrownBy(() -> of(Feedback.Type.REMEDIATION, 0, null)).isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("rating");
    assertThatThrownBy(() -> of(Feedback.Type.REMEDIATION, 6, null)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("rating must be 1 to 5: 6");
  }

  @Test
  void feedback_withoutType_isRefusedNamingType() {
    assertThatThrownBy(() -> of(null, 3, null)).extracting(e -> ((InvalidInputException) e).field()).isEqualTo("type");
    assertThatThrownBy(() -> Feedback.Type.parse("praise")).extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("type");
  }

  @Test
  void feedback_withoutIncident_isRefusedNamingIncidentId() {
    assertThatThrownBy(() -> Feedback.of(" ", Feedback.Type.GENERAL, 3, null, null, null, null, null, null, null))
        .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("incidentId");
  }

  @Test
  void correction_withoutActualResolution_isRefusedNamingIt() {
    assertThatThrownBy(() -> of(Feedback.Type.CORRECTION, 2, " "))
        .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("actualResolution");
    assertThat(of(Feedback.Type.CORRECTION, 2, "scaled the pool by hand").actualResolution())
        .isEqualTo("scaled the pool by hand");
  }

  @Test
  void feedback_overlongComment_isRefusedNamingComment() {
    assertThatThrownBy(() -> Feedback.of("inc-1", Feedback.Type.GENERAL, 3, null, null, null, "x".repeat(4001),
        null, null, null)).extracting(e -> ((InvalidInputException) e).field()).isEqualTo("comment");
  }

  @Test
  void value_averagesRatingAndAnswers() {
    Feedback all = Feedback.of("inc-1", Feedback.Type.REMEDIATION, 5, true, true, false, null, null, null, "a");
    assertThat(all.value()).isEqualTo(0.75);
    assertThat(all.positive()).isTrue();
    Feedback low = Feedback.of("inc-1", Feedback.Type.REMEDIATION, 3, false, null, null, null, null, null, "a");
    assertThat(low.value()).isEqualTo(0.25);
    assertThat(low.positive()).isFalse();
  }

  @Test
  void value_ofCorrection_isAtMostAQuarter() {
    assertThat(of(Feedback.Type.CORRECTION, 5, "other fix").value()).isEqualTo(0.25);
  }

  @Test
  void author_missing_isAnonymous() {
    assertThat(of(Feedback.Type.GENERAL, 3, null).author()).isEqualTo("anonymous");
  }
}
