package dev.reflex.testkit;

import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.port.Consultant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** A {@link Consultant} answering with a scripted remediation, counting and recording requests. */
public final class ScriptedConsultant implements Consultant {

  private final String name;
  private final Function<Request, Remediation> answer;
  private final List<Request> requests = new ArrayList<>();

  public ScriptedConsultant(String name, Function<Request, Remediation> answer) {
    this.name = Objects.requireNonNull(name, "name");
    this.answer = Objects.requireNonNull(answer, "answer");
  }

  /** Always answers {@code remediation}; named after its consultant. */
  public ScriptedConsultant(Remediation remediation) {
    this(remediation.consultant(), request -> remediation);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized Remediation consult(Request request) {
    requests.add(request);
    return answer.apply(request);
  }

  public synchronized int calls() {
    return requests.size();
  }

  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }
}
