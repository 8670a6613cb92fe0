package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.storage.MultipartUploadStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeAgentPartSizeTest {
    private static final long MB = 1024 * 1024;
    private static final long GB = 1024 * MB;

    @Test
    void theConfiguredPartSizeHoldsWhileTheLargestFileFitsInTenThousandParts() {
        assertEquals(16 * MB, NodeAgent.partSize(16, 0));
        assertEquals(16 * MB, NodeAgent.partSize(16, 100 * GB));
        assertEquals(64 * MB, NodeAgent.partSize(64, 500 * GB));
    }

    @Test
    void aFileTooLargeForTenThousandPartsGetsLargerWholeMegabyteParts() {
        long stored = 500 * GB;
        int partSize = NodeAgent.partSize(16, stored);
        assertEquals(0, partSize % MB);
        assertTrue(partSize > 16 * MB);
        assertTrue((stored + partSize - 1) / partSize < MultipartUploadStream.MAX_PARTS,
                "parts of " + partSize / MB + " MB: " + (stored + partSize - 1) / partSize + " parts");
        assertTrue((stored + partSize - MB - 1) / (partSize - MB) >= MultipartUploadStream.MAX_PARTS - 1,
                "one MB less would not do");
    }
}
