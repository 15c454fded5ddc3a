package dev.reflex.local.app;

import dev.reflex.domain.error.PlaybookAlreadyExistsException;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.port.PlaybookStore;
import java.util.List;
import java.util.Optional;

/**
 * Brings the metadata store in line with the reviewed catalog: a new playbook is added, a new
 * version replaces the content, and what Reflex learned (confidence, counts) is kept.
 */
final class CatalogSync {

  private CatalogSync() {}

  static int sync(List<Playbook> catalog, PlaybookStore store) {
    int changed = 0;
    for (Playbook shipped : catalog) {
      Optional<Playbook> stored = store.find(shipped.id());
      if (stored.isEmpty()) {
        try {
          store.create(shipped);
          changed++;
        } catch (PlaybookAlreadyExistsException raced) {
          // another process synced it first
        }
      } else if (!stored.get().version().equals(shipped.version())) {
        store.update(shipped.withStats(stored.get().stats()).withRevision(stored.get().revision()));
        changed++;
      }
    }
    return changed;
  }
}
