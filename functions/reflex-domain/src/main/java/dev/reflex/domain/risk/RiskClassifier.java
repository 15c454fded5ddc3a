package dev.reflex.domain.risk;

import static dev.reflex.domain.model.RiskClass.CRITICAL_WRITE;
import static dev.reflex.domain.model.RiskClass.READ_ONLY;
import static dev.reflex.domain.model.RiskClass.SAFE_WRITE;

import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import dev.reflex.domain.risk.ShellLexer.Command;
import dev.reflex.domain.risk.ShellLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Computes the risk class of a step from what it does (module and arguments), never from the class
 * the playbook declares. Fail safe: anything not recognised is {@link RiskClass#CRITICAL_WRITE}.
 *
 * <p>A shell string is split into its simple commands (see {@link ShellLexer}); the step is as
 * risky as its most dangerous command, command substitutions and output redirections included.
 * Each verdict comes with a reason phrased to follow the step name: "deletes data".
 */
public final class RiskClassifier {

  /** A computed risk class and why, e.g. {@code critical_write} because it "deletes data". */
  public record Assessment(RiskClass risk, String reason) {
    public Assessment {
      Objects.requireNonNull(risk, "risk");
      Objects.requireNonNull(reason, "reason");
    }

    Assessment max(Assessment other) {
      return other.risk.ordinal() > risk.ordinal() ? other : this;
    }
  }

  private static final Assessment READS = new Assessment(READ_ONLY, "only reads");

  private static final Set<String> READ_ONLY_MODULES = Set.of("stat", "find", "wait_for", "assert", "debug",
      "set_fact", "fail", "ping", "setup", "slurp", "gather_facts", "service_facts", "package_facts", "pause",
      "k8s_info", "k8s_log", "systemd_info");
  private static final Set<String> CONFIG_MODULES =
      Set.of("lineinfile", "replace", "template", "copy", "blockinfile", "ini_file");
  private static final Set<String> SERVICE_MODULES = Set.of("systemd", "service", "systemd_service", "sysvinit");
  private static final Set<String> USER_MODULES = Set.of("user", "group", "authorized_key");
  private static final Set<String> PACKAGE_MODULES =
      Set.of("package", "apt", "yum", "dnf", "pip", "snap", "zypper", "apk", "homebrew", "dpkg_selections");
  private static final Set<String> FIREWALL_MODULES = Set.of("iptables", "ufw", "firewalld", "nftables");

  private static final Set<String> READ_ONLY_PROGRAMS = Set.of("cat", "ls", "df", "du", "ps", "ss", "netstat",
      "grep", "egrep", "fgrep", "zgrep", "zcat", "head", "tail", "uptime", "free", "wc", "echo", "printf", "true",
      "false", "sleep", "date", "whoami", "id", "uname", "nproc", "pgrep", "lsof", "vmstat", "iostat", "mpstat",
      "dig", "nslookup", "ping", "test", "[", "which", "stat", "pwd", "cut", "jq", "lsblk", "findmnt", "getent",
      "tr");
  private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ksh");
  private static final Set<String> DELETE_PROGRAMS = Set.of("rm", "unlink", "shred", "srm", "wipe");
  private static final Set<String> DISK_PROGRAMS =
      Set.of("dd", "mke2fs", "wipefs", "fdisk", "sfdisk", "parted", "mkswap", "truncate");
  private static final Set<String> HOST_PROGRAMS = Set.of("reboot", "shutdown", "halt", "poweroff", "init", "telinit");
  private static final Set<String> FIREWALL_PROGRAMS =
      Set.of("iptables", "ip6tables", "iptables-restore", "ip6tables-restore", "nft", "ufw", "firewall-cmd");
  private static final Set<String> USER_PROGRAMS = Set.of("useradd", "userdel", "usermod", "groupadd", "groupdel",
      "groupmod", "passwd", "chpasswd", "gpasswd", "adduser", "deluser", "addgroup", "delgroup", "visudo");
  private static final Set<String> PACKAGE_PROGRAMS =
      Set.of("apt", "apt-get", "yum", "dnf", "rpm", "dpkg", "pip", "pip3", "snap", "zypper", "apk", "brew", "npm");
  private static final Set<String> PACKAGE_REMOVAL =
      Set.of("remove", "purge", "erase", "autoremove", "uninstall", "-e", "-r", "-p", "--purge", "--remove");
  private static final Set<String> SILENT_OUTPUTS = Set.of("/dev/null", "/dev/stdout", "/dev/stderr", "-");

  private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");
  private static final Pattern ROTATED_LOG = Pattern.compile(
      "(?i).+\\.log(?:\\.\\d+(?:\\.gz)?|-\\d{8}(?:\\.gz)?|\\.gz)|.+\\.\\d+\\.gz");
  private static final Set<String> SYSTEM_DIRECTORIES = Set.of("/", "/etc", "/usr", "/bin", "/sbin", "/lib",
      "/lib64", "/var", "/home", "/root", "/boot", "/opt", "/srv", "/dev", "/proc", "/sys");

  /** The risk of {@code action}. */
  public RiskClass classify(StepAction action) {
    return assess(action).risk();
  }

  /**
   * The risk of running the step: its action's, or its own verification's when that is higher (a
   * verification should only read, and the gate refuses one that does not; a playbook that skipped
   * the gate still cannot hide a write there from the decision). The class the step declares is
   * ignored.
   */
  public RiskClass classify(PlaybookStep step) {
    RiskClass risk = assess(step.action()).risk();
    return step.verification() == null ? risk : risk.max(assess(step.verification()).risk());
  }

  /** Steps that declare a lower class than Reflex computes, as readable sentences. */
  public List<String> mismatches(Playbook playbook) {
    List<String> result = new ArrayList<>();
    for (PlaybookStep step : playbook.steps()) {
      Assessment computed = assess(step.action());
      if (computed.risk().ordinal() > step.declaredRisk().ordinal()) {
        result.add("step \"" + step.name() + "\" declared " + step.declaredRisk().wireName() + " but "
            + computed.reason() + ": " + computed.risk().wireName());
      }
    }
    return result;
  }

  /** The risk of {@code action} and the reason for it. */
  public Assessment assess(StepAction action) {
    Objects.requireNonNull(action, "action");
    String module = action.shortModule().toLowerCase(Locale.ROOT);
    if (READ_ONLY_MODULES.contains(module)) {
      return READS;
    }
    if (CONFIG_MODULES.contains(module)) {
      return configChange(firstArg(action, "path", "dest", "name"));
    }
    if (SERVICE_MODULES.contains(module)) {
      return serviceModule(action);
    }
    if (USER_MODULES.contains(module)) {
      return critical("changes users or groups");
    }
    if (PACKAGE_MODULES.contains(module)) {
      String state = lower(action.arg("state"));
      return critical("absent".equals(state) || "removed".equals(state) ? "removes packages"
          : "installs or changes packages");
    }
    if (FIREWALL_MODULES.contains(module)) {
      return critical("changes the firewall");
    }
    return switch (module) {
      case "command", "shell", "raw" -> commandModule(action);
      case "uri" -> uri(action);
      case "file" -> fileModule(action);
      case "archive" -> archive(action);
      case "reboot" -> critical("reboots the host");
      case "k8s_scale" -> new Assessment(SAFE_WRITE, "scales a workload");
      case "script" -> critical("runs a script Reflex cannot inspect");
      default -> critical("uses module " + printable(action.module()) + ", which is not recognised");
    };
  }

  /** The risk of a shell command line: that of its most dangerous part. */
  public Assessment assessShell(String commandLine) {
    List<Command> commands = ShellLexer.commands(Objects.requireNonNullElse(commandLine, ""));
    if (commands.isEmpty()) {
      return critical("has an empty command");
    }
    Assessment result = READS;
    for (Command command : commands) {
      result = result.max(command(command.tokens()));
      for (String target : command.redirectTargets()) {
        if (!SILENT_OUTPUTS.contains(target)) {
          result = result.max(critical("writes " + printable(target) + " by shell redirection"));
        }
      }
    }
    return result;
  }

  private Assessment commandModule(StepAction action) {
    Object argv = action.args().get("argv");
    if (argv instanceof List<?> list) {
      if (list.isEmpty()) {
        return critical("has an empty command");
      }
      List<Token> tokens = new ArrayList<>();
      for (Object element : list) {
        tokens.add(new Token(ShellLexer.maskJinja(String.valueOf(element)), true));
      }
      return command(tokens);
    }
    return assessShell(action.commandText());
  }

  // ---- one simple command ------------------------------------------------------------------

  private Assessment command(List<Token> tokens) {
    List<String> words = unwrap(tokens.stream().map(Token::text).toList());
    if (words.isEmpty()) {
      return READS;
    }
    String program = basename(words.get(0)).toLowerCase(Locale.ROOT);
    List<String> args = words.subList(1, words.size());
    if (program.equals("kubectl")) {
      Assessment exec = kubectlExec(args);
      if (exec != null) {
        return exec;
      }
    }
    if (READ_ONLY_PROGRAMS.contains(program)) {
      return READS;
    }
    if (DELETE_PROGRAMS.contains(program)) {
      return critical("deletes data (" + program + ")");
    }
    if (DISK_PROGRAMS.contains(program) || program.startsWith("mkfs")) {
      return critical("overwrites or formats data (" + program + ")");
    }
    if (HOST_PROGRAMS.contains(program)) {
      return critical("stops or restarts the host (" + program + ")");
    }
    if (FIREWALL_PROGRAMS.contains(program)) {
      return critical("changes the firewall (" + program + ")");
    }
    if (USER_PROGRAMS.contains(program)) {
      return critical("changes users or groups (" + program + ")");
    }
    if (PACKAGE_PROGRAMS.contains(program)) {
      boolean removes = args.stream().map(arg -> arg.toLowerCase(Locale.ROOT)).anyMatch(PACKAGE_REMOVAL::contains);
      return critical(removes ? "removes packages (" + program + ")" : "installs or changes packages (" + program + ")");
    }
    if (SHELLS.contains(program)) {
      int c = args.indexOf("-c");
      return c >= 0 && c + 1 < args.size() ? assessShell(args.get(c + 1))
          : critical("runs a script Reflex cannot inspect (" + program + ")");
    }
    return switch (program) {
      case "journalctl" -> args.stream().anyMatch(arg -> arg.startsWith("--vacuum") || arg.equals("--rotate")
          || arg.equals("--flush")) ? new Assessment(SAFE_WRITE, "rotates or vacuums the journal") : READS;
      case "top" -> args.stream().anyMatch(arg -> arg.equals("--batch") || shortFlag(arg, 'b')) ? READS
          : critical("runs top interactively (only top -b is recognised)");
      case "curl" -> curl(args);
      case "find" -> find(args);
      case "systemctl" -> systemctl(args);
      case "service" -> service(args);
      case "kubectl" -> kubectl(args);
      case "openssl" -> openssl(args);
      case "psql" -> psql(args);
      case "docker" -> docker(args);
      case "nginx" -> nginx(args);
      case "certbot" -> certbot(args);
      case "logrotate" -> new Assessment(SAFE_WRITE, "rotates logs");
      case "mkdir", "touch" -> new Assessment(SAFE_WRITE, "creates a file or directory");
      case "rmdir" -> new Assessment(SAFE_WRITE, "removes an empty directory");
      case "mv", "cp" -> args.stream().anyMatch(arg -> arg.equals("--no-clobber") || shortFlag(arg, 'n'))
          ? new Assessment(SAFE_WRITE, (program.equals("mv") ? "moves" : "copies") + " files without overwriting")
          : critical((program.equals("mv") ? "moves" : "copies") + " files and may overwrite some");
      case "kill", "pkill", "killall" -> critical("kills processes");
      case "chmod", "chown", "chgrp", "chattr", "setfacl" -> critical("changes file ownership or permissions");
      default -> critical("runs " + printable(program) + ", which is not a recognised command");
    };
  }

  /** Drops wrappers that run another command: variable assignments, sudo, env, timeout, nice, xargs... */
  private static List<String> unwrap(List<String> words) {
    int i = 0;
    while (i < words.size()) {
      String word = words.get(i);
      if (ASSIGNMENT.matcher(word).matches()) {
        i++;
        continue;
      }
      String program = basename(word).toLowerCase(Locale.ROOT);
      switch (program) {
        case "sudo" -> i = skipFlags(words, i + 1, Set.of("-u", "-g", "-U", "-C", "-h", "-p", "-r", "-t", "-D"));
        case "env" -> {
          i = skipFlags(words, i + 1, Set.of("-u", "-C", "--unset", "--chdir"));
          while (i < words.size() && ASSIGNMENT.matcher(words.get(i)).matches()) {
            i++;
          }
        }
        case "timeout" -> {
          i = skipFlags(words, i + 1, Set.of("-s", "-k", "--signal", "--kill-after"));
          i++; // the duration
        }
        case "nice" -> i = skipFlags(words, i + 1, Set.of("-n", "--adjustment"));
        case "ionice" -> i = skipFlags(words, i + 1, Set.of("-c", "-n", "-p", "-P", "-u"));
        case "stdbuf" -> i = skipFlags(words, i + 1, Set.of("-i", "-o", "-e"));
        case "xargs" -> i = skipFlags(words, i + 1,
            Set.of("-I", "-n", "-P", "-d", "-L", "-s", "-E", "-a", "--max-args", "--max-procs", "--delimiter"));
        case "nohup", "time", "command", "exec", "builtin" -> i++;
        default -> {
          return words.subList(i, words.size());
        }
      }
    }
    return List.of();
  }

  private static int skipFlags(List<String> words, int from, Set<String> flagsWithValue) {
    int i = from;
    while (i < words.size() && words.get(i).startsWith("-") && words.get(i).length() > 1) {
      i += flagsWithValue.contains(words.get(i)) ? 2 : 1;
    }
    return i;
  }

  // ---- programs ------------------------------------------------------------------------------

  private static final String CURL_SHORT_WITH_VALUE = "AbcCdDeEFHKmorTuUwxXyYzQ";

  private static Assessment curl(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq);
        String value = eq >= 0 ? arg.substring(eq + 1) : i + 1 < args.size() ? args.get(i + 1) : "";
        if (name.equals("--request") && !isGetOrHead(value)) {
          return critical("sends an HTTP " + printable(value) + " request (curl)");
        }
        if (name.startsWith("--data") || name.equals("--upload-file") || name.startsWith("--form")
            || name.equals("--json")) {
          return critical("sends data to a remote system (curl " + name + ")");
        }
        if (name.equals("--output") && !SILENT_OUTPUTS.contains(value)) {
          return critical("writes a local file (curl --output)");
        }
        if (name.startsWith("--remote-name")) {
          return critical("writes a local file (curl --remote-name)");
        }
      } else if (arg.startsWith("-") && arg.length() > 1) {
        for (int j = 1; j < arg.length(); j++) {
          char flag = arg.charAt(j);
          if (flag == 'O') {
            return critical("writes a local file (curl -O)");
          }
          if (CURL_SHORT_WITH_VALUE.indexOf(flag) >= 0) {
            String value = j + 1 < arg.length() ? arg.substring(j + 1) : i + 1 < args.size() ? args.get(i + 1) : "";
            if (flag == 'X' && !isGetOrHead(value)) {
              return critical("sends an HTTP " + printable(value) + " request (curl)");
            }
            if (flag == 'd' || flag == 'T' || flag == 'F') {
              return critical("sends data to a remote system (curl -" + flag + ")");
            }
            if (flag == 'o' && !SILENT_OUTPUTS.contains(value)) {
              return critical("writes a local file (curl -o)");
            }
            if (j + 1 == arg.length()) {
              i++;
            }
            break;
          }
        }
      }
    }
    return new Assessment(READ_ONLY, "only reads (HTTP GET)");
  }

  private static boolean isGetOrHead(String method) {
    String upper = method.toUpperCase(Locale.ROOT);
    return upper.equals("GET") || upper.equals("HEAD");
  }

  private Assessment find(List<String> args) {
    Assessment result = READS;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("-delete")) {
        return critical("deletes files (find -delete)");
      }
      if (arg.startsWith("-fprint") || arg.equals("-fls")) {
        return critical("writes a file (find " + arg + ")");
      }
      if (arg.equals("-exec") || arg.equals("-execdir") || arg.equals("-ok") || arg.equals("-okdir")) {
        List<Token> executed = new ArrayList<>();
        int j = i + 1;
        while (j < args.size() && !args.get(j).equals(";") && !args.get(j).equals("+")) {
          executed.add(new Token(args.get(j), true));
          j++;
        }
        result = result.max(executed.isEmpty() ? critical("runs an empty command (find -exec)") : command(executed));
        i = j;
      }
    }
    return result;
  }

  private static Assessment systemctl(List<String> args) {
    List<String> positional = positional(args, Set.of("-H", "--host", "-M", "--machine", "-t", "--type", "-p",
        "--property", "-n", "--lines", "-o", "--output", "--state", "-s", "--signal"));
    String verb = positional.isEmpty() ? "status" : positional.get(0).toLowerCase(Locale.ROOT);
    return switch (verb) {
      case "status", "is-active", "is-enabled", "is-failed", "show", "list-units", "list-unit-files",
          "list-timers", "list-sockets", "list-dependencies", "cat", "help" -> READS;
      case "restart", "try-restart", "reload-or-restart", "try-reload-or-restart" ->
          new Assessment(SAFE_WRITE, "restarts a service");
      case "reload" -> new Assessment(SAFE_WRITE, "reloads a service");
      case "start" -> new Assessment(SAFE_WRITE, "starts a service");
      case "daemon-reload", "reset-failed" -> new Assessment(SAFE_WRITE, "reloads systemd");
      case "stop", "kill", "disable", "mask", "isolate" -> critical("stops or disables a service (systemctl " + verb + ")");
      case "reboot", "poweroff", "halt", "kexec", "emergency", "rescue", "suspend", "hibernate" ->
          critical("stops or restarts the host (systemctl " + verb + ")");
      default -> critical("runs systemctl " + printable(verb) + ", which is not recognised");
    };
  }

  private static Assessment service(List<String> args) {
    List<String> positional = positional(args, Set.of());
    String verb = positional.size() < 2 ? "" : positional.get(1).toLowerCase(Locale.ROOT);
    return switch (verb) {
      case "status" -> READS;
      case "restart", "reload", "start", "force-reload", "try-restart" ->
          new Assessment(SAFE_WRITE, "restarts or reloads a service");
      default -> critical("runs service " + printable(verb) + ", which is not recognised");
    };
  }

  private static final Set<String> KUBECTL_FLAGS_WITH_VALUE = Set.of("-n", "--namespace", "--context",
      "--kubeconfig", "--cluster", "--user", "-s", "--server", "--token", "--as", "--as-group",
      "--request-timeout", "-o", "--output", "-l", "--selector", "-c", "--container", "--type", "-p", "--patch",
      "--replicas", "--timeout", "-f", "--filename", "--tail", "--since", "-L", "--field-selector",
      "--revision", "--to-revision", "--sort-by", "--template");

  /**
   * {@code kubectl exec POD -- COMMAND}: as risky as the command it runs inside the pod; an exec
   * whose command cannot be seen (no {@code --}) is critical. Null when this is not an exec.
   */
  private Assessment kubectlExec(List<String> args) {
    int dashes = args.indexOf("--");
    List<String> before = dashes < 0 ? args : args.subList(0, dashes);
    List<String> positional = positional(before, KUBECTL_FLAGS_WITH_VALUE);
    if (positional.isEmpty() || !positional.get(0).equalsIgnoreCase("exec")) {
      return null;
    }
    if (dashes < 0 || dashes == args.size() - 1) {
      return critical("runs a command inside a pod that Reflex cannot see (kubectl exec without --)");
    }
    List<Token> inner = new ArrayList<>();
    for (String word : args.subList(dashes + 1, args.size())) {
      inner.add(new Token(word, true));
    }
    Assessment assessed = command(inner);
    return new Assessment(assessed.risk(), assessed.reason() + " inside a pod (kubectl exec)");
  }

  private static Assessment kubectl(List<String> args) {
    List<String> positional = positional(args, KUBECTL_FLAGS_WITH_VALUE);
    if (positional.isEmpty()) {
      return critical("runs kubectl without a recognised command");
    }
    String verb = positional.get(0).toLowerCase(Locale.ROOT);
    String object = positional.size() > 1 ? positional.get(1).toLowerCase(Locale.ROOT) : "";
    return switch (verb) {
      case "get", "describe", "logs", "top", "explain", "version", "api-resources", "api-versions",
          "cluster-info", "events", "diff" -> READS;
      case "auth" -> object.equals("can-i") ? READS : critical("changes Kubernetes access (kubectl auth)");
      case "rollout" -> switch (object) {
        case "status", "history" -> READS;
        case "restart" -> new Assessment(SAFE_WRITE, "restarts a workload (kubectl rollout restart)");
        case "undo" -> critical("rolls back a deployment (kubectl rollout undo)");
        default -> critical("runs kubectl rollout " + printable(object) + ", which is not recognised");
      };
      case "scale" -> new Assessment(SAFE_WRITE, "scales a workload (kubectl scale)");
      case "patch", "annotate", "label" -> object.startsWith("configmap") || object.startsWith("cm/")
          || object.equals("cm")
          ? new Assessment(SAFE_WRITE, "changes configuration (kubectl " + verb + " configmap)")
          : critical("changes Kubernetes resources (kubectl " + verb + ")");
      case "delete" -> critical("deletes Kubernetes resources (kubectl delete)");
      case "drain", "cordon", "taint" -> critical("takes a node out of service (kubectl " + verb + ")");
      default -> critical("changes Kubernetes resources (kubectl " + printable(verb) + ")");
    };
  }

  private static Assessment openssl(List<String> args) {
    String verb = args.isEmpty() ? "" : args.get(0).toLowerCase(Locale.ROOT);
    return switch (verb) {
      case "x509" -> args.contains("-noout") && !args.contains("-out") ? READS
          : critical("writes a certificate file (openssl x509 without -noout)");
      case "s_client", "verify", "version", "ciphers" -> READS;
      default -> critical("runs openssl " + printable(verb) + ", which is not recognised");
    };
  }

  private static final Pattern SQL_DELETES = Pattern.compile("(?i)\\b(drop|delete|truncate)\\b");
  private static final Pattern SQL_WRITES = Pattern.compile(
      "(?i)\\b(insert|update|alter|create|grant|revoke|copy|into|call|do|vacuum|reindex|cluster|lock|set|reset"
          + "|comment|refresh|merge|import|pg_reload_conf|pg_rotate_logfile|set_config|lo_import|lo_export"
          + "|pg_promote|pg_switch_wal|nextval|setval|dblink\\w*)\\b");
  private static final Pattern SQL_TERMINATES = Pattern.compile("(?i)\\bpg_(terminate|cancel)_backend\\b");
  private static final Pattern SQL_READ = Pattern.compile("(?i)\\s*(select|show|explain|table|values)\\b.*", Pattern.DOTALL);

  private static Assessment psql(List<String> args) {
    List<String> sql = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if ((arg.equals("-c") || arg.equals("--command")) && i + 1 < args.size()) {
        sql.add(args.get(++i));
      } else if (arg.startsWith("--command=")) {
        sql.add(arg.substring("--command=".length()));
      } else if (arg.startsWith("-c") && arg.length() > 2) {
        sql.add(arg.substring(2));
      } else if (arg.equals("-f") || arg.equals("--file") || arg.startsWith("--file=")) {
        return critical("runs an SQL file Reflex cannot inspect (psql -f)");
      }
    }
    if (sql.isEmpty()) {
      return critical("runs SQL Reflex cannot inspect (psql without -c)");
    }
    Assessment result = READS;
    for (String text : sql) {
      for (String statement : text.split(";")) {
        if (statement.isBlank()) {
          continue;
        }
        if (SQL_DELETES.matcher(statement).find()) {
          return critical("deletes data (SQL)");
        }
        if (!SQL_READ.matcher(statement).matches() || statement.toLowerCase(Locale.ROOT).contains("analyze")
            || SQL_WRITES.matcher(statement).find()) {
          result = result.max(critical("changes the database (SQL)"));
        } else if (SQL_TERMINATES.matcher(statement).find()) {
          result = result.max(new Assessment(SAFE_WRITE, "terminates database sessions (SQL)"));
        }
      }
    }
    return result;
  }

  private static Assessment docker(List<String> args) {
    List<String> positional = positional(args, Set.of("-H", "--host", "--context", "--config", "-l",
        "--log-level", "-f", "--filter", "--format", "-n", "--tail", "--since", "--until"));
    String verb = positional.isEmpty() ? "" : positional.get(0).toLowerCase(Locale.ROOT);
    if (verb.equals("container") && positional.size() > 1) {
      verb = positional.get(1).toLowerCase(Locale.ROOT);
      verb = verb.equals("ls") ? "ps" : verb;
    }
    return switch (verb) {
      case "ps", "logs", "inspect", "images", "info", "version", "stats", "top", "port", "diff", "events",
          "history" -> READS;
      case "restart", "start" -> new Assessment(SAFE_WRITE, "restarts a container (docker " + verb + ")");
      case "rm", "rmi", "prune", "system", "volume" -> critical("deletes containers or data (docker " + verb + ")");
      default -> critical("runs docker " + printable(verb) + ", which is not recognised");
    };
  }

  private static Assessment nginx(List<String> args) {
    int signal = args.indexOf("-s");
    if (signal >= 0) {
      String value = signal + 1 < args.size() ? args.get(signal + 1).toLowerCase(Locale.ROOT) : "";
      return switch (value) {
        case "reload", "reopen" -> new Assessment(SAFE_WRITE, "reloads nginx");
        case "stop", "quit" -> critical("stops nginx");
        default -> critical("sends nginx an unrecognised signal");
      };
    }
    boolean onlyChecks = !args.isEmpty() && args.stream().allMatch(arg ->
        Set.of("-t", "-T", "-v", "-V", "-q").contains(arg));
    return onlyChecks ? READS : critical("starts or controls nginx in a way that is not recognised");
  }

  private static Assessment certbot(List<String> args) {
    List<String> positional = positional(args, Set.of("--cert-name", "-d", "--domains", "--config-dir"));
    String verb = positional.isEmpty() ? "" : positional.get(0).toLowerCase(Locale.ROOT);
    return switch (verb) {
      case "renew" -> new Assessment(SAFE_WRITE, "renews certificates");
      case "certificates" -> READS;
      default -> critical("runs certbot " + printable(verb) + ", which is not recognised");
    };
  }

  /** Arguments that are not flags nor values of {@code flagsWithValue}. */
  private static List<String> positional(List<String> args, Set<String> flagsWithValue) {
    List<String> result = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("-") && arg.length() > 1) {
        if (flagsWithValue.contains(arg)) {
          i++;
        }
      } else {
        result.add(arg);
      }
    }
    return result;
  }

  // ---- modules -------------------------------------------------------------------------------

  private static Assessment uri(StepAction action) {
    String method = action.arg("method");
    if (action.args().containsKey("dest")) {
      return critical("writes a local file (uri dest)");
    }
    if (method == null || isGetOrHead(method.trim())) {
      return new Assessment(READ_ONLY, "only reads (HTTP GET)");
    }
    return critical("sends an HTTP " + printable(method) + " request");
  }

  private static Assessment serviceModule(StepAction action) {
    if (truthy(action.args().get("masked"))) {
      return critical("masks a service");
    }
    Object enabled = action.args().get("enabled");
    if (enabled != null && !truthy(enabled)) {
      return critical("disables a service");
    }
    String state = lower(action.arg("state"));
    if (state == null) {
      return enabled != null || truthy(action.args().get("daemon_reload"))
          ? new Assessment(SAFE_WRITE, "enables a service or reloads systemd")
          : new Assessment(READ_ONLY, "only reads service status");
    }
    return switch (state) {
      case "restarted" -> new Assessment(SAFE_WRITE, "restarts a service");
      case "started" -> new Assessment(SAFE_WRITE, "starts a service");
      case "reloaded" -> new Assessment(SAFE_WRITE, "reloads a service");
      case "stopped" -> critical("stops a service");
      default -> critical("sets service state " + printable(state) + ", which is not recognised");
    };
  }

  private static Assessment configChange(String path) {
    String p = path == null ? "" : ShellLexer.maskJinja(path);
    if (p.startsWith("/dev/") || p.startsWith("/proc/") || p.startsWith("/sys/") || p.startsWith("/boot/")) {
      return critical("writes a system or device file");
    }
    return new Assessment(SAFE_WRITE, "changes configuration");
  }

  private static Assessment fileModule(StepAction action) {
    String path = ShellLexer.maskJinja(Objects.requireNonNullElse(firstArg(action, "path", "dest", "name"), ""));
    String state = lower(action.arg("state"));
    if ("absent".equals(state)) {
      return disposable(path) ? new Assessment(SAFE_WRITE, "deletes logs or temporary files")
          : critical("deletes data");
    }
    if (truthy(action.args().get("recurse")) && SYSTEM_DIRECTORIES.contains(stripTrailingSlash(path))) {
      return critical("changes a system directory recursively");
    }
    if (state == null || Set.of("directory", "touch", "file", "link", "hard").contains(state)) {
      return new Assessment(SAFE_WRITE, "creates a file or directory or changes its attributes");
    }
    return critical("sets file state " + printable(state) + ", which is not recognised");
  }

  /** Paths whose deletion loses nothing that matters: below /var/log or /tmp, or a rotated log. */
  static boolean disposable(String path) {
    if (path.isEmpty() || path.contains("..") || path.startsWith(ShellLexer.JINJA)) {
      return false;
    }
    boolean below = (path.startsWith("/var/log/") && path.length() > "/var/log/".length())
        || (path.startsWith("/tmp/") && path.length() > "/tmp/".length());
    return below || ROTATED_LOG.matcher(basename(path)).matches();
  }

  private static Assessment archive(StepAction action) {
    Object path = action.args().get("path");
    List<String> paths = new ArrayList<>();
    if (path instanceof List<?> list) {
      list.forEach(element -> paths.add(ShellLexer.maskJinja(String.valueOf(element))));
    } else if (path != null) {
      paths.add(ShellLexer.maskJinja(String.valueOf(path)));
    }
    boolean logs = !paths.isEmpty() && paths.stream().allMatch(p -> !p.contains("..")
        && (p.startsWith("/var/log/") || ROTATED_LOG.matcher(basename(p)).matches()));
    if (logs) {
      return new Assessment(SAFE_WRITE, "archives logs");
    }
    return truthy(action.args().get("remove")) ? critical("archives and deletes files")
        : new Assessment(SAFE_WRITE, "creates an archive");
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static Assessment critical(String reason) {
    return new Assessment(CRITICAL_WRITE, reason);
  }

  private static String firstArg(StepAction action, String... names) {
    for (String name : names) {
      String value = action.arg(name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static String lower(String value) {
    return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
  }

  private static boolean truthy(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    return value != null && Set.of("true", "yes", "on", "1").contains(value.toString().trim().toLowerCase(Locale.ROOT));
  }

  private static boolean shortFlag(String arg, char flag) {
    return arg.length() > 1 && arg.charAt(0) == '-' && arg.charAt(1) != '-' && arg.indexOf(flag) > 0;
  }

  private static String basename(String word) {
    String trimmed = stripTrailingSlash(word);
    int slash = trimmed.lastIndexOf('/');
    return slash < 0 ? trimmed : trimmed.substring(slash + 1);
  }

  private static String stripTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** Untrusted text made safe to quote in a reason: printable ASCII, at most 40 characters. */
  static String printable(String text) {
    if (text == null || text.isEmpty()) {
      return "\"\"";
    }
    String clean = text.replaceAll("[^\\x20-\\x7E]", "?");
    return "\"" + (clean.length() > 40 ? clean.substring(0, 40) + "..." : clean) + "\"";
  }

  /** For tests and tools: every argument value of an action as text, recursively. */
  static List<String> stringValues(Map<String, Object> args) {
    List<String> values = new ArrayList<>();
    args.values().forEach(value -> collect(value, values));
    return values;
  }

  private static void collect(Object value, List<String> out) {
    if (value instanceof Map<?, ?> map) {
      map.values().forEach(v -> collect(v, out));
    } else if (value instanceof Iterable<?> iterable) {
      iterable.forEach(v -> collect(v, out));
    } else if (value instanceof CharSequence text) {
      out.add(text.toString());
    }
  }
}
