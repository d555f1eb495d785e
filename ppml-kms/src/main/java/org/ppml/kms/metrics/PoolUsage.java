package org.ppml.kms.metrics;

/**
 * How a database connection pool is used at one instant: the hook any store feeds {@link
 * BrokerMetrics#databasePool}. {@code PostgresStore} maps its {@code HikariPoolMXBean}: active,
 * idle, {@code getThreadsAwaitingConnection()} and the configured maximum pool size.
 *
 * @param active connections lent out now
 * @param idle connections open and free
 * @param waiting threads waiting for a connection
 * @param max the most connections the pool opens
 */
public record PoolUsage(int active, int idle, int waiting, int max) {}
