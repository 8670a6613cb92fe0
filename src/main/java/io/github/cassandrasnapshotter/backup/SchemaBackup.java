package io.github.cassandrasnapshotter.backup;

/**
 * Whether and how a run stores the schema ({@code --backup-schema}), dumped with cqlsh on the first host.
 * {@link #toString()} never shows the password: it reaches the node only on cqlsh's stdin ({@link SchemaDumper}).
 *
 * @param backupSchema  {@code --backup-schema}
 * @param cqlshPath     cqlsh on the nodes ({@code --cassandra-bin-dir}/cqlsh)
 * @param cqlshUser     {@code --cqlsh-user}; null for none
 * @param cqlshPassword {@code --cqlsh-password} (or its file or environment variable); null for none
 */
public record SchemaBackup(boolean backupSchema, String cqlshPath, String cqlshUser, String cqlshPassword) {

    /** No schema stored. */
    public static SchemaBackup none(String cqlshPath) {
        return new SchemaBackup(false, cqlshPath, null, null);
    }

    @Override
    public String toString() {
        return "SchemaBackup[backupSchema=" + backupSchema + ", cqlshPath=" + cqlshPath + ", cqlshUser=" + cqlshUser
                + (cqlshPassword == null ? "" : ", cqlshPassword=***") + "]";
    }
}
