package io.github.cassandrasnapshotter.agent;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes an incremental run's {@code backups/} links, and only after the run's file list is stored
 * (docs/design.md, "Record before removal"): each removed link is then named by that list, or, when it is
 * covered, by the parent snapshot's. It stops at once when the agent is asked to stop; a link left
 * in place is simply stored again (or found stored) by the next run.
 */
final class LinkRemover {
    /** What was removed: {@code covered} of the {@code removed} links are of SSTables the parent snapshot holds. */
    record Outcome(int removed, int covered, List<String> errors) {
        static final Outcome NONE = new Outcome(0, 0, List.of());
    }

    private LinkRemover() {
    }

    static Outcome removeAll(List<FileResult> results, AgentStop stop) {
        int removed = 0;
        int covered = 0;
        List<String> errors = new ArrayList<>();
        for (FileResult result : results) {
            if (!result.linkToRemove()) {
                continue;
            }
            if (stop.requested()) {
                break;
            }
            String error = remove(result);
            if (error == null) {
                removed++;
                covered += result.action() == FileAction.COVERED_BY_SNAPSHOT ? 1 : 0;
            } else {
                errors.add(error);
            }
        }
        return new Outcome(removed, covered, errors);
    }

    /** Removes one link; the reason it could not, or null. */
    private static String remove(FileResult result) {
        try {
            Files.deleteIfExists(java.nio.file.Path.of(result.path()));
            return null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (AccessDeniedException e) {
            return "cannot remove " + result.path() + ": permission denied";
        } catch (IOException e) {
            return "cannot remove " + result.path() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }
}
