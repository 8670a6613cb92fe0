package io.github.cassandrasnapshotter.crypto;

/** A key file that cannot be used: the message says why as a clause ("it is not JSON"), never its content. */
public final class InvalidKeyFileException extends IllegalArgumentException {
    public InvalidKeyFileException(String reason) {
        super(reason);
    }
}
