package dev.reflex.domain.gate;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables a Jinja template reads, as far as the gate needs them: the first name of every
 * variable in {@code {{ ... }}} and {@code {% ... %}}, leaving out attributes ({@code item.path}
 * gives {@code item}), filters and tests ({@code | quote}, {@code is defined}), function calls,
 * keyword arguments, string literals and Jinja keywords.
 */
final class JinjaReferences {

  private static final Pattern EXPRESSION = Pattern.compile("\\{\\{(.*?)}}|\\{%(.*?)%}", Pattern.DOTALL);
  private static final Pattern STRING = Pattern.compile("'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "is", "if", "else", "elif", "endif",
      "for", "endfor", "true", "false", "none", "True", "False", "None", "recursive", "set", "endset", "with",
      "endwith", "loop");

  private JinjaReferences() {}

  /** Names read anywhere in plain data (strings, maps, lists). */
  static Set<String> in(Object data) {
    Set<String> names = new LinkedHashSet<>();
    collect(data, names);
    return names;
  }

  static Set<String> inText(String text) {
    Set<String> names = new LinkedHashSet<>();
    Matcher expression = EXPRESSION.matcher(text);
    while (expression.find()) {
      String body = expression.group(1) != null ? expression.group(1) : expression.group(2);
      String code = STRING.matcher(body).replaceAll("''");
      Matcher name = NAME.matcher(code);
      while (name.find()) {
        if (name.start() > 0 && Character.isDigit(code.charAt(name.start() - 1))) {
          continue;
        }
        String before = previousToken(code, name.start());
        String after = nextChar(code, name.end());
        String word = name.group();
        boolean attribute = before.equals(".");
        boolean filterOrTest = before.equals("|") || before.equals("is") || before.equals("not")
            && previousToken(code, code.lastIndexOf("not", name.start())).equals("is");
        boolean call = after.equals("(");
        boolean keywordArgument = after.equals("=") && !code.startsWith("==", skipSpaces(code, name.end()));
        if (!attribute && !filterOrTest && !call && !keywordArgument && !KEYWORDS.contains(word)) {
          names.add(word);
        }
      }
    }
    return names;
  }

  private static void collect(Object data, Set<String> names) {
    if (data instanceof String s) {
      names.addAll(inText(s));
    } else if (data instanceof Map<?, ?> map) {
      map.values().forEach(v -> collect(v, names));
    } else if (data instanceof List<?> list) {
      list.forEach(v -> collect(v, names));
    }
  }

  private static String previousToken(String code, int end) {
    int i = end - 1;
    while (i >= 0 && Character.isWhitespace(code.charAt(i))) {
      i--;
    }
    if (i < 0) {
      return "";
    }
    if (!Character.isLetterOrDigit(code.charAt(i)) && code.charAt(i) != '_') {
      return String.valueOf(code.charAt(i));
    }
    int start = i;
    while (start > 0 && (Character.isLetterOrDigit(code.charAt(start - 1)) || code.charAt(start - 1) == '_')) {
      start--;
    }
    return code.substring(start, i + 1);
  }

  private static int skipSpaces(String code, int from) {
    int i = from;
    while (i < code.length() && Character.isWhitespace(code.charAt(i))) {
      i++;
    }
    return i;
  }

  private static String nextChar(String code, int from) {
    int i = skipSpaces(code, from);
    return i < code.length() ? String.valueOf(code.charAt(i)) : "";
  }
}
