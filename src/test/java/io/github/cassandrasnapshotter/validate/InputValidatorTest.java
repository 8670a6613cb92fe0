package io.github.cassandrasnapshotter.validate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputValidatorTest {

    @ParameterizedTest
    @ValueSource(strings = {"ks1", "system_auth", "A_b_9", "x23456789012345678901234567890123456789012345678"})
    void acceptsCassandraIdentifiers(String name) {
        assertEquals(name, InputValidator.identifier("keyspace", name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ks;touch /tmp/x", "a b", "ks-1", "$(id)", "ks\n", "x234567890123456789012345678901234567890123456789"})
    void rejectsAnythingElseAsAnIdentifier(String name) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InputValidator.identifier("keyspace", name));
        assertTrue(e.getMessage().startsWith("invalid keyspace"), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, "one line: " + e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cass1.example.com", "10.0.0.12", "fe80::1", "node-3"})
    void acceptsHostNamesAndAddresses(String host) {
        assertEquals(host, InputValidator.host(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-oProxyCommand=x", "h;rm", "h h", "a..b", ""})
    void rejectsHostsThatCouldBeOptionsOrShell(String host) {
        assertThrows(InvalidInputException.class, () -> InputValidator.host(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::1", "[2001:db8::1]", "cass1:2222", "10.0.0.1:22", "[::1]:22"})
    void refusesIpv6LiteralsAndHostPortForSsh(String host) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InputValidator.sshHost(host));
        assertEquals("invalid host '" + host + "' in --hosts: IPv6 literals and host:port are not supported; give a "
                + "host name (DNS or /etc/hosts, also for an IPv6 node) and the SSH port with --sshport", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cass1.example.com", "10.0.0.12", "node-3", "localhost"})
    void acceptsHostNamesAndIpv4ForSsh(String host) {
        assertEquals(host, InputValidator.sshHost(host));
    }

    @Test
    void sshHostsAreStillCheckedAsHosts() {
        assertThrows(InvalidInputException.class, () -> InputValidator.sshHost("h;rm"));
        assertThrows(InvalidInputException.class, () -> InputValidator.sshHost(null));
    }

    @Test
    void pathsMayNotStartWithADashOrHoldShellCharacters() {
        assertEquals("/usr/bin/nodetool", InputValidator.path("p", "/usr/bin/nodetool"));
        assertThrows(InvalidInputException.class, () -> InputValidator.path("p", "-rf"));
        assertThrows(InvalidInputException.class, () -> InputValidator.path("p", "/bin/x;id"));
        assertThrows(InvalidInputException.class, () -> InputValidator.path("p", "/a b"));
    }

    @Test
    void snapshotNamesAreUtcTimestamps() {
        assertEquals("20261123224700", InputValidator.snapshotName("20261123224700"));
        assertThrows(InvalidInputException.class, () -> InputValidator.snapshotName("latest; id"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1234abcd-12ab-34cd-56ef-1234567890ab", "alias/cassandra-backups",
            "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:eu-west-1:111122223333:alias/cassandra-backups"})
    void acceptsKmsKeyIdsArnsAndAliases(String key) {
        assertEquals(key, InputValidator.kmsKeyId(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "alias/a b", "key\n", "key\u0000", "\tkey", "k\u00e9y"})
    void rejectsBlankKmsKeyIdsAndThoseWithSpacesOrControlCharacters(String key) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InputValidator.kmsKeyId(key));
        assertTrue(e.getMessage().startsWith("invalid --s3-sse-kms-key-id '"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }
}
