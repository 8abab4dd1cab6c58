/** Engine facts shared by the config, the database and proxy components, the contract and the tools. */

/** The Aurora engines this project publishes. */
export const ENGINES = ["aurora-postgresql", "aurora-mysql"] as const;

export type Engine = (typeof ENGINES)[number];

/** The engine used when config names none. */
export const DEFAULT_ENGINE: Engine = "aurora-postgresql";

/** Default engine versions; both are versions RDS Proxy supports. */
export const DEFAULT_ENGINE_VERSION: Record<Engine, string> = {
    "aurora-postgresql": "16.6",
    "aurora-mysql": "8.0.mysql_aurora.3.08.2",
};

/** Aurora PostgreSQL versions (`16.6`) and Aurora MySQL 3 versions (`8.0.mysql_aurora.3.08.2`). */
export const engineVersionPattern = /^(\d{2}\.\d+|8\.0\.mysql_aurora\.3\.\d{2}\.\d+)$/;

/** True when `version` is a version of `engine` (Aurora MySQL 3 versions start with "8.0."). */
export function isVersionOf(engine: Engine, version: string): boolean {
    return version.startsWith("8.0.") === (engine === "aurora-mysql");
}

/** The default engine port, used by the proxy, the NLB listener and every security-group rule. */
export function enginePort(engine: Engine): number {
    return engine === "aurora-mysql" ? 3306 : 5432;
}

/** The cluster parameter-group family of an Aurora engine version ("16.6" → "aurora-postgresql16"). */
export function parameterGroupFamily(engine: Engine, engineVersion: string): string {
    if (engine === "aurora-postgresql") return `aurora-postgresql${engineVersion.split(".")[0]}`;
    // Aurora MySQL 3 versions look like "8.0.mysql_aurora.3.08.2".
    return `aurora-mysql${engineVersion.split(".").slice(0, 2).join(".")}`;
}

/** The cluster parameter that makes the server refuse connections without TLS. */
export function tlsParameter(engine: Engine): { name: string; value: string } {
    return engine === "aurora-postgresql"
        ? { name: "rds.force_ssl", value: "1" }
        : { name: "require_secure_transport", value: "ON" };
}

/** RDS Proxy's engine family. */
export function proxyEngineFamily(engine: Engine): "POSTGRESQL" | "MYSQL" {
    return engine === "aurora-postgresql" ? "POSTGRESQL" : "MYSQL";
}

/**
 * The cluster's master user, which only the database-user bootstrap logs in as (through the RDS-managed master
 * secret). No consumer may be it or become a member of it.
 */
export const MASTER_USERNAME = "dbadmin";
