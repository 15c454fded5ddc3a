package dev.reflex.adapters.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/** Creating the playbook repository the embedded default starts with. */
public final class PlaybookRepositories {

  public static final String MAIN = "main";

  private PlaybookRepositories() {}

  /**
   * Creates a bare repository at {@code bare} whose {@code main} holds one commit with the
   * content of {@code templateDir} (e.g. {@code playbook-repo-template/}). Idempotent: when
   * {@code main} already exists nothing changes.
   *
   * @return the commit at the tip of {@code main}
   */
  public static synchronized String initBare(Path bare, Path templateDir) {
    try {
      Repository repository;
      if (Files.isRegularFile(bare.resolve("HEAD"))) {
        repository = Git.open(bare.toFile()).getRepository();
      } else {
        repository = Git.init().setBare(true).setInitialBranch(MAIN).setDirectory(bare.toFile()).call().getRepository();
      }
      try (repository) {
        ObjectId existing = repository.resolve(Constants.R_HEADS + MAIN);
        if (existing != null) {
          return existing.name();
        }
        return commitTemplate(repository, templateDir).name();
      }
    } catch (GitAPIException | IOException e) {
      throw new PlaybookRepositoryException("cannot create the playbook repository " + bare + ": " + e.getMessage(), e);
    }
  }

  /**
   * The target branch of {@code config}'s remote checked out in {@code dir}: cloned the first time,
   * then fetched and reset to the remote's tip, so it reads what reviewers merged (playbooks, rules,
   * policies). Credentials, when configured, are asked for at each fetch and never written to disk.
   *
   * @return the commit checked out
   */
  public static synchronized String checkoutTarget(GitRepositoryConfig config, Path dir) {
    org.eclipse.jgit.transport.CredentialsProvider credentials = config.credentials()
        .map(supplier -> supplier.get())
        .map(c -> (org.eclipse.jgit.transport.CredentialsProvider)
            new org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider(c.user(), c.token()))
        .orElse(null);
    String remoteBranch = "refs/remotes/origin/" + config.targetBranch();
    try {
      Git git;
      if (Files.isDirectory(dir.resolve(".git"))) {
        git = Git.open(dir.toFile());
        git.fetch().setRemote("origin").setCredentialsProvider(credentials)
            .setRefSpecs(new org.eclipse.jgit.transport.RefSpec("+refs/heads/" + config.targetBranch() + ":"
                + remoteBranch)).call();
      } else {
        git = Git.cloneRepository().setURI(config.remoteUri()).setBranch(config.targetBranch())
            .setCredentialsProvider(credentials).setDirectory(dir.toFile()).call();
      }
      try (git) {
        ObjectId tip = git.getRepository().resolve(remoteBranch);
        if (tip == null) {
          throw new IOException("branch " + config.targetBranch() + " not found on the remote");
        }
        git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(tip.name()).call();
        return tip.name();
      }
    } catch (GitAPIException | IOException e) {
      throw new PlaybookRepositoryException("cannot check out " + config.targetBranch() + " of "
          + config.remoteUri() + " into " + dir + ": " + e.getClass().getSimpleName(), e);
    }
  }

  private static ObjectId commitTemplate(Repository repository, Path templateDir) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(templateDir)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> !templateDir.relativize(p).toString().replace('\\', '/').startsWith(".git/"))
          .sorted().toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (files.isEmpty()) {
      throw new IOException("template folder " + templateDir + " has no files");
    }
    try (ObjectInserter inserter = repository.newObjectInserter()) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      for (Path file : files) {
        DirCacheEntry entry = new DirCacheEntry(templateDir.relativize(file).toString().replace('\\', '/'));
        entry.setFileMode(Files.isExecutable(file) ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE);
        entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, Files.readAllBytes(file)));
        builder.add(entry);
      }
      builder.finish();
      ObjectId tree = index.writeTree(inserter);
      PersonIdent reflex = new PersonIdent(JGitPlaybookRepository.REFLEX, java.time.Instant.now());
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      commit.setAuthor(reflex);
      commit.setCommitter(reflex);
      commit.setMessage("Playbook repository from the Reflex template\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      RefUpdate update = repository.updateRef(Constants.R_HEADS + MAIN);
      update.setNewObjectId(id);
      update.setExpectedOldObjectId(ObjectId.zeroId());
      RefUpdate.Result result = update.update();
      if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD) {
        throw new IOException("cannot create branch main: " + result);
      }
      return id;
    }
  }
}
