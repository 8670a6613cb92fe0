package io.github.cassandrasnapshotter.validate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one format of snapshot and run names, as this tool and cassandra_snapshotter 1.x write them. */
class SnapshotNameTest {

    @Test
    void aNameIsTheUtcSecondItWasTakenAt() {
        Instant taken = Instant.parse("2026-12-02T05:06:28.975Z");
        assertEquals("20261202050628", SnapshotName.of(taken));
        assertEquals(Instant.parse("2026-12-02T05:06:28Z"), SnapshotName.timeOf("20261202050628"));
        assertEquals("20261202050628", SnapshotName.of(SnapshotName.timeOf("20261202050628")), "round trip");
    }

    @Test
    void theOldToolsNamesAreNames() {
        // cassandra_snapshotter 1.x: time.strftime('%Y%m%d%H%M%S', time.gmtime())
        assertTrue(SnapshotName.isName("20200101000000"));
        assertEquals(Instant.parse("2020-01-01T00:00:00Z"), SnapshotName.timeOf("20200101000000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"20241399000000", "20240101235960", "00000101000000"})
    void fourteenDigitsThatAreNoTimeHaveTheShapeButAreNoName(String value) {
        assertTrue(SnapshotName.hasShape(value), value);
        assertFalse(SnapshotName.isName(value), value);
        assertThrows(DateTimeParseException.class, () -> SnapshotName.timeOf(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2026120205062", "202612020506280", "2026-12-02T05", "latest", "LATEST",
            "２０２６１２０２０５０６２８", "20261202050628\n", "_status"})
    void anythingElseIsNeither(String value) {
        assertFalse(SnapshotName.hasShape(value), value);
        assertFalse(SnapshotName.isName(value), value);
    }

    @Test
    void nullIsNeither() {
        assertFalse(SnapshotName.hasShape(null));
        assertFalse(SnapshotName.isName(null));
    }

    /** The command line checks the shape only, with the message it always gave; the bucket's names are checked for a time. */
    @Test
    void theValidatorTakesEveryNameOfTheShape() {
        assertEquals("20241399000000", InputValidator.snapshotName("20241399000000"));
        InvalidInputException bad = assertThrows(InvalidInputException.class, () -> InputValidator.snapshotName("2026"));
        assertEquals("invalid snapshot name '2026': expected a UTC time YYYYmmddHHMMSS", bad.getMessage());
    }
}
