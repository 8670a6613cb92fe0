package io.github.cassandrasnapshotter.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.agent.AgentEvent;
import io.github.cassandrasnapshotter.agent.FileAction;
import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.agent.FileResult;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the coordinator makes of an agent's event lines: its own count of results against the agent's. */
class HostEventCollectorTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static HostEventCollector collector() {
        return new HostEventCollector("h1", new ProgressReporter(new PrintStream(PrintStream.nullOutputStream()), true),
                JSON);
    }

    static String line(AgentEvent event) throws Exception {
        return JSON.writeValueAsString(event);
    }

    static FileResult stored(String name) {
        return new FileResult("/d/ks/t-1/snapshots/s/" + name, name, "k/" + name, "ks", "t", FileKind.SNAPSHOT,
                FileAction.UPLOADED, 10L, 8L, "aa", 1L, "lzo", 1, null, null, 1L, 2L, null);
    }

    @Test
    void anAgentWhoseCountsAgreeWithItsResultsSucceeds() throws Exception {
        HostEventCollector collector = collector();
        collector.acceptLine(line(AgentEvent.start(Version.CURRENT, 2, 20, null)));
        collector.acceptLine(line(AgentEvent.file(stored("a"))));
        collector.acceptLine(line(AgentEvent.file(stored("b"))));
        collector.acceptLine("{\"type\":\"DONE\",\"filesDone\":2,\"bytesDone\":20,\"filesFailed\":0,\"fileList\":\"k/list.json\"}");
        HostResult result = collector.result();
        assertNull(result.error());
        assertEquals(2, result.uploaded().size());
    }

    @Test
    void aResultLostOnTheWayFailsTheHost() throws Exception {
        HostEventCollector collector = collector();
        collector.acceptLine(line(AgentEvent.start(Version.CURRENT, 2, 20, null)));
        collector.acceptLine(line(AgentEvent.file(stored("a"))));
        collector.acceptLine("{\"type\":\"DONE\",\"filesDone\":2,\"bytesDone\":20,\"filesFailed\":0,\"fileList\":\"k/list.json\"}");
        String error = collector.result().error();
        assertTrue(error != null && error.contains("reported 2 of 2 files done (0 failed), but 1 results"), error);
    }

    @Test
    void aLineThatIsNotAnEventOnceTheAgentStartedFailsTheHost() throws Exception {
        HostEventCollector collector = collector();
        collector.acceptLine("Welcome to node 1"); // a login script, before the agent: ignored
        collector.acceptLine(line(AgentEvent.start(Version.CURRENT, 1, 10, null)));
        collector.acceptLine("{\"type\":\"FILE\",\"file\":{\"path\":"); // a result cut in half
        collector.acceptLine(line(AgentEvent.file(stored("a"))));
        collector.acceptLine("{\"type\":\"DONE\",\"filesDone\":1,\"bytesDone\":10,\"filesFailed\":0,\"fileList\":\"k/list.json\"}");
        String error = collector.result().error();
        assertTrue(error != null && error.contains("wrote a line that is not one of its events"), error);
    }

    @Test
    void anAgentThatStoredNoFileListFailsTheHost() throws Exception {
        HostEventCollector collector = collector();
        collector.acceptLine(line(AgentEvent.start(Version.CURRENT, 1, 10, null)));
        collector.acceptLine(line(AgentEvent.file(stored("a"))));
        collector.acceptLine("{\"type\":\"DONE\",\"filesDone\":1,\"bytesDone\":10,\"filesFailed\":0}");
        String error = collector.result().error();
        assertTrue(error != null && error.contains("did not store its file list"), error);
    }
}
