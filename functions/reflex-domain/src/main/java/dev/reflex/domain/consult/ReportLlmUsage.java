package dev.reflex.domain.consult;

import dev.reflex.domain.consult.LlmUsageReport.Day;
import dev.reflex.domain.consult.LlmUsageReport.PerSignature;
import dev.reflex.domain.consult.LlmUsageReport.ServedWithoutCall;
import dev.reflex.domain.consult.LlmUsageReport.Usage;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.model.ConsultationRecord;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.port.ConsultationLog;
import dev.reflex.domain.port.IncidentStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The LLM statistics: calls, tokens and cost per day and per signature from the
 * {@link ConsultationLog}, and how many incidents were served without any model call, counted over
 * the most recent incidents of the period (a bounded read of the {@link IncidentStore}).
 */
public final class ReportLlmUsage {

  public static final Duration DEFAULT_PERIOD = Duration.ofDays(30);
  public static final Duration MAX_PERIOD = Duration.ofDays(366);
  public static final int MAX_CONSULTATIONS = 10_000;
  public static final int MAX_INCIDENTS = 1_000;

  private final ConsultationLog log;
  private final IncidentStore incidents;
  private final Clock clock;

  public ReportLlmUsage(ConsultationLog log, IncidentStore incidents, Clock clock) {
    this.log = Objects.requireNonNull(log, "log");
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The last {@link #DEFAULT_PERIOD}, up to now. */
  public LlmUsageReport lastDays() {
    Instant now = clock.instant();
    return report(now.minus(DEFAULT_PERIOD), now.plusNanos(1));
  }

  /**
   * @throws InvalidInputException when {@code from} is not before {@code to} or the period is
   *     longer than {@link #MAX_PERIOD}
   */
  public LlmUsageReport report(Instant from, Instant to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!from.isBefore(to)) {
      throw new InvalidInputException("from", "from must be before to");
    }
    if (Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
      throw new InvalidInputException("from", "the period cannot be longer than " + MAX_PERIOD.toDays() + " days");
    }
    List<ConsultationRecord> records = log.between(from, to, MAX_CONSULTATIONS + 1);
    boolean truncated = records.size() > MAX_CONSULTATIONS;
    if (truncated) {
      records = records.subList(0, MAX_CONSULTATIONS);
    }
    Sum total = new Sum();
    Map<LocalDate, Sum> days = new TreeMap<>();
    Map<String, Sum> signatures = new TreeMap<>();
    Set<String> consultedWithoutCall = new HashSet<>();
    Map<String, Integer> callsByIncident = new HashMap<>();
    for (ConsultationRecord record : records) {
      total.add(record);
      days.computeIfAbsent(LocalDate.ofInstant(record.at(), ZoneOffset.UTC), d -> new Sum()).add(record);
      signatures.computeIfAbsent(record.signature().toString(), s -> new Sum()).add(record);
      callsByIncident.merge(record.incidentId(), record.calls(), Integer::sum);
    }
    callsByIncident.forEach((incident, calls) -> {
      if (calls == 0) {
        consultedWithoutCall.add(incident);
      }
    });
    List<Day> perDay = new ArrayList<>();
    days.forEach((day, sum) -> perDay.add(new Day(day, sum.usage())));
    List<PerSignature> perSignature = new ArrayList<>();
    signatures.forEach((signature, sum) -> perSignature.add(new PerSignature(signature, sum.usage())));
    return new LlmUsageReport(from, to, total.usage(), perDay, perSignature,
        served(from, to, consultedWithoutCall.size()), truncated);
  }

  private ServedWithoutCall served(Instant from, Instant to, long consultedWithoutCall) {
    long considered = 0;
    long learned = 0;
    long catalog = 0;
    long matched = 0;
    for (Incident incident : incidents.recent(MAX_INCIDENTS)) {
      if (incident.createdAt().isBefore(from) || !incident.createdAt().isBefore(to)) {
        continue;
      }
      considered++;
      if (incident.match() != null && incident.match().matched()) {
        matched++;
        if (incident.match().source() == PlaybookSource.LEARNED) {
          learned++;
        } else if (incident.match().source() == PlaybookSource.CATALOG) {
          catalog++;
        }
      }
    }
    return new ServedWithoutCall(matched, learned, catalog, consultedWithoutCall, considered);
  }

  private static final class Sum {
    long consultations;
    long calls;
    long input;
    long output;
    long cacheRead;
    long cacheWrite;
    double cost;
    long fallbacks;
    long reused;

    void add(ConsultationRecord record) {
      consultations++;
      calls += record.calls();
      input += record.inputTokens();
      output += record.outputTokens();
      cacheRead += record.cacheReadTokens();
      cacheWrite += record.cacheWriteTokens();
      cost += record.costUsd();
      fallbacks += record.fellBack() ? 1 : 0;
      reused += record.reused() ? 1 : 0;
    }

    Usage usage() {
      return new Usage(consultations, calls, input, output, cacheRead, cacheWrite,
          input + output + cacheRead + cacheWrite, Math.round(cost * 1_000_000) / 1_000_000.0, fallbacks, reused);
    }
  }
}
