/**
 * The `connection` output: everything an application needs to connect with full TLS verification, except the
 * password. Pure: built from the producer's contract alone.
 */
import { ContractV1 } from "../../vocabulary";

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
