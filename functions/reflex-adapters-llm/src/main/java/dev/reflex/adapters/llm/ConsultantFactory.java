package dev.reflex.adapters.llm;

import dev.reflex.domain.port.Consultant;
import dev.reflex.domain.port.SecretsProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Builds the consultant named by {@value #PROVIDER}: {@code offline} (the given offline consultant,
 * the default), {@code bedrock} or {@code openai-compatible}. A model consultant is wrapped in a
 * {@link FallbackConsultant} over the offline one and in a {@link UsageReportingConsultant}, so
 * that every failure falls back and every call's cost reaches the ledger.
 *
 * <p>The keys are those of the module README; {@link #configFrom(Properties, Map)} reads them from
 * system properties, else environment variables ({@code REFLEX_CONSULTANT_PROVIDER} for
 * {@code reflex.consultant.provider}).
 */
public final class ConsultantFactory {

  public static final String PROVIDER = "reflex.consultant.provider";
  public static final String BEDROCK_MODEL_ID = "reflex.llm.bedrock.model-id";
  public static final String BEDROCK_REGION = "reflex.llm.bedrock.region";
  public static final String MAX_TOKENS = "reflex.llm.max-tokens";
  public static final String TEMPERATURE = "reflex.llm.temperature";
  public static final String API_CALL_TIMEOUT = "reflex.llm.api-call-timeout";
  public static final String MAX_ATTEMPTS = "reflex.llm.max-attempts";
  public static final String PRICE_INPUT = "reflex.llm.price.input-per-mtok";
  public static final String PRICE_OUTPUT = "reflex.llm.price.output-per-mtok";
  public static final String PRICE_CACHE_READ = "reflex.llm.price.cache-read-per-mtok";
  public static final String PRICE_CACHE_WRITE = "reflex.llm.price.cache-write-per-mtok";
  public static final String EXTRA_PATTERNS = "reflex.llm.privacy.extra-patterns";
  public static final String OPENAI_BASE_URL = "reflex.llm.openai.base-url";
  public static final String OPENAI_MODEL = "reflex.llm.openai.model";
  public static final String OPENAI_API_KEY_SECRET = "reflex.llm.openai.api-key-secret";

  /** Every key, in the README's order. */
  public static final List<String> KEYS = List.of(PROVIDER, BEDROCK_MODEL_ID, BEDROCK_REGION, MAX_TOKENS,
      TEMPERATURE, API_CALL_TIMEOUT, MAX_ATTEMPTS, PRICE_INPUT, PRICE_OUTPUT, PRICE_CACHE_READ, PRICE_CACHE_WRITE,
      EXTRA_PATTERNS, OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_API_KEY_SECRET);

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  private ConsultantFactory() {}

  /**
   * @param config keys as in {@link #KEYS}; absent keys take their defaults
   * @param secrets where {@value #OPENAI_API_KEY_SECRET} is read, at each request
   * @param offline the offline catalog consultant: the default and every model's fallback
   * @throws IllegalArgumentException naming the key when a value is missing or invalid
   */
  public static Consultant fromConfig(Map<String, String> config, SecretsProvider secrets, Consultant offline) {
    String provider = value(config, PROVIDER, "offline").toLowerCase(Locale.ROOT);
    return switch (provider) {
      case "offline" -> offline;
      case "bedrock" -> new UsageReportingConsultant(
          new FallbackConsultant(new BedrockConsultant(bedrockConfig(config)), offline));
      case "openai-compatible", "openai_compatible" -> new UsageReportingConsultant(new FallbackConsultant(
          new OpenAiCompatibleConsultant(openAiConfig(config), apiKey(config, secrets)), offline));
      default -> throw new IllegalArgumentException(
          PROVIDER + " must be offline, bedrock or openai-compatible, not " + provider);
    };
  }

  public static BedrockConfig bedrockConfig(Map<String, String> config) {
    String region = value(config, BEDROCK_REGION, "");
    if (region.isEmpty()) {
      throw new IllegalArgumentException(BEDROCK_REGION + " (or AWS_REGION) is required for the bedrock consultant");
    }
    return new BedrockConfig(value(config, BEDROCK_MODEL_ID, BedrockConfig.DEFAULT_MODEL_ID), region,
        integer(config, MAX_TOKENS, 4096), decimal(config, TEMPERATURE, 0.2),
        duration(config, API_CALL_TIMEOUT, Duration.ofSeconds(90)), integer(config, MAX_ATTEMPTS, 4),
        prices(config, Prices.CLAUDE_SONNET_4_5), patterns(config));
  }

  /** Prices default to zero here (a local server costs nothing per token) unless configured. */
  public static OpenAiCompatibleConfig openAiConfig(Map<String, String> config) {
    String model = value(config, OPENAI_MODEL, "");
    if (model.isEmpty()) {
      throw new IllegalArgumentException(OPENAI_MODEL + " is required for the openai-compatible consultant");
    }
    URI baseUrl;
    try {
      baseUrl = URI.create(value(config, OPENAI_BASE_URL, "http://localhost:11434"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(OPENAI_BASE_URL + " is not a URL");
    }
    return new OpenAiCompatibleConfig(baseUrl, model, integer(config, MAX_TOKENS, 4096),
        decimal(config, TEMPERATURE, 0.2), duration(config, API_CALL_TIMEOUT, Duration.ofSeconds(90)),
        integer(config, MAX_ATTEMPTS, 4), prices(config, Prices.FREE), patterns(config));
  }

  /**
   * The keys from system properties, else from environment variables named after them
   * ({@code reflex.llm.openai.base-url} is {@code REFLEX_LLM_OPENAI_BASE_URL}); the Bedrock region
   * falls back to {@code AWS_REGION}, then {@code AWS_DEFAULT_REGION}.
   */
  public static Map<String, String> configFrom(Properties properties, Map<String, String> env) {
    Map<String, String> config = new LinkedHashMap<>();
    for (String key : KEYS) {
      String value = properties.getProperty(key);
      if (value == null) {
        value = env.get(envName(key));
      }
      if (value != null && !value.isBlank()) {
        config.put(key, value);
      }
    }
    if (!config.containsKey(BEDROCK_REGION)) {
      String region = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
      if (region != null && !region.isBlank()) {
        config.put(BEDROCK_REGION, region);
      }
    }
    return config;
  }

  /** {@code reflex.consultant.provider} → {@code REFLEX_CONSULTANT_PROVIDER}. */
  public static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static Supplier<String> apiKey(Map<String, String> config, SecretsProvider secrets) {
    String secret = value(config, OPENAI_API_KEY_SECRET, "");
    if (secret.isEmpty()) {
      return () -> null;
    }
    return () -> new String(secrets.secret(secret), StandardCharsets.UTF_8).strip();
  }

  private static String value(Map<String, String> config, String key, String fallback) {
    String value = config.get(key);
    return value == null || value.isBlank() ? fallback : value.strip();
  }

  private static int integer(Map<String, String> config, String key, int fallback) {
    String value = value(config, key, "");
    try {
      return value.isEmpty() ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number: " + value);
    }
  }

  private static double decimal(Map<String, String> config, String key, double fallback) {
    String value = value(config, key, "");
    try {
      return value.isEmpty() ? fallback : Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number: " + value);
    }
  }

  /** {@code 90s}, {@code 500ms}, {@code 2m}, {@code 1h}, a number of seconds, or ISO-8601 {@code PT90S}. */
  static Duration duration(Map<String, String> config, String key, Duration fallback) {
    String value = value(config, key, "").toLowerCase(Locale.ROOT);
    if (value.isEmpty()) {
      return fallback;
    }
    Matcher m = SHORT_DURATION.matcher(value);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2) == null ? "s" : m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofSeconds(amount);
      };
    }
    try {
      return Duration.parse(value.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(key + " must be a duration such as 90s: " + value);
    }
  }

  private static Prices prices(Map<String, String> config, Prices fallback) {
    return new Prices(decimal(config, PRICE_INPUT, fallback.inputPerMTok()),
        decimal(config, PRICE_OUTPUT, fallback.outputPerMTok()),
        decimal(config, PRICE_CACHE_READ, fallback.cacheReadPerMTok()),
        decimal(config, PRICE_CACHE_WRITE, fallback.cacheWritePerMTok()));
  }

  /** One regular expression per line. */
  private static List<Pattern> patterns(Map<String, String> config) {
    List<Pattern> patterns = new ArrayList<>();
    for (String line : value(config, EXTRA_PATTERNS, "").split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        patterns.add(Pattern.compile(line.strip()));
      } catch (PatternSyntaxException e) {
        // the pattern itself may be sensitive: name the key and the position only
        throw new IllegalArgumentException(EXTRA_PATTERNS + " has an invalid regular expression at index "
            + e.getIndex());
      }
    }
    return patterns;
  }
}
