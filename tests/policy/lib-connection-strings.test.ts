// policy-pack/lib/connection-strings.ts and tls-findings.ts in-process, table-driven: every connection-string form
// (URL, libpq keyword/value, JDBC, semicolon-separated, .env, JSON, ECS { name, value } entries), every setting that
// weakens verification next to verify-full, and the look-alikes that must not be reported (false positives).
import * as assert from "node:assert/strict";
import {
    checkConnectionString,
    checkPgSslMode,
    judgeTlsSetting,
    MYSQL_REQUIRED_SSL_MODE,
    parseKeywordDsn,
    PGSSLMODE,
    POSTGRES_REQUIRED_SSLMODE,
    urlQueryParameters,
    weakensVerification,
    type ConnectionStringCheck,
} from "../../policy-pack/lib/connection-strings";
import {
    describeCheck,
    findTlsProblemsInText,
    findTlsProblemsInVariable,
    type TlsFinding,
} from "../../policy-pack/lib/tls-findings";

const OFF = ", which turns server verification off";

describe("policy lib connection strings: constants", () => {
    it("names the required modes", () => {
        assert.equal(POSTGRES_REQUIRED_SSLMODE, "verify-full");
        assert.equal(MYSQL_REQUIRED_SSL_MODE, "VERIFY_IDENTITY");
        assert.equal(PGSSLMODE, "PGSSLMODE");
    });
});

describe("policy lib connection strings: urlQueryParameters", () => {
    const cases: Array<[string, Array<[string, string]>]> = [
        ["postgres://h/db", []],
        ["postgres://h/db?", []],
        ["postgres://h/db?&&", []],
        [
            "postgres://h/db?a=1&b=2",
            [
                ["a", "1"],
                ["b", "2"],
            ],
        ],
        ["postgres://h/db?a=1=2", [["a", "1=2"]]],
        ["postgres://h/db?flag", [["flag", ""]]],
        ["postgres://?sslmode=verify-full", [["sslmode", "verify-full"]]],
        ["postgres://h/db?=v", [["", "v"]]],
        ["postgres://h/db?a%3Db=c%20d", [["a=b", "c d"]]],
        ["postgres://h/db?bad=%E0%A4%A", [["bad", "%E0%A4%A"]]],
        ["postgres://h/db?%ZZ=1", [["%ZZ", "1"]]],
        ["postgres://h/db?a=1#b=2", [["a", "1"]]],
        ["postgres://h/db?a=1#b=2?c=3", [["a", "1"]]],
        ["postgres://h/db#frag?a=1", [["a", "1"]]],
        ["postgres://u:p@h1:5432,h2:5433/db?sslmode=verify-full", [["sslmode", "verify-full"]]],
        ["postgres://h?sslmode=disable", [["sslmode", "disable"]]],
    ];
    for (const [url, expected] of cases) {
        it(`${url} has ${JSON.stringify(expected)}`, () => {
            assert.deepEqual(urlQueryParameters(url), expected);
        });
    }
});

describe("policy lib connection strings: parseKeywordDsn", () => {
    const cases: Array<[string, Array<[string, string]> | undefined]> = [
        ["host=h", [["host", "h"]]],
        ["  host=h  ", [["host", "h"]]],
        [
            "\thost\t=\th\nport = 5432",
            [
                ["host", "h"],
                ["port", "5432"],
            ],
        ],
        [
            "host=h port=5432 sslmode=verify-full",
            [
                ["host", "h"],
                ["port", "5432"],
                ["sslmode", "verify-full"],
            ],
        ],
        ["host=", [["host", ""]]],
        ["host= port=1", [["host", "port=1"]]],
        [
            "host='' port=1",
            [
                ["host", ""],
                ["port", "1"],
            ],
        ],
        ["password='a b'", [["password", "a b"]]],
        ["password='it\\'s'", [["password", "it's"]]],
        ["password='a\\\\b'", [["password", "a\\b"]]],
        [
            "password=a\\ b host=h",
            [
                ["password", "a b"],
                ["host", "h"],
            ],
        ],
        ["password=a\\", [["password", "a\\"]]],
        ["password='a\\", undefined],
        ["password='abc", undefined],
        ["password='a'b", undefined],
        ["user_1=x", [["user_1", "x"]]],
        ["", undefined],
        ["   ", undefined],
        ["host", undefined],
        ["=h", undefined],
        ["host=h junk", undefined],
        ["host='h'port=1", undefined],
        ["ho-st=h", undefined],
        ["host:h", undefined],
    ];
    for (const [text, expected] of cases) {
        it(`${JSON.stringify(text)} parses to ${JSON.stringify(expected)}`, () => {
            assert.deepEqual(parseKeywordDsn(text), expected);
        });
    }
});

describe("policy lib connection strings: weakensVerification", () => {
    const cases: Array<[string, unknown, boolean]> = [
        // Node.js
        ["NODE_TLS_REJECT_UNAUTHORIZED", "0", true],
        ["NODE_TLS_REJECT_UNAUTHORIZED", "", true],
        ["NODE_TLS_REJECT_UNAUTHORIZED", "1", false],
        ["NODE_TLS_REJECT_UNAUTHORIZED", " 1 ", false],
        ["NODE_TLS_REJECT_UNAUTHORIZED", 1, false],
        ["NODE_TLS_REJECT_UNAUTHORIZED", "true", true],
        ["node-tls-reject-unauthorized", "0", true],
        // Verify switches that must not be false.
        ["rejectUnauthorized", false, true],
        ["rejectUnauthorized", "FALSE", true],
        ["rejectUnauthorized", "0", true],
        ["rejectUnauthorized", "no", true],
        ["rejectUnauthorized", "off", true],
        ["rejectUnauthorized", "disable", true],
        ["rejectUnauthorized", "disabled", true],
        ["rejectUnauthorized", " False ", true],
        ["rejectUnauthorized", true, false],
        ["rejectUnauthorized", "maybe", false],
        ["verifyServerCertificate", "false", true],
        ["verifyServerCertificate", "true", false],
        ["ssl-verify-server-cert", "0", true],
        ["sslVerifyServerCert", "1", false],
        ["ssl_verify", "false", true],
        // Trust switches that must not be true.
        ["TrustServerCertificate", "true", true],
        ["trustServerCertificate", "1", true],
        ["trustServerCertificate", "yes", true],
        ["trustServerCertificate", "on", true],
        ["trustServerCertificate", true, true],
        ["trustServerCertificate", "false", false],
        ["Trust Server Cert", "True", true],
        ["insecureSkipVerify", "true", true],
        ["insecure_skip_verify", "false", false],
        // Prisma
        ["sslaccept", "accept_invalid_certs", true],
        ["sslaccept", "ACCEPT_INVALID_CERTS", true],
        ["sslaccept", "acceptinvalidcerts", true],
        ["sslaccept", "strict", false],
        // pgJDBC
        ["sslfactory", "org.postgresql.ssl.NonValidatingFactory", true],
        ["sslFactory", "org.postgresql.ssl.DefaultJavaSSLFactory", false],
        // Go MySQL driver
        ["tls", "false", true],
        ["tls", "skip-verify", true],
        ["tls", "PREFERRED", true],
        ["tls", "true", false],
        ["tls", "custom", false],
        // On/off switches.
        ["ssl", false, true],
        ["ssl", "false", true],
        ["ssl", true, false],
        ["ssl", "require", false],
        ["useSSL", "false", true],
        ["requireSSL", "0", true],
        ["DB_SSL", "off", true],
        ["PGSSL", "0", true],
        ["POSTGRES_SSL", "no", true],
        ["MYSQL_SSL", "false", true],
        ["MARIADB_SSL", "false", true],
        ["DATABASE_SSL", "false", true],
        ["RDS_SSL", "false", true],
        ["SQL_SSL", "false", true],
        ["AURORA_SSL", "false", true],
        ["REDIS_SSL", "false", true],
        ["MONGO_SSL", "false", true],
        ["DB_SSL", "true", false],
        ["SMTP_SSL", "false", false],
        ["MAIL_SSL", "0", false],
        ["ssl_db", "false", false],
        ["encrypt", "false", true],
        ["Encrypt", "true", false],
        ["useTLS", "false", true],
        ["use_tls", "true", false],
        // Any *_REJECT_UNAUTHORIZED, *_TLS and *ssl-verify* switch of a database client, wherever it sits.
        ["DB_REJECT_UNAUTHORIZED", "false", true],
        ["PG_SSL_REJECT_UNAUTHORIZED", "0", true],
        ["DB_REJECT_UNAUTHORIZED", "true", false],
        ["DB_TLS", "skip-verify", true],
        ["MYSQL_TLS", "false", true],
        ["DB_TLS", "true", false],
        ["SMTP_TLS", "false", false],
        ["MYSQL_SSL_VERIFY_SERVER_CERT", "0", true],
        ["MYSQL_SSL_VERIFY_SERVER_CERT", "1", false],
        ["mysqlVerifyServerCertificate", "false", true],
        // pgJDBC: only its validating factories and its own host-name verifier.
        ["sslfactory", "org.postgresql.ssl.NonValidatingFactory", true],
        ["sslfactory", "com.example.TrustAllFactory", true],
        ["sslfactory", "org.postgresql.ssl.LibPQFactory", false],
        ["sslfactory", "org.postgresql.ssl.jdbc4.LibPQFactory", false],
        ["sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory", false],
        ["sslhostnameverifier", "com.example.AllowAllHostnameVerifier", true],
        ["sslhostnameverifier", "org.postgresql.ssl.PGjdbcHostnameVerifier", false],
        // Unrelated settings.
        ["sslmode", "disable", false],
        ["sslrootcert", "false", false],
        ["host", "false", false],
        ["password", "0", false],
    ];
    for (const [key, value, expected] of cases) {
        it(`${key}=${JSON.stringify(value)} ${expected ? "weakens" : "does not weaken"} verification`, () => {
            assert.equal(weakensVerification(key, value), expected);
        });
    }
});

describe("policy lib connection strings: judgeTlsSetting", () => {
    const cases: Array<[string, unknown, string | undefined]> = [
        ["PGSSLMODE", "verify-full", undefined],
        ["PGSSLMODE", "verify-ca", "PGSSLMODE=verify-ca (needs PGSSLMODE=verify-full)"],
        ["PGSSLMODE", " verify-full", "PGSSLMODE= verify-full (needs PGSSLMODE=verify-full)"],
        ["PGSSLMODE", "", "PGSSLMODE=(empty) (needs PGSSLMODE=verify-full)"],
        ["PGSSLMODE", false, "PGSSLMODE=false (needs PGSSLMODE=verify-full)"],
        ["PGSSLMODE", null, "PGSSLMODE=null (needs PGSSLMODE=verify-full)"],
        ["PGSSLMODE", ["x"], 'PGSSLMODE=["x"] (needs PGSSLMODE=verify-full)'],
        ["pgsslmode", "verify-full", undefined],
        ["pgsslmode", "VERIFY-FULL", undefined],
        ["sslmode", "verify-full", undefined],
        ["DB_SSLMODE", "verify_identity", undefined],
        ["MYSQL_SSL_MODE", "VERIFY_IDENTITY", undefined],
        ["Ssl Mode", "VerifyFull", undefined],
        ["sslmode", "require", "sslmode=require (needs sslmode=verify-full, or VERIFY_IDENTITY for MySQL)"],
        ["sslmode", "", "sslmode=(empty) (needs sslmode=verify-full, or VERIFY_IDENTITY for MySQL)"],
        ["sslmode", true, "sslmode=true (needs sslmode=verify-full, or VERIFY_IDENTITY for MySQL)"],
        [
            "sslmode",
            ["a"],
            "sslmode=(value not shown) (needs sslmode=verify-full, or VERIFY_IDENTITY for MySQL)",
        ],
        [
            "ssl-mode",
            { mode: "verify-full" },
            "ssl-mode=(value not shown) (needs ssl-mode=verify-full, or VERIFY_IDENTITY for MySQL)",
        ],
        [
            "sslmode",
            "x".repeat(81),
            "sslmode=(value not shown) (needs sslmode=verify-full, or VERIFY_IDENTITY for MySQL)",
        ],
        [
            "sslmode",
            "a.b:c-d_e",
            "sslmode=a.b:c-d_e (needs sslmode=verify-full, or VERIFY_IDENTITY for MySQL)",
        ],
        [
            "sslmode",
            "x".repeat(80),
            `sslmode=${"x".repeat(80)} (needs sslmode=verify-full, or VERIFY_IDENTITY for MySQL)`,
        ],
        ["ssl", false, `ssl=false${OFF}`],
        ["ssl", 0, `ssl=0${OFF}`],
        ["ssl", "", undefined],
        ["rejectUnauthorized", "no way", undefined],
        ["NODE_TLS_REJECT_UNAUTHORIZED", "", `NODE_TLS_REJECT_UNAUTHORIZED=(empty)${OFF}`],
        ["NODE_TLS_REJECT_UNAUTHORIZED", "0 # off", `NODE_TLS_REJECT_UNAUTHORIZED=(value not shown)${OFF}`],
        ["sslrootcert", "/certs/AmazonRootCA1.pem", undefined],
    ];
    for (const [key, value, expected] of cases) {
        it(`${key}=${JSON.stringify(value)} is ${expected === undefined ? "fine" : JSON.stringify(expected)}`, () => {
            assert.equal(judgeTlsSetting(key, value), expected);
        });
    }
});

describe("policy lib connection strings: checkConnectionString", () => {
    const ok = (kind: ConnectionStringCheck["kind"], modes: string[]): ConnectionStringCheck => ({
        kind,
        modes,
        ok: true,
    });
    const bad = (
        kind: ConnectionStringCheck["kind"],
        modes: string[],
        weakenedBy?: string[],
    ): ConnectionStringCheck =>
        weakenedBy === undefined ? { kind, modes, ok: false } : { kind, modes, ok: false, weakenedBy };
    const cases: Array<[string, ConnectionStringCheck | undefined]> = [
        // PostgreSQL URLs
        ["postgres://h/db?sslmode=verify-full", ok("postgres-url", ["verify-full"])],
        // pgJDBC: a factory or host-name verifier that may not check turns verify-full off.
        [
            "jdbc:postgresql://h/db?sslmode=verify-full&sslhostnameverifier=com.example.AllowAll",
            bad("postgres-url", ["verify-full"], ["sslhostnameverifier=com.example.AllowAll"]),
        ],
        [
            "jdbc:postgresql://h/db?sslmode=verify-full&sslhostnameverifier=org.postgresql.ssl.PGjdbcHostnameVerifier",
            ok("postgres-url", ["verify-full"]),
        ],
        [
            "jdbc:postgresql://h/db?sslmode=verify-full&sslfactory=com.example.TrustAllFactory",
            bad("postgres-url", ["verify-full"], ["sslfactory=com.example.TrustAllFactory"]),
        ],
        [
            "jdbc:postgresql://h/db?sslmode=verify-full&sslfactory=org.postgresql.ssl.LibPQFactory",
            ok("postgres-url", ["verify-full"]),
        ],
        // MySQL Connector/J per-host properties override the query for their host: each must verify too.
        [
            "jdbc:mysql://(host=h,sslMode=DISABLED)/db?sslMode=VERIFY_IDENTITY",
            bad("mysql-url", ["DISABLED", "VERIFY_IDENTITY"]),
        ],
        [
            "jdbc:mysql://address=(host=h)(port=3306)(sslMode=REQUIRED)/db?sslMode=VERIFY_IDENTITY",
            bad("mysql-url", ["REQUIRED", "VERIFY_IDENTITY"]),
        ],
        [
            "jdbc:mysql://[(host=h1,sslMode=VERIFY_IDENTITY),(host=h2,useSSL=false)]/db?sslMode=VERIFY_IDENTITY",
            bad("mysql-url", ["VERIFY_IDENTITY", "VERIFY_IDENTITY"], ["useSSL=false"]),
        ],
        [
            "jdbc:mysql://(host=h1,port=3306,sslMode=VERIFY_IDENTITY),(host=h2)/db?sslMode=VERIFY_IDENTITY",
            ok("mysql-url", ["VERIFY_IDENTITY", "VERIFY_IDENTITY"]),
        ],
        ["jdbc:mysql://(host=h,port=3306)/db?sslMode=VERIFY_IDENTITY", ok("mysql-url", ["VERIFY_IDENTITY"])],
        ["jdbc:mysql://(host=h,sslMode=VERIFY_IDENTITY)/db", ok("mysql-url", ["VERIFY_IDENTITY"])],
        // Go MySQL driver DSNs: tls=true (or TRUE, True, 1) verifies; skip-verify, preferred, a registered name or no tls do not.
        ["app:pw@tcp(db:3306)/app?tls=true", ok("go-mysql-dsn", ["true"])],
        ["app:pw@tcp(db:3306)/app?parseTime=true&tls=True", ok("go-mysql-dsn", ["True"])],
        ["app:pw@tcp(db:3306)/app?tls=1", ok("go-mysql-dsn", ["1"])],
        ["app:p@ss/w@tcp6([::1]:3306)/app?tls=TRUE", ok("go-mysql-dsn", ["TRUE"])],
        ["tcp(db:3306)/app?tls=true", ok("go-mysql-dsn", ["true"])],
        ["app:pw@tcp(db:3306)/app?tls=skip-verify", bad("go-mysql-dsn", ["skip-verify"])],
        ["app:pw@tcp(db:3306)/app?tls=preferred", bad("go-mysql-dsn", ["preferred"])],
        ["app:pw@tcp(db:3306)/app?tls=rds", bad("go-mysql-dsn", ["rds"])],
        ["app:pw@tcp(db:3306)/app", bad("go-mysql-dsn", [])],
        ["app@unix(/tmp/mysql.sock)/app?tls=false", bad("go-mysql-dsn", ["false"])],
        ["app:pw@tcp(db:3306)/app?tls=true&tls=skip-verify", bad("go-mysql-dsn", ["true", "skip-verify"])],
        [
            "app:pw@tcp(db:3306)/app?tls=true&rejectUnauthorized=false",
            bad("go-mysql-dsn", ["true"], ["rejectUnauthorized=false"]),
        ],
        ["tcp(db:3306)", undefined],
        ["http(db)/app?tls=true", undefined],
        ["  postgresql://h/db?sslmode=verify-full  ", ok("postgres-url", ["verify-full"])],
        ["jdbc:postgresql://h:5432/db?sslmode=verify-full", ok("postgres-url", ["verify-full"])],
        ["JDBC:PostgreSQL://h/db?sslmode=require", bad("postgres-url", ["require"])],
        ["postgresql+asyncpg://h/db?sslmode=verify-full", ok("postgres-url", ["verify-full"])],
        ["postgres+psycopg2://h/db?sslmode=verify-full", ok("postgres-url", ["verify-full"])],
        [
            "postgres://h/db?sslmode=verify-full&sslmode=require",
            bad("postgres-url", ["verify-full", "require"]),
        ],
        [
            "postgres://h/db?sslmode=verify-full&sslmode=verify-full",
            ok("postgres-url", ["verify-full", "verify-full"]),
        ],
        ["postgres://h/db", bad("postgres-url", [])],
        ["postgres://h/db?sslmode=disable", bad("postgres-url", ["disable"])],
        ["postgres://h/db?sslmode=prefer", bad("postgres-url", ["prefer"])],
        [
            "postgres://h/db?sslmode=verify-full&sslfactory=org.postgresql.ssl.NonValidatingFactory",
            bad("postgres-url", ["verify-full"], ["sslfactory=org.postgresql.ssl.NonValidatingFactory"]),
        ],
        [
            "postgres://h/db?sslmode=verify-full&ssl=false&sslaccept=accept_invalid_certs",
            bad("postgres-url", ["verify-full"], ["ssl=false", "sslaccept=accept_invalid_certs"]),
        ],
        [
            "postgres://h/db?sslmode=verify-full&rejectUnauthorized=false",
            bad("postgres-url", ["verify-full"], ["rejectUnauthorized=false"]),
        ],
        // libpq has no ssl-mode parameter: only sslmode sets the mode of a PostgreSQL URL.
        ["postgres://h/db?sslmode=verify-full&ssl-mode=disable", ok("postgres-url", ["verify-full"])],
        ["postgres://h/db?sslmode=verify-full&ssl=true", ok("postgres-url", ["verify-full"])],
        ["postgres:/h/db?sslmode=disable", undefined],
        ["postgresx://h/db?sslmode=disable", undefined],
        ["xpostgres://h/db?sslmode=disable", undefined],
        ["postgres+://h/db", undefined],
        // MySQL URLs
        ["mysql://h/db?ssl-mode=VERIFY_IDENTITY", ok("mysql-url", ["VERIFY_IDENTITY"])],
        ["mysql://h/db?sslMode=verify_identity", ok("mysql-url", ["verify_identity"])],
        ["mysql://h/db?sslmode=VERIFY_IDENTITY", ok("mysql-url", ["VERIFY_IDENTITY"])],
        ["MariaDB://h/db?ssl_mode=Verify_Identity", ok("mysql-url", ["Verify_Identity"])],
        ["jdbc:mysql://h/db?sslMode=VERIFY_IDENTITY", ok("mysql-url", ["VERIFY_IDENTITY"])],
        ["jdbc:mariadb://h/db?sslMode=REQUIRED", bad("mysql-url", ["REQUIRED"])],
        ["mysql+mysqldb://h/db?ssl_mode=VERIFY_IDENTITY", ok("mysql-url", ["VERIFY_IDENTITY"])],
        ["mysqlx://h/db", bad("mysql-url", [])],
        ["mysql://h/db?ssl-mode=VERIFY-IDENTITY", bad("mysql-url", ["VERIFY-IDENTITY"])],
        ["mysql://h/db?ssl.mode=VERIFY_IDENTITY", bad("mysql-url", [])],
        ["mysql://h/db?ssl--mode=VERIFY_IDENTITY", bad("mysql-url", [])],
        ["mysql://h/db?xssl-mode=VERIFY_IDENTITY", bad("mysql-url", [])],
        ["mysql://h/db?ssl-modes=VERIFY_IDENTITY", bad("mysql-url", [])],
        [
            "mysql://h/db?ssl-mode=VERIFY_IDENTITY&verifyServerCertificate=false",
            bad("mysql-url", ["VERIFY_IDENTITY"], ["verifyServerCertificate=false"]),
        ],
        [
            "mysql://h/db?ssl-mode=VERIFY_IDENTITY&tls=skip-verify",
            bad("mysql-url", ["VERIFY_IDENTITY"], ["tls=skip-verify"]),
        ],
        [
            "mysql://h/db?ssl-mode=VERIFY_IDENTITY&trustServerCertificate=true&useSSL=true",
            bad("mysql-url", ["VERIFY_IDENTITY"], ["trustServerCertificate=true"]),
        ],
        [
            "mysql://h/db?ssl-mode=VERIFY_IDENTITY&password=s%20e%20c%20r%20e%20t&useSSL=false",
            bad("mysql-url", ["VERIFY_IDENTITY"], ["useSSL=false"]),
        ],
        [
            "mysql://h/db?ssl-mode=VERIFY_IDENTITY&ssl=a%20long%20secret%20false",
            ok("mysql-url", ["VERIFY_IDENTITY"]),
        ],
        [
            "mysql://h/db?ssl-mode=VERIFY_IDENTITY&useSSL=%20false",
            bad("mysql-url", ["VERIFY_IDENTITY"], ["useSSL=(value not shown)"]),
        ],
        // libpq keyword/value
        ["host=h sslmode=verify-full", ok("postgres-keyword-dsn", ["verify-full"])],
        ["hostaddr=10.0.0.1 sslmode=verify-full", ok("postgres-keyword-dsn", ["verify-full"])],
        ["dbname=app sslmode=verify-full", ok("postgres-keyword-dsn", ["verify-full"])],
        ["service=prod sslmode=verify-full", ok("postgres-keyword-dsn", ["verify-full"])],
        ["host=h", bad("postgres-keyword-dsn", [])],
        ["host=h sslmode=require", bad("postgres-keyword-dsn", ["require"])],
        ["host=h sslmode=Verify-Full", bad("postgres-keyword-dsn", ["Verify-Full"])],
        ["host=h SSLMODE=verify-full", bad("postgres-keyword-dsn", [])],
        [
            "host=h sslmode=verify-full sslrootcert=/c.pem sslfactory=NonValidating",
            bad("postgres-keyword-dsn", ["verify-full"], ["sslfactory=NonValidating"]),
        ],
        // A one-line libpq string of two or more libpq keywords is one even without host, dbname or service.
        ["port=5432 sslmode=disable", bad("postgres-keyword-dsn", ["disable"])],
        ["user=u password=p", bad("postgres-keyword-dsn", [])],
        ["user=u password='a b' sslmode=verify-full", ok("postgres-keyword-dsn", ["verify-full"])],
        ["port=5432", undefined],
        ["user=u\npassword=p", undefined],
        ["User=u Password=p", undefined],
        ["user=u color=red", undefined],
        ["HOST=h sslmode=disable", undefined],
        // Semicolon-separated (Npgsql, ADO.NET)
        ["Host=h;Database=db;SSL Mode=VerifyFull", ok("semicolon-dsn", ["VerifyFull"])],
        ["Server=h;SslMode=verify-full;", ok("semicolon-dsn", ["verify-full"])],
        ["Data Source=h;Ssl-Mode=VERIFY_IDENTITY", ok("semicolon-dsn", ["VERIFY_IDENTITY"])],
        ["Address=h; SSL Mode = Require", bad("semicolon-dsn", ["Require"])],
        ["Addr=h;Port=5432", bad("semicolon-dsn", [])],
        ["Host=h; ;SSL Mode=VerifyFull", ok("semicolon-dsn", ["VerifyFull"])],
        [
            "Host=h;SSL Mode=VerifyFull; Encrypt =false",
            bad("semicolon-dsn", ["VerifyFull"], ["Encrypt=false"]),
        ],
        [
            "Host=h;SSL Mode=VerifyFull;Trust Server Certificate=true",
            bad("semicolon-dsn", ["VerifyFull"], ["Trust Server Certificate=true"]),
        ],
        [
            "Server=h;SSL Mode=VerifyFull;Encrypt=false",
            bad("semicolon-dsn", ["VerifyFull"], ["Encrypt=false"]),
        ],
        ["Database=db;SSL Mode=Disable", undefined],
        ["Host=h;junk", bad("semicolon-dsn", [])],
        // Values in quotes or braces may hold ';' (a generated password can): the setting after them is read.
        ['Host=h;Password="a;b";SSL Mode=VerifyFull', ok("semicolon-dsn", ["VerifyFull"])],
        ['Host=h;Password="a;SSL Mode=VerifyFull";SSL Mode=Disable', bad("semicolon-dsn", ["Disable"])],
        ['Host=h;Password="say ""hi"";x";SSL Mode=VerifyFull', ok("semicolon-dsn", ["VerifyFull"])],
        ["Host=h;Password='x;y';SSL Mode=Require", bad("semicolon-dsn", ["Require"])],
        ["Server=h;PWD={a;b}};c};SSLMode=verify-full", ok("semicolon-dsn", ["verify-full"])],
        ["Server=h;PWD={a;SSLMode=verify-full};SSLMode=disable", bad("semicolon-dsn", ["disable"])],
        ["Server=h; PWD = {a;b} ;SSLMode=verify-full;", ok("semicolon-dsn", ["verify-full"])],
        // A bare ';' in a value (which the drivers refuse) does not hide the settings after it.
        ["Host=h;Password=a;b;SSL Mode=Disable", bad("semicolon-dsn", ["Disable"])],
        ['Host=h;Password="unclosed;SSL Mode=VerifyFull', undefined],
        ['Host=h;Password="a"b;SSL Mode=VerifyFull', undefined],
        ["Host=h;# note=x", undefined],
        ["Host=h;=x", undefined],
        ["Host=h", undefined],
        [";;", undefined],
        // Not connection strings.
        ["", undefined],
        ["verify-full", undefined],
        ["https://h/?sslmode=disable", undefined],
        ["redis://h:6379", undefined],
        ["xmysql://h/db", undefined],
        ["see mysql://h/db", undefined],
        ["a=b", undefined],
    ];
    for (const [text, expected] of cases) {
        it(`${JSON.stringify(text)} is ${JSON.stringify(expected)}`, () => {
            assert.deepEqual(checkConnectionString(text), expected);
        });
    }
});

describe("policy lib connection strings: describeCheck and checkPgSslMode", () => {
    const cases: Array<[ConnectionStringCheck, string]> = [
        [
            { kind: "postgres-url", modes: [], ok: false },
            "a PostgreSQL URL with no sslmode (needs sslmode=verify-full)",
        ],
        [
            { kind: "postgres-keyword-dsn", modes: ["require", ""], ok: false },
            "a PostgreSQL keyword connection string with sslmode=require, sslmode=(empty) (needs sslmode=verify-full)",
        ],
        [
            { kind: "mysql-url", modes: ["REQUIRED"], ok: false },
            "a MySQL URL with ssl-mode=REQUIRED (needs ssl-mode=VERIFY_IDENTITY)",
        ],
        [
            { kind: "semicolon-dsn", modes: [], ok: false },
            "a semicolon-separated connection string with no SSL Mode (needs SSL Mode=VerifyFull)",
        ],
        [
            { kind: "semicolon-dsn", modes: ["Require"], ok: false, weakenedBy: [] },
            "a semicolon-separated connection string with SSL Mode=Require (needs SSL Mode=VerifyFull)",
        ],
        [
            {
                kind: "postgres-url",
                modes: ["verify-full"],
                ok: false,
                weakenedBy: ["ssl=false", "tls=preferred"],
            },
            `a PostgreSQL URL with sslmode=verify-full and ssl=false, tls=preferred${OFF} (needs sslmode=verify-full)`,
        ],
    ];
    for (const [check, text] of cases) {
        it(text, () => {
            assert.equal(describeCheck(check), text);
        });
    }
    it("accepts only PGSSLMODE=verify-full", () => {
        assert.equal(checkPgSslMode("verify-full"), undefined);
        assert.equal(checkPgSslMode("verify-full "), "PGSSLMODE=verify-full  (needs PGSSLMODE=verify-full)");
        assert.equal(checkPgSslMode("require"), "PGSSLMODE=require (needs PGSSLMODE=verify-full)");
        assert.equal(checkPgSslMode(""), "PGSSLMODE=(empty) (needs PGSSLMODE=verify-full)");
    });
});

const PG_NONE = "a PostgreSQL URL with no sslmode (needs sslmode=verify-full)";
const PG_REQUIRE = "a PostgreSQL URL with sslmode=require (needs sslmode=verify-full)";
const PG_FULL = "postgres://h/db?sslmode=verify-full";
const needs = (key: string): string => `(needs ${key}=verify-full, or VERIFY_IDENTITY for MySQL)`;

describe("policy lib connection strings: findTlsProblemsInText", () => {
    const cases: Array<[string, string, TlsFinding[]]> = [
        // A connection string on its own.
        ["plain URL", "postgres://h/db?sslmode=require", [{ path: "value", problem: PG_REQUIRE }]],
        ["verified URL", PG_FULL, []],
        ["URL with spaces around", `  ${PG_FULL}\n`, []],
        [
            "keyword DSN",
            "host=h sslmode=disable",
            [
                {
                    path: "value",
                    problem:
                        "a PostgreSQL keyword connection string with sslmode=disable (needs sslmode=verify-full)",
                },
            ],
        ],
        [
            "JDBC",
            "jdbc:mysql://h/db?sslMode=DISABLED",
            [
                {
                    path: "value",
                    problem: "a MySQL URL with ssl-mode=DISABLED (needs ssl-mode=VERIFY_IDENTITY)",
                },
            ],
        ],
        [
            "semicolon",
            "Host=h;SSL Mode=Prefer",
            [
                {
                    path: "value",
                    problem:
                        "a semicolon-separated connection string with SSL Mode=Prefer (needs SSL Mode=VerifyFull)",
                },
            ],
        ],
        // Not connection strings.
        ["free text", "hello world", []],
        ["empty", "", []],
        ["https URL", "https://example.com/?sslmode=disable", []],
        ["broken JSON", "{not json postgres://h/db", []],
        ["comment only", "# PGSSLMODE=disable", []],
        // .env blobs
        [
            ".env",
            `# database\nexport DATABASE_URL="postgres://h/db"\nPGSSLMODE=require\n\nDB_SSL='false'\nAPP=web\nnot a line\n${PG_FULL}\nhost=h sslmode=prefer`,
            [
                { path: "value.DATABASE_URL", problem: PG_NONE },
                { path: "value.PGSSLMODE", problem: "PGSSLMODE=require (needs PGSSLMODE=verify-full)" },
                { path: "value.DB_SSL", problem: `DB_SSL=false${OFF}` },
                {
                    path: "value",
                    problem:
                        "a PostgreSQL keyword connection string with sslmode=prefer (needs sslmode=verify-full)",
                },
            ],
        ],
        [
            ".env one line",
            "DB_SSLMODE=require",
            [{ path: "value.DB_SSLMODE", problem: `DB_SSLMODE=require ${needs("DB_SSLMODE")}` }],
        ],
        [
            ".env CRLF",
            "A=1\r\nPGSSLMODE=disable\r\n",
            [{ path: "value.PGSSLMODE", problem: "PGSSLMODE=disable (needs PGSSLMODE=verify-full)" }],
        ],
        [".env spaces around =", "  PGSSLMODE  =  'verify-full'  ", []],
        [
            ".env spaces around = and a weak value",
            "PGSSLMODE  =  disable",
            [{ path: "value.PGSSLMODE", problem: "PGSSLMODE=disable (needs PGSSLMODE=verify-full)" }],
        ],
        [
            ".env export with two spaces",
            "export  PGSSLMODE=disable",
            [{ path: "value.PGSSLMODE", problem: "PGSSLMODE=disable (needs PGSSLMODE=verify-full)" }],
        ],
        [
            ".env text before quotes",
            'DB_SSLMODE=x"verify-full"',
            [{ path: "value.DB_SSLMODE", problem: `DB_SSLMODE=(value not shown) ${needs("DB_SSLMODE")}` }],
        ],
        [
            ".env text after quotes",
            'DB_SSLMODE="verify-full"x',
            [{ path: "value.DB_SSLMODE", problem: `DB_SSLMODE=(value not shown) ${needs("DB_SSLMODE")}` }],
        ],
        [
            ".env comments are skipped, indented too",
            "JUNK;\n# Host=old;SSL Mode=Disable\n  # Host=old;SSL Mode=Disable\nA=1",
            [],
        ],
        [
            "a mode value that is not a short token is not shown (it may hold the next lines of a blob)",
            "Host=h;SSL Mode=Require\nPASSWORD=hunter2",
            [
                {
                    path: "value",
                    problem:
                        "a semicolon-separated connection string with SSL Mode=(value not shown) (needs SSL Mode=VerifyFull)",
                },
            ],
        ],
        [
            ".env after an INI section header",
            "[database]\nPGSSLMODE=disable",
            [{ path: "value.PGSSLMODE", problem: "PGSSLMODE=disable (needs PGSSLMODE=verify-full)" }],
        ],
        [".env nested nine deep", "A=B=C=D=E=F=G=H=I=PGSSLMODE=disable", []],
        [
            ".env nested eight deep",
            "A=B=C=D=E=F=G=H=PGSSLMODE=disable",
            [
                {
                    path: "value.A.B.C.D.E.F.G.H.PGSSLMODE",
                    problem: "PGSSLMODE=disable (needs PGSSLMODE=verify-full)",
                },
            ],
        ],
        [
            ".env mismatched quotes",
            `PGSSLMODE="verify-full'`,
            [{ path: "value.PGSSLMODE", problem: `PGSSLMODE="verify-full' (needs PGSSLMODE=verify-full)` }],
        ],
        [".env dotted key", "db.url=postgres://h/db", [{ path: 'value["db.url"]', problem: PG_NONE }]],
        [
            ".env value is JSON",
            `CONFIG={"ssl": false}`,
            [{ path: "value.CONFIG.ssl", problem: `ssl=false${OFF}` }],
        ],
        [".env nested .env", `WRAPPED="A=1\nB=2"`, []],
        [
            ".env PGSSLMODE value is not reread",
            "PGSSLMODE=postgres://h/db",
            [{ path: "value.PGSSLMODE", problem: "PGSSLMODE=postgres://h/db (needs PGSSLMODE=verify-full)" }],
        ],
        // JSON
        [
            "JSON object",
            JSON.stringify({
                url: "postgres://h/db",
                nested: { ssl: { rejectUnauthorized: false } },
                PGSSLMODE: "prefer",
                port: 5432,
                ok: PG_FULL,
                n: null,
            }),
            [
                { path: "value.url", problem: PG_NONE },
                { path: "value.nested.ssl.rejectUnauthorized", problem: `rejectUnauthorized=false${OFF}` },
                { path: "value.PGSSLMODE", problem: "PGSSLMODE=prefer (needs PGSSLMODE=verify-full)" },
            ],
        ],
        ["JSON ssl false", '{"ssl": false}', [{ path: "value.ssl", problem: `ssl=false${OFF}` }]],
        [
            "JSON sslmode null",
            '{"sslmode": null}',
            [{ path: "value.sslmode", problem: `sslmode=null ${needs("sslmode")}` }],
        ],
        [
            "JSON PGSSLMODE number",
            '{"PGSSLMODE": 1}',
            [{ path: "value.PGSSLMODE", problem: "PGSSLMODE=1 (needs PGSSLMODE=verify-full)" }],
        ],
        [
            "JSON PGSSLMODE URL not reread",
            '{"PGSSLMODE": "postgres://h/db"}',
            [{ path: "value.PGSSLMODE", problem: "PGSSLMODE=postgres://h/db (needs PGSSLMODE=verify-full)" }],
        ],
        [
            "JSON array",
            '["postgres://h/db", "mysql://h/db?ssl-mode=VERIFY_IDENTITY", {"k": "host=h"}]',
            [
                { path: "value[0]", problem: PG_NONE },
                {
                    path: "value[2].k",
                    problem:
                        "a PostgreSQL keyword connection string with no sslmode (needs sslmode=verify-full)",
                },
            ],
        ],
        [
            "JSON keys that need quoting",
            '{"a b": {"$ok_1": {"1x": "postgres://h/db"}}}',
            [{ path: 'value["a b"].$ok_1["1x"]', problem: PG_NONE }],
        ],
        [
            "JSON string holding JSON",
            JSON.stringify({ inner: JSON.stringify({ sslmode: "disable" }) }),
            [{ path: "value.inner.sslmode", problem: `sslmode=disable ${needs("sslmode")}` }],
        ],
        [
            "JSON string holding .env",
            JSON.stringify({ env: "A=1\nDB_SSL=false" }),
            [{ path: "value.env.DB_SSL", problem: `DB_SSL=false${OFF}` }],
        ],
        [
            "ECS environment entries",
            JSON.stringify([
                {
                    name: "app",
                    environment: [
                        { name: "PGSSLMODE", value: "require" },
                        { name: "DB_URL", value: "postgres://h/db" },
                        { name: "PGSSLMODE2", value: "x" },
                    ],
                },
            ]),
            [
                {
                    path: "value[0].environment[0].value",
                    problem: "PGSSLMODE=require (needs PGSSLMODE=verify-full)",
                },
                { path: "value[0].environment[1].value", problem: PG_NONE },
            ],
        ],
        ["ECS entry with verify-full", JSON.stringify([{ name: "PGSSLMODE", value: "verify-full" }]), []],
        ["name without value", JSON.stringify({ name: "PGSSLMODE" }), []],
        ["name not a string", JSON.stringify({ name: 1, value: "x" }), []],
        [
            "ECS entry with ssl false",
            JSON.stringify({ name: "ssl", value: false }),
            [{ path: "value.value", problem: `ssl=false${OFF}` }],
        ],
        [
            "whitespace around JSON",
            `  \n{"ssl": "false"}  `,
            [{ path: "value.ssl", problem: `ssl=false${OFF}` }],
        ],
        ["JSON scalar at the top", "false", []],
        ["JSON object under a mode key", '{"sslmode": {"mode": "verify-full"}}', []],
        [
            "JSON arrays seven deep",
            '[[[[[[["postgres://h/db"]]]]]]]',
            [{ path: "value[0][0][0][0][0][0][0]", problem: PG_NONE }],
        ],
        ["JSON arrays eight deep", '[[[[[[[["postgres://h/db"]]]]]]]]', []],
        // YAML blobs and `KEY: value` lines: each line judged as a setting, each value again as text.
        [
            "YAML blob with a weak URL and a nested rejectUnauthorized: false",
            'database:\n  url: "postgres://h/db?sslmode=require"\n  ssl:\n    rejectUnauthorized: false\n',
            [
                { path: "value.url", problem: PG_REQUIRE },
                { path: "value.rejectUnauthorized", problem: `rejectUnauthorized=false${OFF}` },
            ],
        ],
        [
            "YAML blob that verifies fully",
            `database:\n  url: '${PG_FULL}'\n  sslmode: verify-full\n  ssl:\n    rejectUnauthorized: true\n# sslmode: disable`,
            [],
        ],
        [
            "KEY: value lines",
            "PGHOST: h\nPGSSLMODE: require",
            [{ path: "value.PGSSLMODE", problem: "PGSSLMODE=require (needs PGSSLMODE=verify-full)" }],
        ],
        [
            "a YAML list of name/value entries (Kubernetes, ECS)",
            `env:\n  - name: PGSSLMODE\n    value: require\n  - name: DATABASE_URL\n    value: ${PG_FULL}`,
            [{ path: "value.PGSSLMODE", problem: "PGSSLMODE=require (needs PGSSLMODE=verify-full)" }],
        ],
        [
            "a YAML list of name/value entries that verify",
            `env:\n  - name: PGSSLMODE\n    value: verify-full\n  - name: LOG\n    value: require`,
            [],
        ],
        [
            "a YAML line whose value is a Go MySQL DSN",
            "dsn: app:pw@tcp(db:3306)/app?tls=skip-verify",
            [{ path: "value.dsn", problem: "a Go MySQL DSN with tls=skip-verify (needs tls=true)" }],
        ],
        ["prose with a colon", "Note: connections use TLS\nSee: https://example.com/?sslmode=disable", []],
        // A setting that switches verification off next to a verify-full URL.
        [
            "DB_REJECT_UNAUTHORIZED=false next to a verify-full URL",
            `DATABASE_URL=${PG_FULL}\nDB_REJECT_UNAUTHORIZED=false`,
            [{ path: "value.DB_REJECT_UNAUTHORIZED", problem: `DB_REJECT_UNAUTHORIZED=false${OFF}` }],
        ],
        [
            "NODE_TLS_REJECT_UNAUTHORIZED=0 and PGSSLMODE=require next to a verify-full URL",
            `DATABASE_URL=${PG_FULL}\nNODE_TLS_REJECT_UNAUTHORIZED=0\nPGSSLMODE=require`,
            [
                {
                    path: "value.NODE_TLS_REJECT_UNAUTHORIZED",
                    problem: `NODE_TLS_REJECT_UNAUTHORIZED=0${OFF}`,
                },
                { path: "value.PGSSLMODE", problem: "PGSSLMODE=require (needs PGSSLMODE=verify-full)" },
            ],
        ],
        [
            "DB_REJECT_UNAUTHORIZED=true next to a verify-full URL",
            `DATABASE_URL=${PG_FULL}\nDB_REJECT_UNAUTHORIZED=true`,
            [],
        ],
        // A libpq keyword string without host (socket or PGHOST).
        [
            "libpq keywords without host",
            "user=app password=secret sslmode=require",
            [
                {
                    path: "value",
                    problem:
                        "a PostgreSQL keyword connection string with sslmode=require (needs sslmode=verify-full)",
                },
            ],
        ],
        ["libpq keywords without host that verify", "user=app password=secret sslmode=verify-full", []],
        // A semicolon string whose quoted password holds ';'.
        [
            "a quoted password with ';' before a weak SSL Mode",
            'Host=h;Password="p;w";SSL Mode=Prefer',
            [
                {
                    path: "value",
                    problem:
                        "a semicolon-separated connection string with SSL Mode=Prefer (needs SSL Mode=VerifyFull)",
                },
            ],
        ],
    ];
    for (const [what, text, expected] of cases) {
        it(what, () => {
            assert.deepEqual(findTlsProblemsInText(text, "value"), expected);
        });
    }
    it("stops descending after eight levels of nesting", () => {
        let eight = '{"sslmode": "disable"}';
        for (let i = 0; i < 3; i++) {
            eight = JSON.stringify({ a: eight });
        }
        assert.deepEqual(findTlsProblemsInText(eight, "v"), [
            { path: "v.a.a.a.sslmode", problem: `sslmode=disable ${needs("sslmode")}` },
        ]);
        assert.deepEqual(
            findTlsProblemsInText(
                JSON.stringify({ a: { b: { c: { d: { e: { f: { url: "postgres://h/db" } } } } } } }),
                "v",
            ),
            [{ path: "v.a.b.c.d.e.f.url", problem: PG_NONE }],
        );
        assert.deepEqual(
            findTlsProblemsInText(
                JSON.stringify({ a: { b: { c: { d: { e: { f: { g: { url: "postgres://h/db" } } } } } } } }),
                "v",
            ),
            [],
        );
    });
});

describe("policy lib connection strings: findTlsProblemsInVariable", () => {
    const cases: Array<[string, string, TlsFinding[]]> = [
        ["PGSSLMODE", "verify-full", []],
        ["PGSSLMODE", "require", [{ path: "p", problem: "PGSSLMODE=require (needs PGSSLMODE=verify-full)" }]],
        [
            "PGSSLMODE",
            "postgres://h/db",
            [{ path: "p", problem: "PGSSLMODE=postgres://h/db (needs PGSSLMODE=verify-full)" }],
        ],
        ["DATABASE_URL", "postgres://h/db", [{ path: "p", problem: PG_NONE }]],
        ["DATABASE_URL", PG_FULL, []],
        ["DB_SSL", "false", [{ path: "p", problem: `DB_SSL=false${OFF}` }]],
        [
            "DB_SSLMODE",
            "host=h sslmode=require",
            [
                { path: "p", problem: `DB_SSLMODE=(value not shown) ${needs("DB_SSLMODE")}` },
                {
                    path: "p",
                    problem:
                        "a PostgreSQL keyword connection string with sslmode=require (needs sslmode=verify-full)",
                },
            ],
        ],
        ["CONFIG", '{"ssl": false}', [{ path: "p.ssl", problem: `ssl=false${OFF}` }]],
        ["GREETING", "hello", []],
    ];
    for (const [name, value, expected] of cases) {
        it(`${name}=${JSON.stringify(value)}`, () => {
            assert.deepEqual(findTlsProblemsInVariable(name, value, "p"), expected);
        });
    }
});

describe("policy lib connection strings: mixed forms", () => {
    const cases: Array<[string, ReturnType<typeof checkConnectionString>]> = [
        [
            "postgres://u:p@h:5432/db?sslmode=verify-full",
            { kind: "postgres-url", modes: ["verify-full"], ok: true },
        ],
        ["POSTGRESQL://h/db?sslmode=verify-full", { kind: "postgres-url", modes: ["verify-full"], ok: true }],
        [
            "postgresql+psycopg://h/db?sslmode=require",
            { kind: "postgres-url", modes: ["require"], ok: false },
        ],
        [
            "postgres://h1:5432,h2:5432/db?target_session_attrs=read-write&sslmode=verify-full",
            { kind: "postgres-url", modes: ["verify-full"], ok: true },
        ],
        ["postgres://h/db?sslmode=verify%2Dfull", { kind: "postgres-url", modes: ["verify-full"], ok: true }],
        ["postgres://h/db?sslmode=VERIFY-FULL", { kind: "postgres-url", modes: ["VERIFY-FULL"], ok: false }],
        ["postgres://h/db?SSLMODE=verify-full", { kind: "postgres-url", modes: [], ok: false }],
        ["postgres://h/db#sslmode=verify-full", { kind: "postgres-url", modes: [], ok: false }],
        ["postgres://h/db?ssl=true", { kind: "postgres-url", modes: [], ok: false }],
        ["postgres://h/db?sslmode=", { kind: "postgres-url", modes: [""], ok: false }],
        [
            "jdbc:postgresql://h/db?sslmode=verify-ca",
            { kind: "postgres-url", modes: ["verify-ca"], ok: false },
        ],
        [
            "host=h dbname=db sslmode=verify-full",
            { kind: "postgres-keyword-dsn", modes: ["verify-full"], ok: true },
        ],
        [
            "host = h  sslmode = 'verify-full'",
            { kind: "postgres-keyword-dsn", modes: ["verify-full"], ok: true },
        ],
        ["service=prod", { kind: "postgres-keyword-dsn", modes: [], ok: false }],
        ["host=h password='it''s' sslmode=verify-full", undefined],
        [
            "mysql://u@h:3306/db?ssl-mode=VERIFY_IDENTITY",
            { kind: "mysql-url", modes: ["VERIFY_IDENTITY"], ok: true },
        ],
        [
            "mysqlx://h/db?ssl_mode=verify_identity",
            { kind: "mysql-url", modes: ["verify_identity"], ok: true },
        ],
        ["mysql+pymysql://h/db?ssl-mode=VERIFY_CA", { kind: "mysql-url", modes: ["VERIFY_CA"], ok: false }],
        ["mariadb://h/db", { kind: "mysql-url", modes: [], ok: false }],
        ["https://example.com/?sslmode=disable", undefined],
        ["a=b c=d", undefined],
        ["just text", undefined],
    ];
    for (const [text, expected] of cases) {
        it(`checks ${JSON.stringify(text)}`, () => {
            assert.deepEqual(checkConnectionString(text), expected);
        });
    }
    it("parses keyword DSNs with quotes and escapes, and rejects other text", () => {
        assert.deepEqual(parseKeywordDsn("host=h password='a b\\'c' port=5432"), [
            ["host", "h"],
            ["password", "a b'c"],
            ["port", "5432"],
        ]);
        assert.equal(parseKeywordDsn("host=h trailing"), undefined);
        assert.equal(parseKeywordDsn("host='unclosed"), undefined);
        assert.equal(parseKeywordDsn(""), undefined);
    });
    it("reads URL query parameters in order, decoded, without the fragment", () => {
        assert.deepEqual(urlQueryParameters("postgres://u:p@h/db?a=1&sslmode=verify%2Dfull&flag#x=y"), [
            ["a", "1"],
            ["sslmode", "verify-full"],
            ["flag", ""],
        ]);
        assert.deepEqual(urlQueryParameters("postgres://h/db"), []);
    });
    it("describes a failed check without repeating the string", () => {
        assert.equal(
            describeCheck({ kind: "postgres-url", modes: ["require"], ok: false }),
            "a PostgreSQL URL with sslmode=require (needs sslmode=verify-full)",
        );
        assert.equal(
            describeCheck({ kind: "mysql-url", modes: [], ok: false }),
            "a MySQL URL with no ssl-mode (needs ssl-mode=VERIFY_IDENTITY)",
        );
        assert.equal(
            describeCheck({ kind: "postgres-keyword-dsn", modes: [""], ok: false }),
            "a PostgreSQL keyword connection string with sslmode=(empty) (needs sslmode=verify-full)",
        );
    });
    it("checks PGSSLMODE exactly", () => {
        assert.equal(checkPgSslMode("verify-full"), undefined);
        assert.equal(checkPgSslMode("Verify-Full"), "PGSSLMODE=Verify-Full (needs PGSSLMODE=verify-full)");
        assert.equal(checkPgSslMode(""), "PGSSLMODE=(empty) (needs PGSSLMODE=verify-full)");
    });
    it("walks JSON text and names the path of each problem", () => {
        assert.deepEqual(
            findTlsProblemsInText(
                '{"a": {"b-c": ["postgres://h/db"]}, "PGSSLMODE": "disable", "ok": "postgres://h/db?sslmode=verify-full"}',
                "secretString",
            ),
            [
                {
                    path: 'secretString.a["b-c"][0]',
                    problem: "a PostgreSQL URL with no sslmode (needs sslmode=verify-full)",
                },
                {
                    path: "secretString.PGSSLMODE",
                    problem: "PGSSLMODE=disable (needs PGSSLMODE=verify-full)",
                },
            ],
        );
        assert.deepEqual(findTlsProblemsInText("{not json postgres://h/db", "value"), []);
        assert.deepEqual(findTlsProblemsInText("  mysql://h/db  ", "value"), [
            { path: "value", problem: "a MySQL URL with no ssl-mode (needs ssl-mode=VERIFY_IDENTITY)" },
        ]);
    });
});

describe("policy lib connection strings: judgeTlsSetting by name", () => {
    const cases: Array<[string, unknown, string | undefined]> = [
        ["PGSSLMODE", "verify-full", undefined],
        ["PGSSLMODE", "Verify-Full", "PGSSLMODE=Verify-Full (needs PGSSLMODE=verify-full)"],
        ["sslmode", "verify-full", undefined],
        ["ssl-mode", "VERIFY_IDENTITY", undefined],
        ["SSL Mode", "VerifyFull", undefined],
        [
            "DB_SSLMODE",
            "disable",
            "DB_SSLMODE=disable (needs DB_SSLMODE=verify-full, or VERIFY_IDENTITY for MySQL)",
        ],
        [
            "sslMode",
            "VERIFY_CA",
            "sslMode=VERIFY_CA (needs sslMode=verify-full, or VERIFY_IDENTITY for MySQL)",
        ],
        [
            "sslmode",
            "a secret value!",
            "sslmode=(value not shown) (needs sslmode=verify-full, or VERIFY_IDENTITY for MySQL)",
        ],
        ["ssl", false, "ssl=false, which turns server verification off"],
        ["ssl", true, undefined],
        ["DB_SSL", "0", "DB_SSL=0, which turns server verification off"],
        ["SMTP_SSL", "false", undefined],
        ["useSSL", "false", "useSSL=false, which turns server verification off"],
        ["rejectUnauthorized", false, "rejectUnauthorized=false, which turns server verification off"],
        ["rejectUnauthorized", true, undefined],
        [
            "NODE_TLS_REJECT_UNAUTHORIZED",
            "0",
            "NODE_TLS_REJECT_UNAUTHORIZED=0, which turns server verification off",
        ],
        ["NODE_TLS_REJECT_UNAUTHORIZED", "1", undefined],
        [
            "sslaccept",
            "accept_invalid_certs",
            "sslaccept=accept_invalid_certs, which turns server verification off",
        ],
        ["sslaccept", "strict", undefined],
        [
            "verifyServerCertificate",
            "false",
            "verifyServerCertificate=false, which turns server verification off",
        ],
        [
            "trustServerCertificate",
            "true",
            "trustServerCertificate=true, which turns server verification off",
        ],
        ["Trust Server Certificate", "false", undefined],
        ["ssl-verify-server-cert", "off", "ssl-verify-server-cert=off, which turns server verification off"],
        [
            "sslfactory",
            "org.postgresql.ssl.NonValidatingFactory",
            "sslfactory=org.postgresql.ssl.NonValidatingFactory, which turns server verification off",
        ],
        ["sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory", undefined],
        ["tls", "skip-verify", "tls=skip-verify, which turns server verification off"],
        ["tls", "true", undefined],
        ["Encrypt", "false", "Encrypt=false, which turns server verification off"],
        ["sslrootcert", "/opt/AmazonRootCA1.pem", undefined],
        ["host", "db.example", undefined],
    ];
    for (const [key, value, expected] of cases) {
        it(`${key}=${JSON.stringify(value)} is ${expected === undefined ? "fine" : "weak"}`, () => {
            assert.equal(judgeTlsSetting(key, value), expected);
        });
    }
});
