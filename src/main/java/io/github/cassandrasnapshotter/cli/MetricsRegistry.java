package io.github.cassandrasnapshotter.cli;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;

/** The process's Micrometer registry, published over JMX under the domain {@value #DOMAIN}. */
final class MetricsRegistry {
    static final String DOMAIN = "cassandra-snapshotter";

    private MetricsRegistry() {
    }

    static MeterRegistry jmx() {
        JmxConfig config = new JmxConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String domain() {
                return DOMAIN;
            }
        };
        return new JmxMeterRegistry(config, Clock.SYSTEM);
    }
}
