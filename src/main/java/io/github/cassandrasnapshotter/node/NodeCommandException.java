package io.github.cassandrasnapshotter.node;

/** A command on a node (nodetool, the agent) failed or could not be started. */
public class NodeCommandException extends RuntimeException {
    public NodeCommandException(String message) {
        super(message);
    }
}
