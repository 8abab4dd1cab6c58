/** Pool and keepalive settings that keep pooled connections valid through the PrivateLink path. */
import { PRIVATELINK_IDLE_TIMEOUT_SECONDS } from "../../vocabulary";

/**
 * How long pooled connections may idle, and the TCP keepalives that keep the path's idle timers from expiring.
 * The proxy closes a client connection idle for `proxyIdleTimeoutSeconds` (cleanly); the PrivateLink path drops
 * a flow idle for `pathIdleTimeoutSeconds` (silently: the next query hangs). A pool that retires connections
 * after `poolIdleTimeoutSeconds` never reuses one the proxy closed, and keepalives every `tcpKeepaliveSeconds`
 * keep a busy-but-quiet connection (a long query, a held transaction) from being dropped by the path. Both hold
 * whether or not keepalives also reset the proxy's own idle timer, which AWS does not document.
 */
export interface Keepalive {
    /** The proxy's idle client timeout, when the producer says it. */
    readonly proxyIdleTimeoutSeconds?: number;
    /** The fixed idle limit of interface VPC endpoints. */
    readonly pathIdleTimeoutSeconds: number;
    /** Retire pooled connections idle this long. */
    readonly poolIdleTimeoutSeconds: number;
    /** Send TCP keepalives after this much silence. */
    readonly tcpKeepaliveSeconds: number;
    /** libpq connection parameters (psql, most PostgreSQL drivers built on libpq). */
    readonly libpq: string;
    /** node-postgres Pool options. */
    readonly nodePostgres: string;
    /** mysql2 pool options. */
    readonly mysql2: string;
    /** JDBC driver and HikariCP settings. */
    readonly jdbc: string;
}

/** Keepalive and pool settings for a proxy idle timeout (undefined: the producer did not say). */
export function keepalive(proxyIdleTimeoutSeconds: number | undefined): Keepalive {
    const idle = Math.min(
        proxyIdleTimeoutSeconds ?? PRIVATELINK_IDLE_TIMEOUT_SECONDS,
        PRIVATELINK_IDLE_TIMEOUT_SECONDS,
    );
    const pool = Math.max(1, Math.floor(idle * 0.8));
    const tcp = Math.max(1, Math.min(60, Math.floor(pool / 2)));
    return {
        ...(proxyIdleTimeoutSeconds !== undefined ? { proxyIdleTimeoutSeconds } : {}),
        pathIdleTimeoutSeconds: PRIVATELINK_IDLE_TIMEOUT_SECONDS,
        poolIdleTimeoutSeconds: pool,
        tcpKeepaliveSeconds: tcp,
        libpq: `keepalives=1 keepalives_idle=${tcp} keepalives_interval=10 keepalives_count=3`,
        nodePostgres:
            `new pg.Pool({ keepAlive: true, keepAliveInitialDelayMillis: ${tcp * 1000}, ` +
            `idleTimeoutMillis: ${pool * 1000}, ... })`,
        // mysql2 retires idle connections only when maxIdle is below connectionLimit (lib/base/pool.js starts its
        // idle timer only then; maxIdle defaults to connectionLimit), so the example sets both.
        mysql2:
            `mysql.createPool({ enableKeepAlive: true, keepAliveInitialDelay: ${tcp * 1000}, ` +
            `connectionLimit: 10, maxIdle: 9, idleTimeout: ${pool * 1000}, ... })`,
        jdbc:
            `tcpKeepAlive=true in the JDBC URL (the OS keepalive timer applies: set net.ipv4.tcp_keepalive_time to ` +
            `${tcp} or less); HikariCP: idleTimeout=${pool * 1000}, keepaliveTime=${tcp * 1000}`,
    };
}
