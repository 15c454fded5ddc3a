package dev.reflex.domain.risk;

import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.StepAction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Commands no playbook may contain, whoever wrote it and whatever its risk class: a draft with one
 * is rejected by the gate, and a plan with one is refused.
 *
 * <p>Patterns are regular expressions matched case-insensitively against normalised text (quotes
 * and backslashes removed, whitespace collapsed): the module name, the command line, and every
 * string argument value at any depth, of each step, its rollback and the verification.
 */
public final class ForbiddenCommands {

  /** One forbidden pattern with a readable name. */
  public record Rule(String name, Pattern pattern) {
    public Rule {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(pattern, "pattern");
    }
  }

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern QUOTES = Pattern.compile("[\"'\\\\]");
  private static final String COMMAND_START = "(?:^|[;&|(`{]|\\bsudo|\\bexec|\\bsystemctl|\\bnohup)\\s*(?:/[\\w./-]*/)?";
  private static final String BLOCK_DEVICE = "/dev/(?:sd[a-z]|nvme\\d|xvd[a-z]|vd[a-z]|hd[a-z]|disk|mmcblk\\d|dm-\\d|mapper/)";

  private final List<Rule> rules;

  /** Forbids each pattern (a regular expression), named by itself in violations. */
  public ForbiddenCommands(List<String> patterns) {
    this(patterns.stream().map(pattern -> new Rule(pattern, compile(pattern))).toList(), true);
  }

  private ForbiddenCommands(List<Rule> rules, boolean named) {
    this.rules = List.copyOf(rules);
  }

  /** Forbids named patterns. */
  public static ForbiddenCommands ofRules(List<Rule> rules) {
    return new ForbiddenCommands(rules, true);
  }

  /** The built-in list: commands that destroy a host, its disks, its databases or its firewall. */
  public static ForbiddenCommands defaults() {
    List<Rule> rules = new ArrayList<>();
    rules.add(rule("rm -rf of the root directory",
        "\\brm\\s(?:[^;&|\\n]*\\s)?(?:/\\*?|--no-preserve-root)(?=\\s|$|[;&|)])"));
    rules.add(rule("mkfs (formats a filesystem)", "(?<![\\w-])mkfs(?:\\.\\w+)?(?![\\w-])"));
    rules.add(rule("dd writing to a device", "\\bdd\\b[^;&|\\n]*\\bof=/dev/(?!null\\b|zero\\b|stdout\\b|stderr\\b)"));
    rules.add(rule("DROP DATABASE", "\\bdrop\\s+database\\b"));
    rules.add(rule("DROP TABLE", "\\bdrop\\s+table\\b"));
    rules.add(rule("TRUNCATE (SQL)", "\\btruncate\\s+(?!-)(?:table\\s+)?[a-z_][\\w.]*"));
    rules.add(rule("shutdown/reboot/halt/poweroff of the host",
        COMMAND_START + "(?:shutdown|reboot|halt|poweroff)(?![\\w.-])"));
    rules.add(rule("iptables -F (flushes the firewall)", "\\bip6?tables\\b[^;&|\\n]*\\s(?:(?-i:-F)|--flush)(?![\\w-])"));
    rules.add(rule("fork bomb", "(\\w+|:)\\s*\\(\\s*\\)\\s*\\{\\s*\\1\\s*\\|\\s*\\1\\s*&\\s*}"));
    rules.add(rule("piping a download into a shell", "\\b(?:curl|wget)\\b[^;&\\n]*\\|\\s*(?:sudo\\s+)?(?:ba|z|da|k)?sh\\b"));
    rules.add(rule("chmod -R 777 of the root directory",
        "\\bchmod\\s(?=(?:[^;&|\\n]*\\s)?(?:-[a-z]*r|--recursive))(?=(?:[^;&|\\n]*\\s)?0?777\\b)[^;&|\\n]*\\s/\\*?(?=\\s|$|[;&|)])"));
    rules.add(rule("overwriting a disk by redirection", ">\\s*" + BLOCK_DEVICE));
    return new ForbiddenCommands(rules, true);
  }

  public List<Rule> rules() {
    return rules;
  }

  /** Every forbidden command in the playbook's steps, rollbacks and verifications, naming where. */
  public List<String> violations(Playbook playbook) {
    Set<String> result = new LinkedHashSet<>();
    for (PlaybookStep step : playbook.steps()) {
      check(step.action(), "step \"" + step.name() + "\"", result);
      if (step.rollback() != null) {
        check(step.rollback(), "rollback \"" + step.rollback().name() + "\" of step \"" + step.name() + "\"", result);
      }
      if (step.verification() != null) {
        check(step.verification(), "verification \"" + step.verification().name() + "\" of step \"" + step.name()
            + "\"", result);
      }
    }
    if (playbook.verification() != null) {
      check(playbook.verification(), "verification \"" + playbook.verification().name() + "\"", result);
    }
    return List.copyOf(result);
  }

  /** Every forbidden command in one action. */
  public List<String> violations(StepAction action) {
    Set<String> result = new LinkedHashSet<>();
    check(action, "step \"" + action.name() + "\"", result);
    return List.copyOf(result);
  }

  /** Names of the rules {@code text} breaks. */
  public List<String> matches(String text) {
    String normalised = normalise(text);
    return rules.stream().filter(rule -> rule.pattern().matcher(normalised).find()).map(Rule::name).toList();
  }

  private void check(StepAction action, String where, Set<String> out) {
    for (String text : texts(action)) {
      for (String name : matches(text)) {
        out.add(where + ": forbidden command: " + name);
      }
    }
  }

  private static List<String> texts(StepAction action) {
    List<String> texts = new ArrayList<>();
    texts.add(action.shortModule());
    texts.add(action.commandText());
    texts.addAll(RiskClassifier.stringValues(action.args()));
    return texts;
  }

  static String normalise(String text) {
    if (text == null) {
      return "";
    }
    String unquoted = QUOTES.matcher(text).replaceAll("");
    return WHITESPACE.matcher(unquoted).replaceAll(" ").trim();
  }

  private static Rule rule(String name, String regex) {
    return new Rule(name, compile(regex));
  }

  private static Pattern compile(String regex) {
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  /** For diagnostics: the rule names, in order. */
  @Override
  public String toString() {
    return "ForbiddenCommands" + rules.stream().map(Rule::name).toList();
  }
}
