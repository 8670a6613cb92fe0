package io.github.cassandrasnapshotter.node;

/** What the coordinator reads from an agent's stdout, whatever the job. */
public interface AgentEvents {
    /** A line of the agent's stdout; lines that are not events are ignored. */
    void acceptLine(String line);

    boolean started();

    boolean finished();

    /** A reason the node's part failed; the first one is kept. */
    void fail(String reason);
}
