package io.github.cassandrasnapshotter.storage;

import io.github.cassandrasnapshotter.validate.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3EndpointTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9000", "https://s3.example.com", "HTTPS://minio.local:9000/", "http://[::1]:9000"})
    void acceptsHttpAndHttpsUrls(String endpoint) {
        assertEquals(endpoint, S3Endpoint.check(endpoint));
    }

    @Test
    void noEndpointIsAws() {
        assertNull(S3Endpoint.check(null));
        assertNull(S3Endpoint.check(" "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "127.0.0.1:9000", "minio.local", "ftp://host", "http://", "http://h:9000?x=1",
            "s3.example.com/path", "http://exa mple.com", "://x"})
    void refusesAnythingElseInOneLine(String endpoint) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> S3Endpoint.check(endpoint));
        assertTrue(e.getMessage().startsWith("invalid --s3-endpoint '" + endpoint + "': expected a URL such as "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aUrlWithAUserAndPasswordIsRefusedWithoutRepeatingThem() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> S3Endpoint.check("http://key:s3cret@127.0.0.1:9000"));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }
}
