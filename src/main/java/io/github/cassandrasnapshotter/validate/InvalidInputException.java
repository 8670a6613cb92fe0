package io.github.cassandrasnapshotter.validate;

/** Bad usage or input: reported as one line with exit status 2, before anything is touched. */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }
}
