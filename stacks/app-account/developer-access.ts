/**
 * The `developerAccess` output: for each endpoint, the Session Manager command that forwards a local port to the
 * proxy's name through the developer-access instance, and a client command that still verifies the proxy's
 * certificate against that name while it dials 127.0.0.1; and the IAM policy a developer needs. Pure: built from the
 * producer's contract, this account's entry in it, and the instance.
 *
 * - libpq connects to `hostaddr` and verifies `host`: "If both host and hostaddr are specified, the value for
 *   hostaddr gives the server network address. The value for host is ignored unless needed for authentication or
 *   verification purposes, in which case it will be used as the host name" (PostgreSQL, "libpq: Parameter Key
 *   Words", https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS).
 * - The mysql client has no such parameter, so the name is mapped to 127.0.0.1 in /etc/hosts and dialled with
 *   `--ssl-mode=VERIFY_IDENTITY` (not `localhost`, which the client reads as its Unix socket).
 * - The developer policy follows "Additional sample IAM policies for Session Manager", example 2 (instance and
 *   document ARNs in one StartSession statement) and example 4 (end only one's own sessions,
 *   `session/${aws:username}-*` for IAM users and `session/${aws:userid}-*` for federated ones),
 *   https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-examples.html, with
 *   `ssm:SessionDocumentAccessCheck`, without which a StartSession that names no document falls back to the shell
 *   document: "it must be included in all policy statements which allow the ssm:StartSession action"
 *   (https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-specify-session-document.html).
 * - "Logging and auditing are not available for Session Manager sessions that connect through port forwarding or SSH"
 *   (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-getting-started-enable-ssh-connections.html);
 *   StartSession itself is an API call, recorded by CloudTrail.
 */
import { partitionOf, protocolOf, readOnlyPortOf, type Contract } from "../../vocabulary";
import { PORT_FORWARDING_DOCUMENT } from "../../components/consumer";
import { CA_FILE } from "./examples";

/** One endpoint reached through the instance. */
export interface DeveloperEndpoint {
    /** The name the proxy's certificate covers, which the instance resolves and forwards to. */
    readonly host: string;
    /** The port the instance forwards to (the endpoint's listener port). */
    readonly port: number;
    /** The port on the developer's machine. */
    readonly localPort: number;
    /** The Session Manager command that opens the tunnel (keep it running). */
    readonly startSession: string;
    /** PostgreSQL: a libpq connection string that dials 127.0.0.1 and verifies `host`. */
    readonly libpq?: string;
    /** MySQL engines: the /etc/hosts line that maps `host` to 127.0.0.1 for the duration of the tunnel. */
    readonly hostsLine?: string;
    /** MySQL engines: the mysql command that dials `host` (mapped to 127.0.0.1) and verifies it. */
    readonly mysql?: string;
}

export interface DeveloperAccessOutput {
    /** The instance sessions start on. */
    readonly instanceId: string;
    /** Its own security group (no inbound rules). */
    readonly securityGroupId: string;
    /** The writer endpoint. */
    readonly writer: DeveloperEndpoint;
    /** The read-only endpoint, when the producer publishes one. */
    readonly readOnly?: DeveloperEndpoint;
    /** How to use it, in words. */
    readonly note: string;
    /** The IAM policy a developer attaches: start port-forwarding sessions on this instance only, end their own. */
    readonly developerPolicy: Record<string, unknown>;
}

/** The local port for a remote port: 10000 above it, away from a database the developer may run locally. */
export function localPortFor(port: number): number {
    return port + 10000 <= 65535 ? port + 10000 : port;
}

/** The developer-access output for a contract, the instance, and this account's database user and database. */
export function developerAccessOutput(input: {
    readonly contract: Contract;
    readonly accountId: string;
    readonly instanceId: string;
    readonly instanceArn: string;
    readonly securityGroupId: string;
    readonly user: string;
    readonly database: string;
    /** The access mode's extra flags of the mysql client (an IAM token needs the cleartext plugin), or empty. */
    readonly mysqlFlags?: string;
}): DeveloperAccessOutput {
    const { contract } = input;
    const postgres = protocolOf(contract.engine) === "postgresql";
    const endpoint = (host: string, port: number): DeveloperEndpoint => {
        const localPort = localPortFor(port);
        const startSession =
            `aws ssm start-session --region ${contract.region} --target ${input.instanceId} ` +
            `--document-name ${PORT_FORWARDING_DOCUMENT} ` +
            `--parameters host=${host},portNumber=${port},localPortNumber=${localPort}`;
        return postgres
            ? {
                  host,
                  port,
                  localPort,
                  startSession,
                  libpq:
                      `host=${host} hostaddr=127.0.0.1 port=${localPort} dbname=${input.database} ` +
                      `user=${input.user} sslmode=verify-full sslrootcert=${CA_FILE}`,
              }
            : {
                  host,
                  port,
                  localPort,
                  startSession,
                  hostsLine: `127.0.0.1 ${host}`,
                  mysql:
                      `mysql --host=${host} --port=${localPort} --user=${input.user} --password ` +
                      `${input.mysqlFlags ?? ""}--ssl-mode=VERIFY_IDENTITY ` +
                      `--ssl-ca=${CA_FILE} ${input.database}`,
              };
    };
    const partition = partitionOf(contract.region);
    const readOnlyPort = readOnlyPortOf(contract);
    const readOnly =
        contract.readOnlyEndpoint !== undefined && readOnlyPort !== undefined
            ? endpoint(contract.readOnlyEndpoint, readOnlyPort)
            : undefined;
    return {
        instanceId: input.instanceId,
        securityGroupId: input.securityGroupId,
        writer: endpoint(contract.proxyEndpoint, contract.port),
        ...(readOnly ? { readOnly } : {}),
        note:
            "Install the Session Manager plugin for the AWS CLI, run startSession and keep it open, then connect " +
            `with ${postgres ? "libpq" : "hostsLine added to /etc/hosts and mysql"} on the local port. Get the ` +
            "credential as the connection output says: an IAM auth token is signed for the proxy endpoint's name " +
            "and port (connection.writer.tokenHost and tokenPort), never for 127.0.0.1 or the local port, by a principal " +
            "the db-account stack lists for this account. Port " +
            "forwarding sessions are not logged by Session Manager; their start is in CloudTrail.",
        developerPolicy: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "PortForwardingOnTheDeveloperInstanceOnly",
                    Effect: "Allow",
                    Action: "ssm:StartSession",
                    Resource: [
                        input.instanceArn,
                        `arn:${partition}:ssm:${contract.region}::document/${PORT_FORWARDING_DOCUMENT}`,
                    ],
                    Condition: { BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" } },
                },
                {
                    Sid: "EndOwnSessions",
                    Effect: "Allow",
                    Action: ["ssm:TerminateSession", "ssm:ResumeSession"],
                    Resource: [
                        `arn:${partition}:ssm:${contract.region}:${input.accountId}:session/\${aws:username}-*`,
                        `arn:${partition}:ssm:${contract.region}:${input.accountId}:session/\${aws:userid}-*`,
                    ],
                },
            ],
        },
    };
}
