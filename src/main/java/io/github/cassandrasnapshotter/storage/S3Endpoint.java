package io.github.cassandrasnapshotter.storage;

import io.github.cassandrasnapshotter.validate.InvalidInputException;

import java.net.URI;
import java.net.URISyntaxException;

/** {@code --s3-endpoint}: checked as bad input before anything is touched, as the S3 client would refuse it later. */
public final class S3Endpoint {
    private S3Endpoint() {
    }

    /** @return the endpoint, or null when none was given (AWS) */
    public static String check(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return null;
        }
        String value = endpoint.strip();
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getUserInfo() == null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        // Not repeated when it may hold a user and password.
        StringBuilder shown = new StringBuilder();
        value.codePoints().limit(80).forEach(c -> shown.append(Character.isISOControl(c) ? '?' : Character.toString(c)));
        throw new InvalidInputException("invalid --s3-endpoint" + (value.contains("@") ? "" : " '" + shown + "'")
                + ": expected a URL such as http://127.0.0.1:9000 or https://s3.example.com (no user, query or fragment)");
    }
}
