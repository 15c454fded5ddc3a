package dev.reflex.domain.risk;

import static dev.reflex.domain.model.RiskClass.CRITICAL_WRITE;
import static dev.reflex.domain.model.RiskClass.READ_ONLY;
import static dev.reflex.domain.model.RiskClass.SAFE_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RiskClassifierTest {

  private final RiskClassifier classifier = new RiskClassifier();

  private RiskClass shell(String command) {
    return classifier.classify(StepAction.of("step", "ansible.builtin.shell", Map.of("cmd", command)));
  }

  private RiskClass module(String module, Object... keyValues) {
    Map<String, Object> args = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      args.put((String) keyValues[i], keyValues[i + 1]);
    }
    return classifier.classify(StepAction.of("step", module, args));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      cat /var/log/app.log                                  | READ_ONLY
      ls -la /var/log                                       | READ_ONLY
      df -h                                                 | READ_ONLY
      du -sh /var/log/app                                   | READ_ONLY
      ps aux                                                | READ_ONLY
      ss -tlnp                                              | READ_ONLY
      netstat -an                                           | READ_ONLY
      grep ERROR /var/log/app.log                           | READ_ONLY
      tail -n 100 /var/log/app.log                          | READ_ONLY
      journalctl -u nginx --since today                     | READ_ONLY
      journalctl --vacuum-time=7d                           | SAFE_WRITE
      uptime                                                | READ_ONLY
      free -m                                               | READ_ONLY
      top -bn1                                              | READ_ONLY
      top                                                   | CRITICAL_WRITE
      curl -s http://localhost:8080/health                  | READ_ONLY
      curl -s -o /dev/null -w '%{http_code}' http://x/      | READ_ONLY
      curl -X GET http://x/                                 | READ_ONLY
      curl -X POST http://x/admin/flush                     | CRITICAL_WRITE
      curl -XDELETE http://x/items                          | CRITICAL_WRITE
      curl --request PUT http://x/                          | CRITICAL_WRITE
      curl -d a=b http://x/                                 | CRITICAL_WRITE
      curl --data-binary @f http://x/                       | CRITICAL_WRITE
      curl -T file http://x/                                | CRITICAL_WRITE
      curl -o /etc/passwd http://x/                         | CRITICAL_WRITE
      systemctl status nginx                                | READ_ONLY
      systemctl is-active nginx                             | READ_ONLY
      systemctl show nginx -p MainPID                       | READ_ONLY
      systemctl restart nginx                               | SAFE_WRITE
      systemctl reload nginx                                | SAFE_WRITE
      systemctl start nginx                                 | SAFE_WRITE
      systemctl stop nginx                                  | CRITICAL_WRITE
      systemctl disable nginx                               | CRITICAL_WRITE
      systemctl reboot                                      | CRITICAL_WRITE
      kubectl get pods -n payments                          | READ_ONLY
      kubectl --namespace payments describe pod x           | READ_ONLY
      kubectl logs deploy/payment-api --tail 100            | READ_ONLY
      kubectl top pods                                      | READ_ONLY
      kubectl -n p rollout status deployment/payment-api    | READ_ONLY
      kubectl rollout history deployment/payment-api        | READ_ONLY
      kubectl -n p rollout restart deployment/payment-api   | SAFE_WRITE
      kubectl -n p exec deploy/payment-api -- curl -s localhost:8080/metrics | READ_ONLY
      kubectl exec -it pod/x -- cat /etc/app.conf           | READ_ONLY
      kubectl exec pod/x -- rm -rf /data                    | CRITICAL_WRITE
      kubectl exec pod/x -- systemctl restart app           | SAFE_WRITE
      kubectl exec pod/x sh                                 | CRITICAL_WRITE
      kubectl exec pod/x --                                 | CRITICAL_WRITE
      kubectl scale deployment/payment-api --replicas=4     | SAFE_WRITE
      kubectl -n p patch configmap payment-api-config -p {} | SAFE_WRITE
      kubectl patch deployment payment-api -p {}            | CRITICAL_WRITE
      kubectl rollout undo deployment/payment-api           | CRITICAL_WRITE
      kubectl delete pod payment-api-1                      | CRITICAL_WRITE
      kubectl drain node-1                                  | CRITICAL_WRITE
      kubectl cordon node-1                                 | CRITICAL_WRITE
      kubectl apply -f x.yaml                               | CRITICAL_WRITE
      openssl x509 -in /etc/ssl/cert.pem -noout -enddate    | READ_ONLY
      openssl x509 -in a.pem -out b.pem                     | CRITICAL_WRITE
      psql -c 'SELECT count(*) FROM pg_stat_activity'       | READ_ONLY
      psql -c 'SHOW max_connections'                        | READ_ONLY
      psql -c 'SELECT 1; SELECT 2'                          | READ_ONLY
      psql -c 'DELETE FROM sessions'                        | CRITICAL_WRITE
      psql -c 'SELECT 1; DROP TABLE users'                  | CRITICAL_WRITE
      psql -c 'UPDATE accounts SET x = 1'                   | CRITICAL_WRITE
      psql -c 'SELECT * INTO copy FROM users'               | CRITICAL_WRITE
      psql -c 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = $$idle$$' | SAFE_WRITE
      psql -f cleanup.sql                                   | CRITICAL_WRITE
      docker ps                                             | READ_ONLY
      docker logs --tail 100 web                            | READ_ONLY
      docker inspect web                                    | READ_ONLY
      docker restart web                                    | SAFE_WRITE
      docker rm -f web                                      | CRITICAL_WRITE
      nginx -t                                              | READ_ONLY
      nginx -s reload                                       | SAFE_WRITE
      nginx -s stop                                         | CRITICAL_WRITE
      certbot renew                                         | SAFE_WRITE
      certbot revoke --cert-path x                          | CRITICAL_WRITE
      find /var/log -name '*.gz' -mtime +7                  | READ_ONLY
      find /var/log -name '*.gz' -delete                    | CRITICAL_WRITE
      find /var/log -name '*.gz' -exec rm {} \\;            | CRITICAL_WRITE
      find /var/log -name '*.gz' -exec ls -l {} +           | READ_ONLY
      rm /var/log/app.log.1                                 | CRITICAL_WRITE
      unlink /tmp/x                                         | CRITICAL_WRITE
      shred -u secrets.txt                                  | CRITICAL_WRITE
      dd if=/dev/zero of=/tmp/x bs=1M count=1               | CRITICAL_WRITE
      mkfs.ext4 /dev/sdb1                                   | CRITICAL_WRITE
      truncate -s 0 /var/log/app.log                        | CRITICAL_WRITE
      reboot                                                | CRITICAL_WRITE
      shutdown -h now                                       | CRITICAL_WRITE
      /sbin/halt                                            | CRITICAL_WRITE
      poweroff                                              | CRITICAL_WRITE
      iptables -A INPUT -p tcp --dport 22 -j DROP           | CRITICAL_WRITE
      useradd mallory                                       | CRITICAL_WRITE
      apt-get remove -y nginx                               | CRITICAL_WRITE
      yum erase nginx                                       | CRITICAL_WRITE
      mv --no-clobber -- /var/log/a.gz /archive/            | SAFE_WRITE
      mv /var/log/a.gz /etc/passwd                          | CRITICAL_WRITE
      frobnicate --all                                      | CRITICAL_WRITE
      sudo systemctl restart nginx                          | SAFE_WRITE
      sudo -u postgres psql -c 'SELECT 1'                   | READ_ONLY
      timeout 10 kubectl get pods                           | READ_ONLY
      FOO=bar env BAZ=1 cat /etc/hosts                      | READ_ONLY
      """)
  void classify_command_computesRiskFromCommandLine(String command, RiskClass expected) {
    assertThat(shell(command)).as(command).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '~', quoteCharacter = '"', textBlock = """
      df -h; rm -rf /var/lib/app                  ~ CRITICAL_WRITE
      df -h && systemctl restart nginx            ~ SAFE_WRITE
      ps aux | grep nginx                         ~ READ_ONLY
      ps aux | xargs kill                         ~ CRITICAL_WRITE
      cat /etc/hosts || reboot                    ~ CRITICAL_WRITE
      echo `rm -rf /tmp/x`                        ~ CRITICAL_WRITE
      echo $(rm -rf /tmp/x)                       ~ CRITICAL_WRITE
      echo "$(shutdown now)"                      ~ CRITICAL_WRITE
      echo '$(shutdown now)'                      ~ READ_ONLY
      grep 'a|b;c' /var/log/app.log               ~ READ_ONLY
      df -h > /dev/null 2>&1                      ~ READ_ONLY
      echo x > /etc/passwd                        ~ CRITICAL_WRITE
      cat /etc/hosts >> /etc/hosts.bak            ~ CRITICAL_WRITE
      bash -c 'systemctl status nginx'            ~ READ_ONLY
      sh -c 'ls; rm -rf /var/lib/app'             ~ CRITICAL_WRITE
      ls & reboot                                 ~ CRITICAL_WRITE
      kubectl get pods --namespace {{ namespace | default('x') }} ~ READ_ONLY
      """)
  void classify_compoundShell_takesMostDangerousPart(String command, RiskClass expected) {
    assertThat(shell(command)).as(command).isEqualTo(expected);
  }

  @Test
  void classify_multilineShell_splitsOnNewlines() {
    assertThat(shell("df -h\nsystemctl status nginx")).isEqualTo(READ_ONLY);
    assertThat(shell("df -h\nrm -rf /var/lib/app")).isEqualTo(CRITICAL_WRITE);
  }

  @Test
  void classify_argvCommand_doesNotInterpretShellOperators() {
    assertThat(module("ansible.builtin.command", "argv", List.of("grep", "a;b|c", "/var/log/app.log")))
        .isEqualTo(READ_ONLY);
    assertThat(module("ansible.builtin.command", "argv", List.of("kubectl", "--namespace", "{{ namespace }}",
        "rollout", "restart", "deployment/{{ service }}"))).isEqualTo(SAFE_WRITE);
    assertThat(module("ansible.builtin.command", "argv", List.of("sh", "-c", "ls; reboot")))
        .isEqualTo(CRITICAL_WRITE);
    assertThat(module("ansible.builtin.command", "argv", List.of("{{ program }}", "x"))).isEqualTo(CRITICAL_WRITE);
  }

  @Test
  void classify_readOnlyModules_areReadOnly() {
    for (String name : List.of("stat", "find", "wait_for", "assert", "debug", "set_fact", "fail", "ping", "setup",
        "slurp")) {
      assertThat(module("ansible.builtin." + name, "path", "/etc")).as(name).isEqualTo(READ_ONLY);
    }
  }

  @Test
  void classify_uri_isReadOnlyOnlyForGetAndHead() {
    assertThat(module("ansible.builtin.uri", "url", "http://x/health")).isEqualTo(READ_ONLY);
    assertThat(module("uri", "url", "http://x/", "method", "HEAD")).isEqualTo(READ_ONLY);
    assertThat(module("uri", "url", "http://x/", "method", "get")).isEqualTo(READ_ONLY);
    assertThat(module("uri", "url", "http://x/", "method", "POST")).isEqualTo(CRITICAL_WRITE);
    assertThat(module("uri", "url", "http://x/", "method", "DELETE")).isEqualTo(CRITICAL_WRITE);
  }

  @Test
  void classify_serviceModules_restartIsSafe_stopIsCritical() {
    for (String name : List.of("ansible.builtin.systemd", "service", "ansible.builtin.systemd_service")) {
      assertThat(module(name, "name", "nginx", "state", "restarted")).as(name).isEqualTo(SAFE_WRITE);
      assertThat(module(name, "name", "nginx", "state", "started")).as(name).isEqualTo(SAFE_WRITE);
      assertThat(module(name, "name", "nginx", "state", "reloaded")).as(name).isEqualTo(SAFE_WRITE);
      assertThat(module(name, "name", "nginx", "state", "stopped")).as(name).isEqualTo(CRITICAL_WRITE);
      assertThat(module(name, "name", "nginx", "enabled", false)).as(name).isEqualTo(CRITICAL_WRITE);
    }
  }

  @Test
  void classify_configModules_areSafeWrites_exceptOnDevices() {
    for (String name : List.of("lineinfile", "replace", "template", "copy", "blockinfile")) {
      assertThat(module("ansible.builtin." + name, "path", "/etc/nginx/nginx.conf")).as(name).isEqualTo(SAFE_WRITE);
    }
    assertThat(module("ansible.builtin.copy", "dest", "/dev/sda", "content", "x")).isEqualTo(CRITICAL_WRITE);
  }

  @Test
  void classify_fileAbsent_isSafeOnlyForLogsAndTemporaryFiles() {
    assertThat(module("file", "path", "/var/log/app/old.log", "state", "absent")).isEqualTo(SAFE_WRITE);
    assertThat(module("file", "path", "/tmp/reflex-scratch", "state", "absent")).isEqualTo(SAFE_WRITE);
    assertThat(module("file", "path", "/srv/app/logs/app.log.3", "state", "absent")).isEqualTo(SAFE_WRITE);
    assertThat(module("file", "path", "/srv/app/logs/app.log.2.gz", "state", "absent")).isEqualTo(SAFE_WRITE);
    assertThat(module("file", "path", "/var/lib/postgresql/data", "state", "absent")).isEqualTo(CRITICAL_WRITE);
    assertThat(module("file", "path", "/var/log", "state", "absent")).isEqualTo(CRITICAL_WRITE);
    assertThat(module("file", "path", "/var/log/../../etc/passwd", "state", "absent")).isEqualTo(CRITICAL_WRITE);
    assertThat(module("file", "path", "{{ target }}", "state", "absent")).isEqualTo(CRITICAL_WRITE);
    assertThat(module("file", "path", "/srv/backups/db.sql.gz", "state", "absent")).isEqualTo(CRITICAL_WRITE);
  }

  @Test
  void classify_fileDirectory_isSafe_butRecursiveOnRootIsCritical() {
    assertThat(module("file", "path", "/var/log-archive/x", "state", "directory")).isEqualTo(SAFE_WRITE);
    assertThat(module("file", "path", "/", "mode", "0777", "recurse", true)).isEqualTo(CRITICAL_WRITE);
  }

  @Test
  void classify_archive_ofLogsIsSafe_deletingOtherFilesIsCritical() {
    assertThat(module("archive", "path", "/var/log/app/*.log.1", "dest", "/archive/a.tgz", "remove", true))
        .isEqualTo(SAFE_WRITE);
    assertThat(module("archive", "path", List.of("/var/lib/app"), "dest", "/archive/a.tgz", "remove", true))
        .isEqualTo(CRITICAL_WRITE);
  }

  @Test
  void classify_userGroupPackageFirewallReboot_areCritical() {
    assertThat(module("ansible.builtin.user", "name", "x")).isEqualTo(CRITICAL_WRITE);
    assertThat(module("ansible.builtin.group", "name", "x")).isEqualTo(CRITICAL_WRITE);
    assertThat(module("ansible.builtin.apt", "name", "nginx", "state", "absent")).isEqualTo(CRITICAL_WRITE);
    assertThat(module("ansible.builtin.iptables", "chain", "INPUT", "flush", true)).isEqualTo(CRITICAL_WRITE);
    assertThat(module("ansible.builtin.reboot")).isEqualTo(CRITICAL_WRITE);
  }

  @Test
  void classify_unknownModule_failsSafeToCritical() {
    assertThat(module("community.general.something_new", "x", "y")).isEqualTo(CRITICAL_WRITE);
  }

  @Test
  void classify_step_ignoresDeclaredClass() {
    PlaybookStep step = new PlaybookStep(StepAction.of("Clean", "shell", Map.of("cmd", "rm -rf /var/lib/app")),
        RiskClass.READ_ONLY, null);
    assertThat(classifier.classify(step)).isEqualTo(CRITICAL_WRITE);
  }

  @Test
  void classify_step_whenItsOwnVerificationWrites_takesTheHigherClass() {
    StepAction restart = StepAction.of("Restart", "ansible.builtin.systemd_service",
        Map.of("name", "api", "state", "restarted"));
    PlaybookStep readingCheck = new PlaybookStep(restart, RiskClass.SAFE_WRITE, null,
        StepAction.of("Check", "ansible.builtin.command", Map.of("argv", List.of("systemctl", "is-active", "api"))));
    PlaybookStep deletingCheck = readingCheck.withVerification(
        StepAction.of("Check", "shell", Map.of("cmd", "rm -rf /var/lib/app")));

    assertThat(classifier.classify(readingCheck)).isEqualTo(SAFE_WRITE);
    assertThat(classifier.classify(deletingCheck)).isEqualTo(CRITICAL_WRITE);
  }

  @Test
  void mismatches_whenDeclaredLowerThanComputed_explainsWhy() {
    Playbook playbook = playbook(
        new PlaybookStep(StepAction.of("Check", "command", Map.of("cmd", "df -h")), READ_ONLY, null),
        new PlaybookStep(StepAction.of("Purge", "shell", Map.of("cmd", "rm -rf /var/lib/app")), SAFE_WRITE, null),
        new PlaybookStep(StepAction.of("Restart", "systemd", Map.of("name", "x", "state", "restarted")),
            CRITICAL_WRITE, null));
    assertThat(classifier.mismatches(playbook)).containsExactly(
        "step \"Purge\" declared safe_write but deletes data (rm): critical_write");
  }

  @Test
  void mismatches_whenDeclaredMatches_isEmpty() {
    Playbook playbook = playbook(
        new PlaybookStep(StepAction.of("Check", "command", Map.of("cmd", "df -h")), READ_ONLY, null));
    assertThat(classifier.mismatches(playbook)).isEmpty();
  }

  @Test
  void assess_hostileProgramName_isQuotedAndBounded() {
    RiskClassifier.Assessment assessment = classifier.assessShell("evil\u0007name" + "x".repeat(100));
    assertThat(assessment.risk()).isEqualTo(CRITICAL_WRITE);
    assertThat(assessment.reason()).doesNotContain("\u0007").hasSizeLessThan(120);
  }

  static Playbook playbook(PlaybookStep... steps) {
    return new Playbook("test-playbook", "1.0.0", "Test", PlaybookSource.CATALOG, PlaybookStatus.ACTIVE,
        List.of("x"), List.of(), null, "", "", List.of(), List.of(steps), null, PlaybookStats.initial(0.8),
        List.of(), "", null, null, 0);
  }
}
