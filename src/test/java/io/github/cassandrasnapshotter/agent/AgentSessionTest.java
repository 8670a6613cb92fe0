package io.github.cassandrasnapshotter.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each of the three signals that the agent's session is over, on its own, as the agent sees its streams. */
class AgentSessionTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    static AgentSession session(PipedInputStream in, PrintStream out, Duration silence) {
        return new AgentSession(in, out, JSON, silence, () -> {
            // the test JVM is not halted
        });
    }

    static void awaitStop(AgentSession session, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!session.stop().requested() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void theJobIsTheFirstLineAndTheEndOfStdinStopsTheAgent() throws Exception {
        PipedOutputStream coordinator = new PipedOutputStream();
        AgentSession session = session(new PipedInputStream(coordinator), NOWHERE, Duration.ofMinutes(1));
        coordinator.write("{\"host\":\"h1\"}\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"host\":\"h1\"}", new String(session.readJob(), StandardCharsets.UTF_8));
        session.watch(null);
        Thread.sleep(200);
        assertFalse(session.stop().requested(), "an open stdin is a live session");
        coordinator.close();
        awaitStop(session, Duration.ofSeconds(5));
        assertTrue(session.stop().requested() && session.stop().reason().contains("stdin closed"),
                String.valueOf(session.stop().reason()));
    }

    @Test
    void aWriteToStdoutThatFailsStopsTheAgent() throws Exception {
        PrintStream gone = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        });
        PipedOutputStream coordinator = new PipedOutputStream();
        AgentSession session = session(new PipedInputStream(coordinator), gone, Duration.ofMinutes(1));
        session.send(AgentEvent.progress(1, 10));
        assertTrue(session.stop().requested() && session.stop().reason().contains("cannot write"),
                String.valueOf(session.stop().reason()));
        coordinator.close();
    }

    @Test
    void silenceAfterHeartbeatsStopsTheAgentButACoordinatorThatSendsNoneIsNotTimedOut() throws Exception {
        PipedOutputStream beating = new PipedOutputStream();
        AgentSession lost = session(new PipedInputStream(beating), NOWHERE, Duration.ofMillis(300));
        beating.write("{}\n\n".getBytes(StandardCharsets.UTF_8));
        lost.readJob();
        lost.watch(null);
        awaitStop(lost, Duration.ofSeconds(5));
        assertTrue(lost.stop().requested() && lost.stop().reason().contains("no word from the coordinator"),
                String.valueOf(lost.stop().reason()));

        PipedOutputStream quiet = new PipedOutputStream();
        AgentSession kept = session(new PipedInputStream(quiet), NOWHERE, Duration.ofMillis(300));
        quiet.write("{}\n".getBytes(StandardCharsets.UTF_8));
        kept.readJob();
        kept.watch(null);
        Thread.sleep(1000);
        assertFalse(kept.stop().requested(), "no heartbeat was ever promised: " + kept.stop().reason());
        beating.close();
        quiet.close();
    }
}
