package dev.reflex.adapters.git;

import dev.reflex.adapters.files.PlaybookYaml;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.port.PlaybookRepository;
import dev.reflex.domain.port.PlaybookRepository.TestCase;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.RebaseCommand;
import org.eclipse.jgit.api.RebaseResult;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryState;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The playbook repository through JGit: each draft is committed on {@code learned/<signature-slug>}
 * (a new branch from the target branch, or one more commit on the existing review branch), with
 * its metadata and test cases in the same commit, and pushed. A push that lost a race (non-fast-forward) is rebased and retried; a push the remote
 * refuses for another reason raises {@link DraftPushRejectedException} and the commit stays in
 * the local clone.
 *
 * <p>One working tree, so every operation is synchronized.
 */
public final class JGitPlaybookRepository implements PlaybookRepository {

  public static final String BRANCH_PREFIX = "learned/";
  public static final String DRAFT_FOLDER = "learned/";
  /** Inside a playbook's folder: {@code tests/<case>/alert.json} and {@code expected.yml}. */
  public static final String TESTS_FOLDER = "tests/";
  public static final PersonIdent REFLEX = new PersonIdent("Reflex", "reflex@localhost");
  static final int PUSH_ATTEMPTS = 3;

  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
  private static final String ORIGIN = "origin";

  private final GitRepositoryConfig config;
  private final Runnable beforePush;
  private Git git;

  public JGitPlaybookRepository(GitRepositoryConfig config) {
    this(config, () -> {});
  }

  /** @param beforePush called before every push attempt (tests use it to lose a race on purpose) */
  JGitPlaybookRepository(GitRepositoryConfig config, Runnable beforePush) {
    this.config = Objects.requireNonNull(config, "config");
    this.beforePush = beforePush;
  }

  /** The review branch of a draft: {@code learned/<signature slug>}, or its id without a signature. */
  public static String branchFor(Playbook draft) {
    String slug = draft.signature() != null ? draft.signature().slug() : draft.id();
    String branch = BRANCH_PREFIX + slug;
    if (!Repository.isValidRefName(Constants.R_HEADS + branch)) {
      branch = BRANCH_PREFIX + slug.replace('.', '-');
    }
    return branch;
  }

  /** Where a draft's file lives in the repository: {@code learned/<id>/<file>}. */
  public static String draftPath(Playbook draft, String file) {
    return DRAFT_FOLDER + draft.id() + "/" + file;
  }

  /**
   * The committed {@code playbook.yml} of a drafted playbook, at its commit SHA; empty when the
   * playbook has no commit or the file is not there. Suits {@code AnsibleExecutor}'s content source.
   */
  public Optional<String> committedPlaybook(Playbook draft) {
    if (draft.commitSha() == null) {
      return Optional.empty();
    }
    return readFile(draft.commitSha(), draftPath(draft, PlaybookYaml.PLAYBOOK_FILE));
  }

  @Override
  public synchronized CommitRef proposeDraft(Playbook draft, String message, List<TestCase> tests) {
    Objects.requireNonNull(draft, "draft");
    Objects.requireNonNull(message, "message");
    List<TestCase> cases = List.copyOf(tests);
    String branch = branchFor(draft);
    String ref = Constants.R_HEADS + branch;
    try {
      Git git = open();
      fetch(git);
      startBranch(git, branch);
      RevCommit commit = writeAndCommit(git, draft, cases, message);
      ObjectId head = commit == null ? git.getRepository().resolve(Constants.HEAD) : commit.getId();
      for (int attempt = 1; ; attempt++) {
        beforePush.run();
        RemoteRefUpdate update = push(git, ref);
        RemoteRefUpdate.Status status = update.getStatus();
        switch (status) {
          case OK, UP_TO_DATE -> {
            return new CommitRef(branch, git.getRepository().resolve(Constants.HEAD).name());
          }
          case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
            if (attempt >= PUSH_ATTEMPTS) {
              throw new DraftPushRejectedException(branch, head.name(), "push of " + branch
                  + " still not a fast-forward after " + PUSH_ATTEMPTS + " attempts; the commit is kept locally");
            }
            fetch(git);
            catchUp(git, draft, cases, message, Constants.R_REMOTES + ORIGIN + "/" + branch);
          }
          default -> throw new DraftPushRejectedException(branch, git.getRepository().resolve(Constants.HEAD).name(),
              "the remote refused " + branch + " (" + status + (update.getMessage() == null ? ""
                  : ": " + sanitize(update.getMessage())) + "); the commit is kept locally");
        }
      }
    } catch (GitAPIException | IOException | RuntimeException e) {
      if (e instanceof DraftPushRejectedException rejected) {
        throw rejected;
      }
      throw failure("cannot propose " + draft.id() + " on " + branch, e);
    }
  }

  @Override
  public synchronized Optional<String> readFile(String commitSha, String path) {
    if (commitSha == null || !SHA.matcher(commitSha).matches()) {
      throw new IllegalArgumentException("commitSha must be 40 lower-case hex digits");
    }
    try {
      Git git = open();
      Optional<String> content;
      try {
        content = read(git.getRepository(), commitSha, path);
      } catch (MissingObjectException e) {
        fetch(git); // another instance may have pushed it
        try {
          content = read(git.getRepository(), commitSha, path);
        } catch (MissingObjectException again) {
          content = Optional.empty();
        }
      }
      return content;
    } catch (GitAPIException | IOException | RuntimeException e) {
      throw failure("cannot read " + path + " at " + commitSha, e);
    }
  }

  private static Optional<String> read(Repository repository, String commitSha, String path) throws IOException {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(commitSha));
      try (TreeWalk tree = TreeWalk.forPath(repository, path, commit.getTree())) {
        if (tree == null || tree.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
          return Optional.empty();
        }
        ObjectLoader loader = repository.open(tree.getObjectId(0), Constants.OBJ_BLOB);
        return Optional.of(new String(loader.getBytes(), StandardCharsets.UTF_8));
      }
    }
  }

  // ---------------------------------------------------------------- review (local provider, sync)

  /** The target branch's files below {@code folders}, read at its tip on the remote. */
  public record TargetTree(String commitSha, java.util.Map<String, String> files) {}

  /** The tip of {@code branch} on the remote, if the branch exists there. */
  public synchronized Optional<String> remoteHead(String branch) {
    try {
      Git git = open();
      fetch(git);
      Ref ref = git.getRepository().exactRef(Constants.R_REMOTES + ORIGIN + "/" + branch);
      return ref == null ? Optional.empty() : Optional.of(ref.getObjectId().name());
    } catch (GitAPIException | IOException | RuntimeException e) {
      throw failure("cannot read branch " + branch, e);
    }
  }

  /**
   * Merges the review branch into the target branch (fast-forward when possible, otherwise a merge
   * commit by Reflex) and pushes the target branch.
   *
   * @return the target branch's new tip
   * @throws PlaybookRepositoryException on a conflict (nothing is pushed) or a refused push
   */
  public synchronized String mergeIntoTarget(String branch, String message) {
    String target = config.targetBranch();
    try {
      Git git = open();
      fetch(git);
      cleanUp(git);
      Repository repository = git.getRepository();
      ObjectId source = repository.resolve(Constants.R_REMOTES + ORIGIN + "/" + branch);
      if (source == null) {
        throw new IllegalStateException("branch " + branch + " does not exist on the remote");
      }
      String remoteTarget = Constants.R_REMOTES + ORIGIN + "/" + target;
      boolean localExists = repository.exactRef(Constants.R_HEADS + target) != null;
      git.checkout().setName(target).setCreateBranch(!localExists).setStartPoint(localExists ? null : remoteTarget)
          .setForced(true).call();
      git.reset().setMode(ResetCommand.ResetType.HARD).setRef(remoteTarget).call();
      org.eclipse.jgit.api.MergeResult result = git.merge().include(source)
          .setFastForward(org.eclipse.jgit.api.MergeCommand.FastForwardMode.FF).setCommit(true)
          .setMessage(message).call();
      if (!result.getMergeStatus().isSuccessful()) {
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(remoteTarget).call();
        throw new IllegalStateException(branch + " does not merge cleanly into " + target + " ("
            + result.getMergeStatus() + "): rebase it first");
      }
      RemoteRefUpdate update = push(git, Constants.R_HEADS + target);
      if (update.getStatus() != RemoteRefUpdate.Status.OK && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
        throw new IllegalStateException("the remote refused " + target + " (" + update.getStatus() + ")");
      }
      return repository.resolve(Constants.HEAD).name();
    } catch (GitAPIException | IOException | RuntimeException e) {
      throw failure("cannot merge " + branch + " into " + target, e);
    }
  }

  /** Creates the annotated tag {@code name} at {@code commitSha} and pushes it; an existing one is kept. */
  public synchronized void tag(String name, String commitSha, String message) {
    try {
      Git git = open();
      Repository repository = git.getRepository();
      String ref = Constants.R_TAGS + name;
      if (repository.exactRef(ref) == null) {
        try (RevWalk walk = new RevWalk(repository)) {
          RevCommit commit = walk.parseCommit(ObjectId.fromString(commitSha));
          git.tag().setName(name).setObjectId(commit).setAnnotated(true).setMessage(message)
              .setTagger(new PersonIdent(REFLEX, java.time.Instant.now())).setSigned(false).call();
        }
      }
      RemoteRefUpdate update = push(git, ref);
      if (update.getStatus() != RemoteRefUpdate.Status.OK && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
        throw new IllegalStateException("the remote refused tag " + name + " (" + update.getStatus() + ")");
      }
    } catch (GitAPIException | IOException | RuntimeException e) {
      throw failure("cannot tag " + name, e);
    }
  }

  /** The files below {@code folders} (e.g. {@code playbooks/}, {@code learned/}) on the target branch. */
  public synchronized TargetTree readTarget(List<String> folders) {
    try {
      Git git = open();
      fetch(git);
      Repository repository = git.getRepository();
      ObjectId tip = repository.resolve(Constants.R_REMOTES + ORIGIN + "/" + config.targetBranch());
      if (tip == null) {
        throw new IllegalStateException("target branch '" + config.targetBranch() + "' not found on the remote");
      }
      java.util.Map<String, String> files = new java.util.TreeMap<>();
      try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
        tree.addTree(walk.parseCommit(tip).getTree());
        tree.setRecursive(true);
        while (tree.next()) {
          String path = tree.getPathString();
          if (folders.stream().anyMatch(path::startsWith)) {
            files.put(path, new String(repository.open(tree.getObjectId(0), Constants.OBJ_BLOB).getBytes(),
                StandardCharsets.UTF_8));
          }
        }
      }
      return new TargetTree(tip.name(), files);
    } catch (GitAPIException | IOException | RuntimeException e) {
      throw failure("cannot read " + config.targetBranch(), e);
    }
  }

  // ---------------------------------------------------------------- steps

  private Git open() throws GitAPIException, IOException {
    if (git != null) {
      return git;
    }
    File dir = config.workDir().toFile();
    Git opened;
    if (Files.isDirectory(config.workDir().resolve(".git"))) {
      opened = Git.open(dir);
    } else {
      if (Files.isDirectory(config.workDir())) {
        try (var entries = Files.list(config.workDir())) {
          if (entries.findAny().isPresent()) {
            throw new IllegalStateException("workDir " + config.workDir() + " exists and is not a Git clone");
          }
        }
      }
      opened = Git.cloneRepository().setURI(config.remoteUri()).setDirectory(dir).setRemote(ORIGIN)
          .setCredentialsProvider(credentials()).setNoCheckout(true).call();
    }
    StoredConfig local = opened.getRepository().getConfig();
    local.setString("remote", ORIGIN, "url", config.remoteUri());
    local.setString("user", null, "name", REFLEX.getName());
    local.setString("user", null, "email", REFLEX.getEmailAddress());
    local.setBoolean("commit", null, "gpgsign", false);
    local.save();
    git = opened;
    return git;
  }

  private void fetch(Git git) throws GitAPIException {
    git.fetch().setRemote(ORIGIN).setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"))
        .setRemoveDeletedRefs(true).setCredentialsProvider(credentials()).call();
  }

  /** Checks out {@code branch}: the remote review branch if there is one, else the target branch. */
  private void startBranch(Git git, String branch) throws GitAPIException, IOException {
    Repository repository = git.getRepository();
    cleanUp(git);
    String remoteBranch = Constants.R_REMOTES + ORIGIN + "/" + branch;
    String remoteTarget = Constants.R_REMOTES + ORIGIN + "/" + config.targetBranch();
    String base = repository.exactRef(remoteBranch) != null ? remoteBranch : remoteTarget;
    if (repository.exactRef(base) == null) {
      throw new IllegalStateException("target branch '" + config.targetBranch() + "' not found on the remote");
    }
    boolean localExists = repository.exactRef(Constants.R_HEADS + branch) != null;
    git.checkout().setName(branch).setCreateBranch(!localExists).setStartPoint(localExists ? null : base)
        .setForced(true).call();
    if (localExists) {
      // commits kept from a refused push are replayed on the remote branch; if that fails, start afresh
      rebaseOrReset(git, base);
    }
  }

  /** After a lost race: replay our commit on the remote branch; on conflict, re-apply the draft there. */
  private void catchUp(Git git, Playbook draft, List<TestCase> tests, String message, String remoteBranch)
      throws GitAPIException, IOException {
    if (!rebaseOrReset(git, remoteBranch)) {
      writeAndCommit(git, draft, tests, message);
    }
  }

  /** @return true when the local commits survived (rebased or already contained) */
  private boolean rebaseOrReset(Git git, String upstream) throws GitAPIException, IOException {
    RebaseResult result = git.rebase().setUpstream(upstream).call();
    if (result.getStatus().isSuccessful()) {
      return true;
    }
    if (git.getRepository().getRepositoryState() != RepositoryState.SAFE) {
      git.rebase().setOperation(RebaseCommand.Operation.ABORT).call();
    }
    git.reset().setMode(ResetCommand.ResetType.HARD).setRef(upstream).call();
    return false;
  }

  private static void cleanUp(Git git) throws GitAPIException {
    Repository repository = git.getRepository();
    if (repository.getRepositoryState() == RepositoryState.REBASING
        || repository.getRepositoryState() == RepositoryState.REBASING_MERGE
        || repository.getRepositoryState() == RepositoryState.REBASING_INTERACTIVE) {
      git.rebase().setOperation(RebaseCommand.Operation.ABORT).call();
    }
    try {
      if (repository.resolve(Constants.HEAD) != null) {
        git.reset().setMode(ResetCommand.ResetType.HARD).call();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot resolve HEAD", e);
    }
    git.clean().setCleanDirectories(true).setForce(true).call();
  }

  /** @return the new commit, or {@code null} when the branch already holds exactly this draft */
  private RevCommit writeAndCommit(Git git, Playbook draft, List<TestCase> tests, String message)
      throws GitAPIException, IOException {
    String folder = DRAFT_FOLDER + draft.id() + "/";
    Path dir = config.workDir().resolve(folder);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(PlaybookYaml.PLAYBOOK_FILE), PlaybookYaml.renderPlaybook(draft), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(PlaybookYaml.META_FILE), PlaybookYaml.renderMeta(draft), StandardCharsets.UTF_8);
    org.eclipse.jgit.api.AddCommand add = git.add().addFilepattern(folder + PlaybookYaml.PLAYBOOK_FILE)
        .addFilepattern(folder + PlaybookYaml.META_FILE);
    for (TestCase test : tests) {
      String caseFolder = folder + TESTS_FOLDER + test.name() + "/";
      Path caseDir = Files.createDirectories(config.workDir().resolve(caseFolder));
      Files.writeString(caseDir.resolve(TestCaseFiles.ALERT_FILE), TestCaseFiles.alertJson(test.alert()),
          StandardCharsets.UTF_8);
      Files.writeString(caseDir.resolve(TestCaseFiles.EXPECTED_FILE), TestCaseFiles.expectedYaml(test),
          StandardCharsets.UTF_8);
      add.addFilepattern(caseFolder + TestCaseFiles.ALERT_FILE).addFilepattern(caseFolder + TestCaseFiles.EXPECTED_FILE);
    }
    add.call();
    if (git.status().call().getUncommittedChanges().isEmpty()) {
      return null;
    }
    PersonIdent now = new PersonIdent(REFLEX, java.time.Instant.now());
    return git.commit().setMessage(message).setAuthor(now).setCommitter(now).setSign(false).call();
  }

  private RemoteRefUpdate push(Git git, String ref) throws GitAPIException {
    Iterable<PushResult> results = git.push().setRemote(ORIGIN).setRefSpecs(new RefSpec(ref + ":" + ref))
        .setCredentialsProvider(credentials()).call();
    for (PushResult result : results) {
      RemoteRefUpdate update = result.getRemoteUpdate(ref);
      if (update != null) {
        return update;
      }
    }
    throw new IllegalStateException("the push returned no result for " + ref);
  }

  private CredentialsProvider credentials() {
    return config.credentials()
        .map(supplier -> supplier.get())
        .map(c -> (CredentialsProvider) new UsernamePasswordCredentialsProvider(c.user(), c.token()))
        .orElse(null);
  }

  // ---------------------------------------------------------------- errors

  private PlaybookRepositoryException failure(String what, Exception e) {
    StringBuilder detail = new StringBuilder();
    for (Throwable t = e; t != null && detail.length() < 1000; t = t.getCause()) {
      if (t.getMessage() != null) {
        detail.append(detail.isEmpty() ? "" : ": ").append(t.getMessage());
      }
    }
    RuntimeException cause = new RuntimeException(e.getClass().getName() + ": " + sanitize(detail.toString()));
    cause.setStackTrace(e.getStackTrace());
    return new PlaybookRepositoryException(what + " (" + config.remoteUri() + "): " + sanitize(detail.toString()), cause);
  }

  /** Removes anything credential-like from a message: the token, and user:password in URLs. */
  private String sanitize(String text) {
    String out = text == null ? "" : text;
    List<String> secrets = new ArrayList<>();
    config.credentials().ifPresent(supplier -> {
      try {
        GitRepositoryConfig.Credentials c = supplier.get();
        if (c != null && !c.token().isEmpty()) {
          secrets.add(c.token());
        }
      } catch (RuntimeException ignored) {
        // a failing supplier has nothing to hide
      }
    });
    for (String secret : secrets) {
      out = out.replace(secret, "***");
    }
    return out.replaceAll("(?i)([a-z][a-z0-9+.-]{0,20}://[^/\\s:@]{1,200}):[^@\\s/]{1,200}@", "$1:***@");
  }
}
