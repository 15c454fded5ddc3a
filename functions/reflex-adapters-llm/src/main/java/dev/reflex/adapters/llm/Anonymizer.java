package dev.reflex.adapters.llm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces identifying and secret text with stable placeholders before it is sent to a language
 * model, and puts identifiers back into the answer.
 *
 * <p>One instance serves one consultation: the same value always gets the same placeholder
 * ({@code <HOST_1>}, {@code <IP_2>}, {@code <ACCOUNT_1>}, {@code <EMAIL_1>}, {@code <PRIVATE_1>}
 * for configured extra patterns, {@code <SECRET_1>}), so the model can still tell two hosts apart.
 * The mapping lives only in this object: it is never sent, logged or printed ({@link #toString()}
 * shows counts only).
 *
 * <p>{@link #restore} maps identifier placeholders back; a secret placeholder is never restored,
 * so a drafted playbook can never carry a secret the alert leaked. Loopback addresses and
 * {@code localhost} are kept: they identify nothing.
 */
public final class Anonymizer {

  /** What a placeholder stands for; only {@link #SECRET} is never restored. */
  public enum Kind {
    SECRET,
    EMAIL,
    ACCOUNT,
    IP,
    HOST,
    PRIVATE;

    boolean restorable() {
      return this != SECRET;
    }
  }

  /** A pattern whose group {@code value} (or whole match) is replaced by a placeholder of a kind. */
  private record Rule(Kind kind, Pattern pattern, Predicate<String> accept) {}

  public static final Pattern PLACEHOLDER = Pattern.compile("<(SECRET|EMAIL|ACCOUNT|IP|HOST|PRIVATE)_(\\d{1,6})>");

  private static final Set<String> TOP_LEVEL_DOMAINS = Set.of("com", "net", "org", "io", "dev", "app", "cloud",
      "ai", "co", "biz", "info", "me", "tech", "site", "online", "xyz", "us", "uk", "de", "fr", "eu", "nl", "se",
      "no", "fi", "dk", "es", "it", "ch", "at", "be", "ie", "ca", "au", "nz", "jp", "cn", "in", "br", "ru", "pt",
      "edu", "gov", "mil", "int", "internal", "local", "localdomain", "lan", "corp", "intra", "intranet", "home",
      "private", "svc", "cluster", "test", "example", "invalid", "aws", "azure", "gcp");
  /** Public, well-known domains that identify nothing about the environment. */
  private static final Set<String> PUBLIC_DOMAINS = Set.of("kubernetes.io", "k8s.io", "prometheus.io");

  private static final List<Rule> BUILT_IN = List.of(
      rule(Kind.SECRET, "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)"),
      rule(Kind.SECRET, "\\b(?<value>(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16})\\b"),
      rule(Kind.SECRET, "(?i)\\bBearer\\s+(?<value>[A-Za-z0-9._~+/=-]{8,})"),
      rule(Kind.SECRET, "(?i)\\b(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key"
          + "|secret[_-]?key|client[_-]?secret|auth)\\b[\"']?\\s*[=:]\\s*[\"']?(?<value>[^\\s\"',;&}]{3,})"),
      rule(Kind.SECRET, "\\b(?<value>eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,})"),
      rule(Kind.SECRET, "(?i)\\b(?<value>(?:gh[pousr]_[A-Za-z0-9]{30,}|xox[abpr]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,}))"),
      rule(Kind.SECRET, "(?<![A-Za-z0-9])(?<value>[0-9a-fA-F]{32,})(?![A-Za-z0-9])"),
      new Rule(Kind.SECRET, Pattern.compile("(?<![A-Za-z0-9+/_-])(?<value>[A-Za-z0-9+/_-]{40,}={0,2})(?![A-Za-z0-9+/=_-])"),
          Anonymizer::looksRandom),
      rule(Kind.EMAIL, "(?<![\\w.%+-])(?<value>[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,63})\\b"),
      rule(Kind.ACCOUNT, "\\barn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(?<value>\\d{12}):"),
      rule(Kind.ACCOUNT, "(?<![\\d.])(?<value>\\d{12})(?![\\d.])"),
      new Rule(Kind.IP, Pattern.compile("(?<![\\w.])(?<value>(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
          + "(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3})(?![\\w.]*\\d)"), ip -> !ip.startsWith("127.")
          && !ip.equals("0.0.0.0")),
      new Rule(Kind.IP, Pattern.compile("(?<![\\w:.])(?<value>[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\\w:])"),
          Anonymizer::ipv6),
      new Rule(Kind.HOST, Pattern.compile("(?i)\\b(?<value>ip-\\d{1,3}-\\d{1,3}-\\d{1,3}-\\d{1,3})\\b"), x -> true),
      new Rule(Kind.HOST, Pattern.compile("(?<![\\w.@-])(?<value>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
          + "[A-Za-z]{2,63})(?![\\w-]|\\.[A-Za-z0-9])"), Anonymizer::fqdn));

  private final List<Rule> rules;
  private final Map<String, String> placeholderByValue = new HashMap<>();
  private final Map<String, String> valueByPlaceholder = new HashMap<>();
  private final Map<Kind, Integer> counters = new java.util.EnumMap<>(Kind.class);

  /** With the built-in rules only. */
  public Anonymizer() {
    this(List.of());
  }

  /**
   * @param extraPatterns configured patterns of private identifiers (customer names, project
   *     codes, ...); a match (or its group {@code value}) becomes {@code <PRIVATE_n>} and is
   *     restored in the answer. They apply before the built-in rules.
   */
  public Anonymizer(List<Pattern> extraPatterns) {
    List<Rule> all = new ArrayList<>();
    for (Pattern extra : Objects.requireNonNull(extraPatterns, "extraPatterns")) {
      all.add(new Rule(Kind.PRIVATE, extra, x -> true));
    }
    all.addAll(BUILT_IN);
    this.rules = List.copyOf(all);
  }

  /** {@code text} with every identifier and secret replaced by its placeholder. */
  public String anonymize(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    for (Rule rule : rules) {
      result = apply(rule, result);
    }
    return result;
  }

  /**
   * {@code text} with identifier placeholders replaced by what they stand for. Secret
   * placeholders, and placeholders this consultation never issued, stay as they are.
   */
  public String restore(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String original = Kind.valueOf(m.group(1)).restorable() ? valueByPlaceholder.get(m.group()) : null;
      m.appendReplacement(out, Matcher.quoteReplacement(original == null ? m.group() : original));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The secret placeholders {@code text} contains, which {@link #restore} leaves in place. */
  public Set<String> secretPlaceholders(String text) {
    Set<String> found = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(text == null ? "" : text);
    while (m.find()) {
      if (m.group(1).equals(Kind.SECRET.name())) {
        found.add(m.group());
      }
    }
    return found;
  }

  /** How many distinct values were replaced, by kind; never the values. */
  public Map<Kind, Integer> counts() {
    return Map.copyOf(counters);
  }

  @Override
  public String toString() {
    return "Anonymizer" + counters;
  }

  private String apply(Rule rule, String text) {
    Matcher m = rule.pattern().matcher(text);
    StringBuilder out = new StringBuilder();
    boolean named = rule.pattern().pattern().contains("(?<value>");
    int last = 0;
    while (m.find()) {
      int start = named ? m.start("value") : m.start();
      int end = named ? m.end("value") : m.end();
      if (start < 0 || start == end) {
        continue;
      }
      String value = text.substring(start, end);
      if (insidePlaceholder(text, start, end) || !rule.accept().test(value)) {
        continue;
      }
      out.append(text, last, start).append(placeholder(rule.kind(), value));
      last = end;
    }
    if (last == 0) {
      return text;
    }
    return out.append(text, last, text.length()).toString();
  }

  private String placeholder(Kind kind, String value) {
    String key = kind.restorable() && kind != Kind.PRIVATE ? kind + ":" + value.toLowerCase(Locale.ROOT)
        : kind + ":" + value;
    return placeholderByValue.computeIfAbsent(key, k -> {
      int n = counters.merge(kind, 1, Integer::sum);
      String placeholder = "<" + kind.name() + "_" + n + ">";
      valueByPlaceholder.put(placeholder, value);
      return placeholder;
    });
  }

  /** True when [start, end) overlaps a placeholder already written, e.g. the 1 in {@code <IP_1>}. */
  private static boolean insidePlaceholder(String text, int start, int end) {
    Matcher m = PLACEHOLDER.matcher(text);
    m.region(Math.max(0, start - 16), Math.min(text.length(), end + 16));
    m.useTransparentBounds(true);
    while (m.find()) {
      if (m.start() < end && start < m.end()) {
        return true;
      }
    }
    return false;
  }

  private static Rule rule(Kind kind, String regex) {
    return new Rule(kind, Pattern.compile(regex), x -> true);
  }

  /** A long token with upper case, lower case and digits, not a path: likely a key or a token. */
  private static boolean looksRandom(String token) {
    if (token.startsWith("/") || token.chars().filter(c -> c == '/').count() > 3) {
      return false;
    }
    boolean upper = token.chars().anyMatch(Character::isUpperCase);
    boolean lower = token.chars().anyMatch(Character::isLowerCase);
    long digits = token.chars().filter(Character::isDigit).count();
    return upper && lower && digits >= 2;
  }

  private static boolean ipv6(String candidate) {
    String lower = candidate.toLowerCase(Locale.ROOT);
    if (lower.equals("::1") || lower.equals("::") || lower.startsWith(":::") || lower.endsWith(":::")) {
      return false;
    }
    int doubleColon = lower.indexOf("::");
    if (doubleColon >= 0 && lower.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String[] groups = lower.split(":", -1);
    int nonEmpty = 0;
    for (String group : groups) {
      if (!group.isEmpty()) {
        nonEmpty++;
      }
    }
    if (doubleColon < 0) {
      return groups.length == 8 && nonEmpty == 8;
    }
    // compressed: at most 7 groups, at least one of them non-zero-length, and the text must have
    // a hex letter or several groups so that times such as 10::30 are not taken for addresses
    return nonEmpty >= 1 && nonEmpty <= 7 && (nonEmpty >= 3 || lower.matches(".*[a-f].*"));
  }

  private static boolean fqdn(String candidate) {
    String lower = candidate.toLowerCase(Locale.ROOT);
    if (lower.equals("localhost") || lower.endsWith(".localhost")) {
      return false;
    }
    for (String publicDomain : PUBLIC_DOMAINS) {
      if (lower.equals(publicDomain) || lower.endsWith("." + publicDomain)) {
        return false;
      }
    }
    String tld = lower.substring(lower.lastIndexOf('.') + 1);
    return TOP_LEVEL_DOMAINS.contains(tld);
  }
}
