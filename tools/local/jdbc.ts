/**
 * The PostgreSQL JDBC driver (pgjdbc) for tests that run the JDBC examples: Debian's libpostgresql-jdbc-java jar,
 * and a JDK (`javac` compiles the small test program, `java` runs it).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";

/** Install hint shown when Java or pgjdbc is missing; the run fails, it never skips. */
export const JDBC_INSTALL_HINT =
    "A JDK (java and javac) and the PostgreSQL JDBC driver at /usr/share/java/postgresql.jar are needed " +
    "to run the JDBC examples: apt-get install -y default-jdk-headless libpostgresql-jdbc-java";

/** Where Debian's libpostgresql-jdbc-java installs the driver. */
export const PGJDBC_JAR = "/usr/share/java/postgresql.jar";

/** The driver's jar, once `javac` and the jar are both there; throws with the install hint when either is missing. */
export function pgjdbc(): { jar: string } {
    const javac = spawnSync("javac", ["-version"], { encoding: "utf8" });
    if (javac.error || javac.status !== 0 || !fs.existsSync(PGJDBC_JAR)) throw new Error(JDBC_INSTALL_HINT);
    return { jar: PGJDBC_JAR };
}
