package dev.reflex.domain.risk;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a shell string into simple commands the way a POSIX shell would, well enough to judge
 * risk: {@code ;}, {@code &}, {@code |}, newlines and parentheses separate commands; command
 * substitutions ({@code $(...)}, backticks, {@code <(...)}) are commands of their own, also inside
 * double quotes; output redirections are reported with their targets. Jinja expressions are
 * replaced by a placeholder first (Ansible renders them from validated variables).
 *
 * <p>When in doubt it splits more, never less: over-splitting can only make a command look more
 * dangerous, never less.
 */
final class ShellLexer {

  static final String JINJA = "__jinja__";
  static final String SUBSTITUTION = "__substitution__";
  private static final Pattern JINJA_EXPRESSION = Pattern.compile("\\{\\{.*?}}|\\{%.*?%}|\\{#.*?#}", Pattern.DOTALL);
  private static final int MAX_DEPTH = 8;

  /** One word of a command; {@code quoted} when any part of it was quoted. */
  record Token(String text, boolean quoted) {}

  /** One simple command: its words and the files its output is redirected to. */
  record Command(List<Token> tokens, List<String> redirectTargets) {
    List<String> words() {
      return tokens.stream().map(Token::text).toList();
    }
  }

  private ShellLexer() {}

  static String maskJinja(String text) {
    return JINJA_EXPRESSION.matcher(text).replaceAll(JINJA);
  }

  /** Every simple command in {@code text}, substitutions included, in order of appearance. */
  static List<Command> commands(String text) {
    List<Command> result = new ArrayList<>();
    split(maskJinja(text), result, 0);
    return result;
  }

  private static void split(String s, List<Command> out, int depth) {
    if (depth > MAX_DEPTH) {
      // absurd nesting: report an unrecognisable command so that it classifies as critical
      out.add(new Command(List.of(new Token(SUBSTITUTION, false)), List.of()));
      return;
    }
    List<Token> tokens = new ArrayList<>();
    List<String> redirects = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean quoted = false;
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\'') {
        int end = s.indexOf('\'', i + 1);
        end = end < 0 ? n : end;
        word.append(s, i + 1, end);
        inWord = true;
        quoted = true;
        i = end + 1;
      } else if (c == '"') {
        i++;
        while (i < n && s.charAt(i) != '"') {
          char d = s.charAt(i);
          if (d == '\\' && i + 1 < n) {
            word.append(s.charAt(i + 1));
            i += 2;
          } else if (d == '$' && i + 1 < n && s.charAt(i + 1) == '(') {
            int end = closing(s, i + 1);
            split(s.substring(i + 2, end), out, depth + 1);
            word.append(SUBSTITUTION);
            i = end + 1;
          } else if (d == '`') {
            int end = s.indexOf('`', i + 1);
            end = end < 0 ? n : end;
            split(s.substring(i + 1, end), out, depth + 1);
            word.append(SUBSTITUTION);
            i = end + 1;
          } else {
            word.append(d);
            i++;
          }
        }
        inWord = true;
        quoted = true;
        i++;
      } else if (c == '\\') {
        if (i + 1 < n && s.charAt(i + 1) != '\n') {
          word.append(s.charAt(i + 1));
          inWord = true;
        }
        i += 2;
      } else if ((c == '$' || c == '<' || c == '>') && i + 1 < n && s.charAt(i + 1) == '(') {
        int end = closing(s, i + 1);
        split(s.substring(i + 2, end), out, depth + 1);
        word.append(SUBSTITUTION);
        inWord = true;
        i = end + 1;
      } else if (c == '`') {
        int end = s.indexOf('`', i + 1);
        end = end < 0 ? n : end;
        split(s.substring(i + 1, end), out, depth + 1);
        word.append(SUBSTITUTION);
        inWord = true;
        i = end + 1;
      } else if (c == '>' || (c == '&' && i + 1 < n && s.charAt(i + 1) == '>')) {
        // a file descriptor number written just before '>' belongs to the redirection
        if (inWord && !quoted && word.toString().matches("\\d+")) {
          word.setLength(0);
          inWord = false;
        }
        flush(tokens, word, inWord, quoted);
        inWord = false;
        quoted = false;
        i = c == '&' ? i + 2 : i + 1;
        while (i < n && (s.charAt(i) == '>' || s.charAt(i) == '|')) {
          i++;
        }
        boolean duplicate = i < n && s.charAt(i) == '&';
        if (duplicate) {
          i++;
        }
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
          i++;
        }
        int start = i;
        while (i < n && " \t\n;&|()<>".indexOf(s.charAt(i)) < 0) {
          i++;
        }
        String target = s.substring(start, i).replace("\"", "").replace("'", "");
        if (!duplicate) {
          redirects.add(target);
        }
      } else if (c == ';' || c == '&' || c == '|' || c == '\n' || c == '\r' || c == '(' || c == ')') {
        flush(tokens, word, inWord, quoted);
        inWord = false;
        quoted = false;
        end(out, tokens, redirects);
        tokens = new ArrayList<>();
        redirects = new ArrayList<>();
        i++;
      } else if (c == '#' && !inWord) {
        while (i < n && s.charAt(i) != '\n') {
          i++;
        }
      } else if (Character.isWhitespace(c)) {
        flush(tokens, word, inWord, quoted);
        inWord = false;
        quoted = false;
        i++;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    flush(tokens, word, inWord, quoted);
    end(out, tokens, redirects);
  }

  private static void flush(List<Token> tokens, StringBuilder word, boolean inWord, boolean quoted) {
    if (inWord) {
      tokens.add(new Token(word.toString(), quoted));
    }
    word.setLength(0);
  }

  private static void end(List<Command> out, List<Token> tokens, List<String> redirects) {
    if (!tokens.isEmpty() || !redirects.isEmpty()) {
      out.add(new Command(List.copyOf(tokens), List.copyOf(redirects)));
    }
  }

  /** Index of the parenthesis closing the one at {@code open}, or the end of the text. */
  private static int closing(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return s.length();
  }
}
