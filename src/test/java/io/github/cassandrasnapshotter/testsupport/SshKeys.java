package io.github.cassandrasnapshotter.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test class's SSH host and client keys, made once before its tests:
 * {@code @RegisterExtension static final SshKeys SSH = new SshKeys();} then {@code SSH.keys()}.
 */
public final class SshKeys implements BeforeAllCallback, AfterAllCallback {
    private Path directory;
    private TestSshServer.Keys keys;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("ssh-keys-");
        keys = TestSshServer.Keys.generate(directory);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (directory != null) {
            TempFolders.deleteQuietly(directory);
        }
    }

    public TestSshServer.Keys keys() {
        return keys;
    }
}
