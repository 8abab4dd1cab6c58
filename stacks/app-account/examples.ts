/**
 * The connection examples of one endpoint: command lines, URLs and code that connect with full TLS verification and
 * fetch the credential the way the access mode says, in each engine's clients' own spelling. Pure: built from the
 * contract's engine, the endpoint and this account's reference.
 *
 * Which clients an engine gets is a question of its protocol, and for the MySQL engines of MariaDB or not:
 * - PostgreSQL engines (Aurora PostgreSQL, RDS for PostgreSQL): psql, a libpq URI, node-postgres, pgjdbc.
 * - MySQL 8.0 engines (Aurora MySQL, RDS for MySQL): MySQL's client `mysql` with `--ssl-mode=VERIFY_IDENTITY`, and
 *   the same command for MariaDB's client (also installed as `mysql` by many Linux distributions), mysql2, MySQL
 *   Connector/J.
 * - RDS for MariaDB: MariaDB's client `mariadb`, mysql2 (which speaks to MariaDB as to MySQL), MariaDB Connector/J:
 *   "jdbc:mariadb:// to jdbc:aws-wrapper:mariadb://" (Amazon RDS User Guide, "Connecting to RDS for MariaDB with the
 *   AWS JDBC Driver": the wrapper is drop-in compatible with MySQL Connector/J and MariaDB Connector/J; MariaDB's own
 *   driver is the one MariaDB documents and tests against its server).
 */
import {
    modeOf,
    protocolOf,
    type AccessReference,
    type Engine,
    type ExampleTarget,
    type ProfileCommands,
} from "../../vocabulary";
import type { Keepalive } from "./keepalive";

/** Example client invocations for one endpoint, with this account's user and the credential they need. */
export interface ConnectionExamples {
    /**
     * Modes that assume a role: AWS CLI commands that make a profile (`db-connect`) assuming the connect role, one
     * per platform the application may run on (`ec2`, `ecs`, `eksPodIdentity`, `eksIrsa`, `lambda`), since each
     * gives the application its own credentials another way; the token command uses the profile, and so does the
     * JDBC wrapper when the application runs with `AWS_PROFILE=db-connect`.
     */
    readonly profile?: ProfileCommands;
    /** A command that prints the credential: an IAM auth token for this endpoint (iam), or the password (password). */
    readonly credential?: string;
    /** A psql command line (PostgreSQL), MySQL's client `mysql` (MySQL), or MariaDB's client `mariadb` (MariaDB). */
    readonly cli: string;
    /**
     * MySQL engines: the same command line for MariaDB's client (`mariadb`, also installed as `mysql`, the client of
     * many Linux distributions), which has no `--ssl-mode` and spells full verification `--ssl-verify-server-cert`.
     * On a MariaDB engine `cli` is that command already.
     */
    readonly mariadbCli?: string;
    /**
     * A libpq connection URI (PostgreSQL), a MySQL URI (MySQL Shell, many drivers) or a MariaDB URI (MariaDB Shell),
     * without the credential.
     */
    readonly url: string;
    /** node-postgres (PostgreSQL) or mysql2 (MySQL and MariaDB) pool code. */
    readonly node: string;
    /** A JDBC URL: the AWS Advanced JDBC Wrapper with its IAM or Secrets Manager plugin, or the plain driver. */
    readonly jdbc: string;
}

/** The CA file name the examples assume, as downloaded from Amazon Root CA 1's URL. */
export const CA_FILE = "AmazonRootCA1.pem";

/** One endpoint, as `examples` needs it. */
export interface Target extends ExampleTarget {
    readonly keepalive: Keepalive;
    /** undefined: the producer does not describe credentials. */
    readonly reference?: AccessReference;
}

/** The clients an engine's examples use (see the header). */
type Clients = "postgresql" | "mysql" | "mariadb";

/** The protocol decides, and among the MySQL engines MariaDB has clients and a JDBC driver of its own. */
function clientsOf(engine: Engine): Clients {
    if (protocolOf(engine) === "postgresql") return "postgresql";
    return engine === "mariadb" ? "mariadb" : "mysql";
}

/**
 * Each JDBC driver's URL scheme and its spelling of full verification against the CA file:
 * - pgjdbc opens `sslrootcert` as a file path, relative to the working directory like the other examples' CA file;
 * - MySQL Connector/J: `sslMode=VERIFY_IDENTITY` checks the chain against the JVM's trust store and the host name;
 * - MariaDB Connector/J 3: `sslMode=verify-full` checks the chain and the host name, and `serverSslCert` names the CA
 *   certificate to trust, as a path (MariaDB Connector/J, "Using TLS/SSL with MariaDB Connector/J" and its option
 *   list: sslMode disable, trust, verify-ca, verify-full; serverSslCert).
 */
const JDBC: Record<Clients, { readonly scheme: string; readonly tls: string }> = {
    postgresql: { scheme: "postgresql", tls: `sslmode=verify-full&sslrootcert=${CA_FILE}` },
    mysql: { scheme: "mysql", tls: "sslMode=VERIFY_IDENTITY" },
    mariadb: { scheme: "mariadb", tls: `sslMode=verify-full&serverSslCert=${CA_FILE}` },
};

/** Lines of code joined into one example. */
const code = (...lines: string[]) => lines.join("\n");

/** Example command lines, URLs and code for one endpoint, with the engine's spelling of full verification. */
export function examples(t: Target): ConnectionExamples {
    const clients = clientsOf(t.engine);
    const mysql = clients !== "postgresql";
    const r = t.reference;
    const mode = r === undefined ? undefined : modeOf(r).examples;
    const credential = r === undefined ? undefined : mode?.credentialCommand(r, t);
    const profile = r === undefined ? undefined : mode?.profile(r);
    const k = t.keepalive;
    const jdbcDriver = JDBC[clients];
    const jdbcBase = `jdbc:aws-wrapper:${jdbcDriver.scheme}://${t.host}:${t.port}/${t.database}`;
    const jdbc =
        r !== undefined && mode
            ? mode.jdbc(r, t, jdbcBase, jdbcDriver.tls)
            : `jdbc:${jdbcDriver.scheme}://${t.host}:${t.port}/${t.database}?${jdbcDriver.tls}&tcpKeepAlive=true`;

    // Node: a fresh credential per new connection, so that expiring tokens (15 minutes) and a rotated password
    // are picked up; the pool's own settings retire idle connections before the path drops them.
    const own =
        r !== undefined && mode
            ? mode.node(r, t)
            : {
                  imports: [],
                  setup: [],
                  passwordOption: mysql
                      ? "password: process.env.MYSQL_PWD,"
                      : "password: process.env.PGPASSWORD,",
              };
    const imports = [`import { readFileSync } from "node:fs";`, ...own.imports];
    const setup = [...own.setup];
    const passwordOption = own.passwordOption;
    // mysql2 checks the certificate's name only with `verifyIdentity: true` (without it, any certificate of the CA
    // passes: mysql2 lib/base/connection.js startTLS); node-postgres always checks it (Node's tls default).
    const ssl =
        `ssl: { ca: readFileSync("${CA_FILE}", "utf8"), rejectUnauthorized: true` +
        (mysql ? ", verifyIdentity: true }," : " },");
    const where = `host: "${t.host}", port: ${t.port}, database: "${t.database}", user: "${t.user}",`;
    const node = mysql
        ? code(
              ...imports,
              `import mysql from "mysql2/promise";`,
              ...setup,
              `const pool = mysql.createPool({`,
              `    ${where}`,
              `    ${passwordOption}`,
              `    ${ssl}`,
              `    enableKeepAlive: true, keepAliveInitialDelay: ${k.tcpKeepaliveSeconds * 1000},`,
              // mysql2 runs its idle timer only when maxIdle is below connectionLimit (both default to 10).
              `    connectionLimit: 10, maxIdle: 9, idleTimeout: ${k.poolIdleTimeoutSeconds * 1000},`,
              `});`,
          )
        : code(
              ...imports,
              `import pg from "pg";`,
              ...setup,
              `const pool = new pg.Pool({`,
              `    ${where}`,
              `    ${passwordOption}`,
              `    ${ssl}`,
              `    keepAlive: true, keepAliveInitialDelayMillis: ${k.tcpKeepaliveSeconds * 1000}, idleTimeoutMillis: ${k.poolIdleTimeoutSeconds * 1000},`,
              `});`,
          );

    const fetch = credential ? `"$(${credential})"` : undefined;
    const mysqlLogin =
        `--host=${t.host} --port=${t.port} --user=${t.user} ` +
        (fetch ? `--password=${fetch} ` : "--password ") +
        (mode?.mysqlCliFlags ?? "");
    // MariaDB's client: `--ssl-verify-server-cert` checks the chain against --ssl-ca and the name dialled
    // (MariaDB client --help; it has no --ssl-mode, which MySQL's client requires for VERIFY_IDENTITY).
    const mariadbCli = `mariadb ${mysqlLogin}--ssl-verify-server-cert --ssl-ca=${CA_FILE} ${t.database}`;
    const cli =
        clients === "mariadb"
            ? mariadbCli
            : clients === "mysql"
              ? `mysql ${mysqlLogin}--ssl-mode=VERIFY_IDENTITY --ssl-ca=${CA_FILE} ${t.database}`
              : (fetch ? `PGPASSWORD=${fetch} ` : "") +
                `psql "host=${t.host} port=${t.port} dbname=${t.database} user=${t.user} sslmode=verify-full ` +
                `sslrootcert=${CA_FILE} ${k.libpq}"`;
    // MariaDB Shell takes `mariadb://` URIs with MySQL's ssl-mode and ssl-ca options (MariaDB Shell, "Encrypted
    // Connections": `mariadb://dba@db1.example.com/shop?ssl-mode=VERIFY_IDENTITY&ssl-ca=…`).
    const url = mysql
        ? `${clients}://${t.user}@${t.host}:${t.port}/${t.database}?ssl-mode=VERIFY_IDENTITY&ssl-ca=${CA_FILE}`
        : `postgresql://${t.user}@${t.host}:${t.port}/${t.database}?sslmode=verify-full&sslrootcert=${CA_FILE}`;
    return {
        ...(profile ? { profile } : {}),
        ...(credential ? { credential } : {}),
        cli,
        ...(clients === "mysql" ? { mariadbCli } : {}),
        url,
        node,
        jdbc,
    };
}
