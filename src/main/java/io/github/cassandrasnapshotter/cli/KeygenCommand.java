package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.crypto.ClientKeys;
import io.github.cassandrasnapshotter.crypto.InvalidKeyFileException;
import io.github.cassandrasnapshotter.crypto.KeyFile;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code keygen FILE}: a new key file for {@code --encryption-key-file}, or a new primary key in one. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Writes a new key file for --encryption-key-file (mode 0600; an existing file is never "
                + "overwritten). It holds Google Tink keysets: AES256-GCM streaming keys for the data objects and "
                + "HMAC-SHA256 keys for the records. Keep a copy where the bucket's readers cannot reach it: "
                + "without it, the backups made with it cannot be restored.",
                "",
                "With --rotate, adds a new primary key to FILE: new backups use it, and the file still reads every "
                        + "backup made with its older keys."})
public final class KeygenCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The key file to write.")
    Path file;

    @Option(names = "--rotate", description = "Add a new primary key to an existing key file, keeping its older keys.")
    boolean rotate;

    @Override
    public Integer call() {
        try {
            ClientKeys keys;
            if (rotate) {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw new InvalidInputException("keygen --rotate: " + file + " is not a key file (keygen " + file
                            + " makes one)");
                }
                keys = KeyFile.read(file).rotated();
                KeyFile.replace(file, keys);
            } else {
                keys = ClientKeys.generate();
                KeyFile.create(file, keys);
            }
            System.out.println((rotate ? "added key " : "wrote key ") + keys.primaryKeyId() + " to " + file
                    + (rotate ? " (its primary key now; it also holds " + keys.keyIds().subList(1, keys.keyIds().size())
                    + ")" : "") + (rotate ? ": replace every copy of it now (an older copy cannot read what the new key "
                    + "writes or seals)" : ": keep a copy of it away from the bucket"));
            return ExitCode.OK;
        } catch (InvalidKeyFileException e) {
            throw new InvalidInputException("keygen: " + e.getMessage());
        } catch (FileAlreadyExistsException e) {
            throw new InvalidInputException("keygen: " + file + " exists already; a key file is never overwritten "
                    + "(--rotate adds a key to it)");
        } catch (IOException e) {
            throw new InvalidInputException("keygen: cannot write " + file + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }
}
