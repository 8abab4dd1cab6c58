/**
 * The `connection` output: everything an application needs to connect with full TLS verification, except the
 * password. Pure: built from the producer's contract alone.
 */
import { ContractV1, PRIVATELINK_IDLE_TIMEOUT_SECONDS } from "../../vocabulary";

/** Public URL of Amazon Root CA 1, the root the RDS Proxy's ACM certificates chain to. */
export const AMAZON_ROOT_CA_1_URL = "https://www.amazontrust.com/repository/AmazonRootCA1.pem";

export const CA_NOTE =
    "RDS Proxy presents a certificate issued by AWS Certificate Manager, which chains to Amazon Root CA 1: " +
    "trust that root. The RDS CA bundle (global-bundle.pem, rds-ca-*) signs the certificates of DB instances " +
    "and clusters, not of a proxy, and fails verification here.";

/** Example client invocations for one endpoint; `<user>` and `<database>` are for the reader to fill in. */
export interface ConnectionExamples {
    /** A psql or mysql command line. */
    readonly cli: string;
    /** A libpq connection URI (PostgreSQL) or a MySQL URI (MySQL Shell, many drivers). */
    readonly url: string;
    /** A JDBC URL (PostgreSQL JDBC driver, or MySQL Connector/J). */
    readonly jdbc: string;
}

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
        mysql2:
            `mysql.createPool({ enableKeepAlive: true, keepAliveInitialDelay: ${tcp * 1000}, ` +
            `idleTimeout: ${pool * 1000}, ... })`,
        jdbc:
            `tcpKeepAlive=true in the JDBC URL (the OS keepalive timer applies: set net.ipv4.tcp_keepalive_time to ` +
            `${tcp} or less); HikariCP: idleTimeout=${pool * 1000}, keepaliveTime=${tcp * 1000}`,
    };
}

export interface Connection {
    /** Hostname to connect to: the proxy's own, which its certificate names. */
    readonly host: string;
    /** TCP port of `host`. */
    readonly port: number;
    /** Hostname of the read-only proxy endpoint, when the producer has one. */
    readonly readOnlyHost?: string;
    /** TCP port of `readOnlyHost`. */
    readonly readOnlyPort?: number;
    /** Aurora engine behind the proxy. */
    readonly engine: ContractV1["engine"];
    /** The TLS mode every client must use (MySQL clients spell it VERIFY_IDENTITY). */
    readonly sslmode: "verify-full";
    /** Where to download the CA certificate to trust. */
    readonly caCertificateUrl: string;
    /** Why that CA, and not the RDS CA bundle. */
    readonly caNote: string;
    /** How `host` resolves to the interface endpoint inside the VPC. */
    readonly dns: string;
    /** Pool and keepalive settings that keep pooled connections valid through the PrivateLink path. */
    readonly keepalive: Keepalive;
    /** Examples for the writer endpoint. */
    readonly examples: ConnectionExamples;
    /** Examples for the read-only endpoint, when there is one. */
    readonly readOnlyExamples?: ConnectionExamples;
}

/** The CA file name the examples assume, as downloaded from `AMAZON_ROOT_CA_1_URL`. */
const CA_FILE = "AmazonRootCA1.pem";

/** Example command lines and URLs for one endpoint, with the engine's spelling of full verification. */
export function examples(engine: ContractV1["engine"], host: string, port: number): ConnectionExamples {
    if (engine === "aurora-mysql") {
        return {
            cli:
                `mysql --host=${host} --port=${port} --user=<user> --password ` +
                `--ssl-mode=VERIFY_IDENTITY --ssl-ca=${CA_FILE} <database>`,
            url: `mysql://<user>@${host}:${port}/<database>?ssl-mode=VERIFY_IDENTITY&ssl-ca=${CA_FILE}`,
            // Connector/J verifies against the JVM trust store, which includes Amazon Root CA 1 in current JDKs.
            jdbc: `jdbc:mysql://${host}:${port}/<database>?sslMode=VERIFY_IDENTITY`,
        };
    }
    return {
        cli: `psql "host=${host} port=${port} dbname=<database> user=<user> sslmode=verify-full sslrootcert=${CA_FILE}"`,
        url: `postgresql://<user>@${host}:${port}/<database>?sslmode=verify-full&sslrootcert=${CA_FILE}`,
        jdbc: `jdbc:postgresql://${host}:${port}/<database>?sslmode=verify-full&sslrootcert=/path/to/${CA_FILE}`,
    };
}

/** The `connection` output for a validated contract. `privateDns` says whether this stack answers the hostnames. */
export function connection(contract: ContractV1, privateDns: boolean): Connection {
    const hosts = contract.readOnlyEndpoint
        ? `${contract.proxyEndpoint} and ${contract.readOnlyEndpoint}`
        : contract.proxyEndpoint;
    return {
        host: contract.proxyEndpoint,
        port: contract.port,
        ...(contract.readOnlyEndpoint !== undefined && contract.readOnlyPort !== undefined
            ? { readOnlyHost: contract.readOnlyEndpoint, readOnlyPort: contract.readOnlyPort }
            : {}),
        engine: contract.engine,
        sslmode: "verify-full",
        caCertificateUrl: AMAZON_ROOT_CA_1_URL,
        caNote: CA_NOTE,
        dns: privateDns
            ? `Private hosted zones of this stack answer ${hosts} with the interface endpoint inside the VPC.`
            : `privateDns is off: make ${hosts} resolve to the interface endpoint (output endpointDnsName) in the ` +
              `VPC yourself, for example with an alias record; connecting to the vpce- name fails verification.`,
        keepalive: keepalive(contract.idleTimeoutSeconds),
        examples: examples(contract.engine, contract.proxyEndpoint, contract.port),
        ...(contract.readOnlyEndpoint !== undefined && contract.readOnlyPort !== undefined
            ? {
                  readOnlyExamples: examples(
                      contract.engine,
                      contract.readOnlyEndpoint,
                      contract.readOnlyPort,
                  ),
              }
            : {}),
    };
}
