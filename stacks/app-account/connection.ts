/**
 * The `connection` output: everything an application needs to connect with full TLS verification and to get its
 * credential (an IAM auth token, or the password from the shared secret), never the credential itself. Pure: built
 * from the producer's contract and this account's entry in it.
 */
import { ConsumerAuth, Contract, modeOf, readOnlyPortOf, referenceOf } from "../../vocabulary";
import { examples, type ConnectionExamples, type Target } from "./examples";
import { keepalive, type Keepalive } from "./keepalive";

export { type ConnectionExamples } from "./examples";
export { keepalive, type Keepalive } from "./keepalive";

/** Public URL of Amazon Root CA 1, the root the RDS Proxy's ACM certificates chain to. */
export const AMAZON_ROOT_CA_1_URL = "https://www.amazontrust.com/repository/AmazonRootCA1.pem";

export const CA_NOTE =
    "RDS Proxy presents a certificate issued by AWS Certificate Manager, which chains to Amazon Root CA 1: " +
    "trust that root. The RDS CA bundle (global-bundle.pem, rds-ca-*) signs the certificates of DB instances " +
    "and clusters, not of a proxy, and fails verification here.";

/** Everything one endpoint's clients need: where to connect, as whom, how to get the credential, how to verify. */
export interface EndpointConnection {
    /** The name to dial: one the proxy's certificate covers, answered by the private DNS. */
    readonly host: string;
    /** The TCP port to dial (the NLB listener of this endpoint). */
    readonly port: number;
    /** The database to connect to (`<database>` when the producer does not say). */
    readonly database: string;
    /** The database user (`<user>` when the producer does not describe credentials). */
    readonly user: string;
    /** How the user authenticates; absent when the producer does not describe credentials. */
    readonly auth?: ConsumerAuth["auth"];
    /** iam: the hostname to sign the auth token for, the proxy endpoint's real name (not always `host`). */
    readonly tokenHost?: string;
    /** iam: the port to sign the auth token for, the proxy's port (not always `port`). */
    readonly tokenPort?: number;
    /** iam: the region to sign the auth token in. */
    readonly tokenRegion?: string;
    /** iam: the role in the database account to assume before signing. */
    readonly connectRoleArn?: string;
    /** password: the secret holding the user's password (`username` and `password` keys). */
    readonly secretArn?: string;
    /** password: the customer-managed KMS key that encrypts the secret. */
    readonly secretKeyArn?: string;
    /** The TLS mode (MySQL clients spell it VERIFY_IDENTITY). */
    readonly sslmode: "verify-full";
    /** The CA to trust. */
    readonly caCertificateUrl: string;
    /** Pool and keepalive settings for this path. */
    readonly keepalive: Keepalive;
    /** Working client examples. */
    readonly examples: ConnectionExamples;
}

export interface Connection {
    /** Hostname of the writer endpoint (as `writer.host`). */
    readonly host: string;
    /** TCP port of `host`. */
    readonly port: number;
    /** Hostname of the read-only endpoint, when the producer has one (as `readOnly.host`). */
    readonly readOnlyHost?: string;
    /** TCP port of `readOnlyHost`. */
    readonly readOnlyPort?: number;
    /** The engine behind the proxy (the contract's): what the examples' clients and TLS spellings follow. */
    readonly engine: Contract["engine"];
    /** How this account's applications authenticate; absent when the producer does not describe credentials. */
    readonly auth?: ConsumerAuth["auth"];
    /** How an application gets its credential, in words. */
    readonly credentials: string;
    /** The TLS mode every client must use (MySQL clients spell it VERIFY_IDENTITY). */
    readonly sslmode: "verify-full";
    /** Where to download the CA certificate to trust. */
    readonly caCertificateUrl: string;
    /** Why that CA, and not the RDS CA bundle. */
    readonly caNote: string;
    /** How the hostnames resolve to the path's endpoint inside the VPC. */
    readonly dns: string;
    /** Pool and keepalive settings that keep pooled connections valid through the PrivateLink path. */
    readonly keepalive: Keepalive;
    /** The writer (read/write) endpoint. */
    readonly writer: EndpointConnection;
    /** The read-only endpoint, when the producer has one. */
    readonly readOnly?: EndpointConnection;
}

/** Says how an application gets its credential, or that the producer does not describe it. */
function credentialsNote(consumer: ConsumerAuth | undefined): string {
    if (!consumer) {
        return (
            "The producer's contract does not describe application credentials (a db-account stack of an earlier " +
            "release): ask the database account for a user and how it authenticates. Nothing secret crosses the contract."
        );
    }
    const reference = referenceOf(consumer);
    return modeOf(reference).credentialsNote(reference, consumer.databaseUser);
}

/** How the names clients dial resolve to the path's endpoints inside the VPC, in words. */
function dnsNote(contract: Contract, privateDns: boolean, hosts: string): string {
    if (contract.connectivity.kind === "vpc-lattice") {
        return privateDns
            ? `VPC Lattice answers ${hosts} with the resource endpoints inside the VPC (their private DNS, limited ` +
                  `to exactly these names).`
            : `privateDns is off: make ${hosts} resolve to their resource endpoints in the VPC yourself; connecting ` +
                  `to an endpoint's own name fails verification.`;
    }
    return privateDns
        ? `Private hosted zones of this stack answer ${hosts} with the interface endpoint inside the VPC.`
        : `privateDns is off: make ${hosts} resolve to the interface endpoint (output endpointDnsName) in the ` +
              `VPC yourself, for example with an alias record; connecting to the vpce- name fails verification.`;
}

/**
 * The `connection` output for a validated contract and this account's entry in it (undefined: the contract
 * describes no credentials). `privateDns` says whether this stack answers the hostnames.
 */
export function connection(
    contract: Contract,
    privateDns: boolean,
    consumer: ConsumerAuth | undefined,
): Connection {
    const hosts = contract.readOnlyEndpoint
        ? `${contract.proxyEndpoint} and ${contract.readOnlyEndpoint}`
        : contract.proxyEndpoint;
    const k = keepalive(contract.idleTimeoutSeconds);
    const endpoint = (host: string, port: number, tokenHost: string): EndpointConnection => {
        // IAM auth tokens are SigV4-presigned over host:port, and RDS checks them against its own endpoint, not
        // the name dialled ("You cannot use a custom Route 53 DNS record instead of the DB instance endpoint to
        // generate the authentication token", AWS UsingWithRDS.IAMDBAuth): so the token names the proxy
        // endpoint's real name and the proxy's port, even when clients dial an alias or another listener port.
        const reference = consumer === undefined ? undefined : referenceOf(consumer);
        const target: Target = {
            engine: contract.engine,
            host,
            port,
            database: contract.databaseName ?? "<database>",
            user: consumer?.databaseUser ?? "<user>",
            token: { host: tokenHost, port: contract.port, region: contract.region },
            keepalive: k,
            reference,
        };
        return {
            host,
            port,
            database: target.database,
            user: target.user,
            ...(consumer ? { auth: consumer.auth } : {}),
            ...(reference ? modeOf(reference).examples.endpointFields(reference, target) : {}),
            sslmode: "verify-full",
            caCertificateUrl: AMAZON_ROOT_CA_1_URL,
            keepalive: k,
            examples: examples(target),
        };
    };
    const readOnlyPort = readOnlyPortOf(contract);
    const readOnly =
        contract.readOnlyEndpoint !== undefined && readOnlyPort !== undefined
            ? endpoint(
                  contract.readOnlyEndpoint,
                  readOnlyPort,
                  contract.readOnlyProxyEndpoint ?? contract.readOnlyEndpoint,
              )
            : undefined;
    return {
        host: contract.proxyEndpoint,
        port: contract.port,
        ...(readOnly ? { readOnlyHost: readOnly.host, readOnlyPort: readOnly.port } : {}),
        engine: contract.engine,
        ...(consumer ? { auth: consumer.auth } : {}),
        credentials: credentialsNote(consumer),
        sslmode: "verify-full",
        caCertificateUrl: AMAZON_ROOT_CA_1_URL,
        caNote: CA_NOTE,
        dns: dnsNote(contract, privateDns, hosts),
        keepalive: k,
        writer: endpoint(contract.proxyEndpoint, contract.port, contract.proxyEndpoint),
        ...(readOnly ? { readOnly } : {}),
    };
}
