/** Engine facts shared by the config, the database and proxy components, the contract and the tools. */

/** The Aurora engines a new cluster of this project may run. */
export const AURORA_ENGINES = ["aurora-postgresql", "aurora-mysql"] as const;

export type AuroraEngine = (typeof AURORA_ENGINES)[number];

/**
 * The RDS (non-Aurora) engines an existing instance may run: RDS Proxy fronts RDS for PostgreSQL, MySQL and
 * MariaDB (RDS User Guide, "Supported engines and Region availability for RDS Proxy").
 */
export const RDS_ENGINES = ["postgres", "mysql", "mariadb"] as const;

export type RdsEngine = (typeof RDS_ENGINES)[number];

/** Every engine this project publishes: what a contract's `engine` may be (RDS's own engine names). */
export const ENGINES = [...AURORA_ENGINES, ...RDS_ENGINES] as const;

export type Engine = (typeof ENGINES)[number];

/** True when `value` names an engine of this project (RDS reports others too: `sqlserver-ee`, `oracle-se2`, …). */
export function isEngine(value: unknown): value is Engine {
    return (ENGINES as readonly unknown[]).includes(value);
}

/** The wire protocol (and SQL dialect) of an engine: what clients, the bootstrap and the proxy speak. */
export type Protocol = "postgresql" | "mysql";

/** What each engine is, beyond its name. */
export const ENGINE_FACTS: {
    readonly [E in Engine]: {
        readonly protocol: Protocol;
        /** The engine's default port, which RDS gives a database unless told otherwise. */
        readonly port: number;
        /** How people name it in messages and docs. */
        readonly label: string;
    };
} = {
    "aurora-postgresql": { protocol: "postgresql", port: 5432, label: "Aurora PostgreSQL" },
    "aurora-mysql": { protocol: "mysql", port: 3306, label: "Aurora MySQL" },
    postgres: { protocol: "postgresql", port: 5432, label: "RDS for PostgreSQL" },
    mysql: { protocol: "mysql", port: 3306, label: "RDS for MySQL" },
    mariadb: { protocol: "mysql", port: 3306, label: "RDS for MariaDB" },
};

/** The wire protocol of `engine`. */
export function protocolOf(engine: Engine): Protocol {
    return ENGINE_FACTS[engine].protocol;
}

/** True for the Aurora engines (a cluster), false for the RDS ones (an instance). */
export function isAurora(engine: Engine): engine is AuroraEngine {
    return (AURORA_ENGINES as readonly string[]).includes(engine);
}

/** The engine used when config names none. */
export const DEFAULT_ENGINE: AuroraEngine = "aurora-postgresql";

/** Default engine versions of a new cluster; both are versions RDS Proxy supports. */
export const DEFAULT_ENGINE_VERSION: Record<AuroraEngine, string> = {
    "aurora-postgresql": "16.6",
    "aurora-mysql": "8.0.mysql_aurora.3.08.2",
};

/** Aurora PostgreSQL versions (`16.6`) and Aurora MySQL 3 versions (`8.0.mysql_aurora.3.08.2`). */
export const engineVersionPattern = /^(\d{2}\.\d+|8\.0\.mysql_aurora\.3\.\d{2}\.\d+)$/;

/** True when `version` is a version of `engine` (Aurora MySQL 3 versions start with "8.0."). */
export function isVersionOf(engine: AuroraEngine, version: string): boolean {
    return version.startsWith("8.0.") === (engine === "aurora-mysql");
}

/** The engine's default port, used by the proxy, the NLB listener and every security-group rule. */
export function enginePort(engine: Engine): number {
    return ENGINE_FACTS[engine].port;
}

/** The cluster parameter-group family of an Aurora engine version ("16.6" → "aurora-postgresql16"). */
export function parameterGroupFamily(engine: AuroraEngine, engineVersion: string): string {
    if (engine === "aurora-postgresql") return `aurora-postgresql${engineVersion.split(".")[0]}`;
    // Aurora MySQL 3 versions look like "8.0.mysql_aurora.3.08.2".
    return `aurora-mysql${engineVersion.split(".").slice(0, 2).join(".")}`;
}

/**
 * The parameter that makes the server refuse connections without TLS: `rds.force_ssl` on PostgreSQL engines,
 * `require_secure_transport` on MySQL engines and on MariaDB (RDS for MariaDB 10.5 and later).
 */
export function tlsParameter(engine: Engine): { name: string; value: string } {
    return protocolOf(engine) === "postgresql"
        ? { name: "rds.force_ssl", value: "1" }
        : { name: "require_secure_transport", value: "ON" };
}

/** RDS Proxy's engine family: MariaDB is served as MySQL (CreateDBProxy, EngineFamily). */
export function proxyEngineFamily(engine: Engine): "POSTGRESQL" | "MYSQL" {
    return protocolOf(engine) === "postgresql" ? "POSTGRESQL" : "MYSQL";
}

/**
 * The master user of a cluster this stack creates, which only the database-user bootstrap logs in as (through the
 * RDS-managed master secret). No consumer may be it or become a member of it. An existing database's master user is
 * whatever RDS reports for it.
 */
export const MASTER_USERNAME = "dbadmin";
