package dev.reflex.domain.policy;

import dev.reflex.domain.model.RiskClass;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A person who may approve plans, and the risk classes they may approve (all non-read-only classes
 * when the policy does not say).
 */
public record Approver(String email, String name, Set<RiskClass> risks) {

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  public Approver {
    if (email == null || !EMAIL.matcher(email).matches()) {
      throw new IllegalArgumentException("approver email is not an address: " + email);
    }
    email = email.toLowerCase(Locale.ROOT);
    name = Objects.requireNonNullElse(name, email);
    risks = risks == null || risks.isEmpty() ? Set.of(RiskClass.SAFE_WRITE, RiskClass.CRITICAL_WRITE)
        : Set.copyOf(EnumSet.copyOf(risks));
  }

  public boolean mayApprove(RiskClass risk) {
    return risk == RiskClass.READ_ONLY || risks.contains(risk);
  }
}
