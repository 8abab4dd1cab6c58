/** Engine facts the database and proxy components share. */
import { Engine, enginePort } from "../../stacks/contract";

export { Engine, enginePort };

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
