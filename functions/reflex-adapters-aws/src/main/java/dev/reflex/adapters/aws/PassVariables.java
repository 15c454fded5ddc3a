package dev.reflex.adapters.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.domain.error.InvalidParameterException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code Variables} parameter of Reflex's pass document: the validated values as one JSON
 * object, base64-encoded. The instance decodes it into a variables file whose every value is
 * {@code !unsafe}, so no character of a value reaches the shell or Ansible's templating, and any
 * value its declared pattern accepts can be sent, {@code :} and {@code /} of a URL included.
 * Like every Run Command parameter it is visible in the console: it holds secret names only.
 */
final class PassVariables {

  /**
   * Refused although the document carries values as data: control characters (line breaks
   * included), the shell's {@code ; $ ` | & < > ' " \} and Jinja's openers. A reviewed play may
   * still hand a value to a {@code shell} task; a label holding them is hostile, not a name or a URL.
   */
  static final Pattern HOSTILE = Pattern.compile("[\\p{Cntrl};$`|&<>'\"\\\\]|\\{[{%#]");
  /** The document's allowedPattern for Variables. */
  static final Pattern BASE64 = Pattern.compile("^[A-Za-z0-9+/]*={0,2}$");

  private static final ObjectMapper JSON = new ObjectMapper();

  private PassVariables() {}

  /**
   * @param values validated by {@link ExtraVariables#values}, declaration order
   * @throws InvalidParameterException naming the parameter whose value is {@link #HOSTILE}
   */
  static String encode(Map<String, String> values) {
    values.forEach((name, value) -> {
      if (HOSTILE.matcher(value).find()) {
        throw new InvalidParameterException(name, "parameter " + name + " contains a control character, one of"
            + " ; $ ` | & < > ' \" \\ or a Jinja delimiter; the value was refused and nothing was sent");
      }
    });
    try {
      byte[] json = JSON.writeValueAsBytes(new LinkedHashMap<>(values));
      return Base64.getEncoder().encodeToString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JSON object {@link #encode} wrote, for tests and tools. */
  static String decode(String encoded) {
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }
}
