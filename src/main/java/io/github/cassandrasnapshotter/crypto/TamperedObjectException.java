package io.github.cassandrasnapshotter.crypto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;

/**
 * An object encrypted on the node that fails Tink's authentication: a byte of it was changed, it was cut,
 * or it is not ours. A retry does not help; the object is damaged (or planted).
 */
public final class TamperedObjectException extends IOException {
    TamperedObjectException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Tells authentication failures of a decrypting stream from other read errors (the network, the store). */
    public static final class Detecting extends FilterInputStream {
        public Detecting(InputStream decrypting) {
            super(decrypting);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw classified(e);
            }
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            try {
                return super.read(bytes, offset, length);
            } catch (IOException e) {
                throw classified(e);
            }
        }

        private static IOException classified(IOException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof GeneralSecurityException) {
                    return new TamperedObjectException(describe(cause), e);
                }
            }
            String message = e.getMessage() == null ? "" : e.getMessage();
            // Tink's keyset decrypter, when no key of the file opens the object's header
            if (message.contains("No matching key")) {
                return new TamperedObjectException("no key of the key file opens it", e);
            }
            return e;
        }

        private static String describe(Throwable cause) {
            return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        }
    }
}
