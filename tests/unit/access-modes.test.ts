/**
 * The access modes are one discriminated union (vocabulary/access): each mode's meaning for the contract, the
 * proxy, the bootstrap, the consumer's policy and the connection examples is written in its own module, and its
 * resources in components/access/<mode>.ts. This test holds the line: no other source file names a mode, so a
 * third mode changes only its own modules and the two registries (which the type checker makes complete).
 */
import * as assert from "assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import {
    ACCESS_KINDS,
    ACCESS_MODES,
    accessKindRule,
    foreignReferenceFields,
    parseReference,
} from "../../vocabulary";
import { ACCESS_BUILDERS, ROLE_NAME_SUFFIXES } from "../../components/access";
import { ENGINES, type Engine } from "../../vocabulary/engines";

const ROOT = path.join(__dirname, "..", "..");
const SOURCE_DIRS = ["index.ts", "stacks", "components", "vocabulary", "policy-pack", "tools", "bench"];

/** Every TypeScript source of the program and its tools (tests excluded: they may name modes freely). */
function sources(): string[] {
    const out: string[] = [];
    const walk = (p: string) => {
        const full = path.join(ROOT, p);
        if (fs.statSync(full).isDirectory()) {
            for (const entry of fs.readdirSync(full)) {
                if (entry !== "node_modules") walk(path.join(p, entry));
            }
        } else if (p.endsWith(".ts") && !p.endsWith(".d.ts")) {
            out.push(p);
        }
    };
    SOURCE_DIRS.forEach(walk);
    return out;
}

/** Where a string literal names a mode: [file, line, mode, the line's text]. */
function modeLiterals(file: string): [string, number, string, string][] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const lines = text.split("\n");
    const found: [string, number, string, string][] = [];
    const visit = (node: ts.Node) => {
        if (
            (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
            (ACCESS_KINDS as readonly string[]).includes(node.text)
        ) {
            const line = source.getLineAndCharacterOfPosition(node.getStart()).line;
            found.push([file, line + 1, node.text, lines[line].trim()]);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

/**
 * String literals equal to a mode's name that do not name the mode, by file and line text, each with why; a new one
 * is a review decision, not a convenience.
 */
const NOT_A_MODE: Record<string, string> = {
    [`${path.join("tools", "local", "moto.ts")}: for (const part of ["us-east-1", "iam", "aws4_request"]) {`]:
        "the IAM service's name in a SigV4 signing scope",
    [`${path.join("tools", "recording", "computed-state.ts")}: return { arn: globalArnIn(where, "iam", \`role/\${name}\`) };`]:
        "the IAM service's name in a role ARN",
    [`${path.join("tools", "recording", "computed-state.ts")}: return { arn: globalArnIn(where, "iam", \`policy/\${name}\`) };`]:
        "the IAM service's name in a policy ARN",
    [`${path.join("policy-pack", "lib", "connection-strings.ts")}: ...["port", "user", "password", "passfile", "require_auth", "channel_binding", "connect_timeout"],`]:
        "libpq's password keyword (the policy pack reads connection strings and imports nothing of the program)",
};

describe("access modes as one union", () => {
    it("names each mode only in its own module", () => {
        const stray = sources()
            .flatMap(modeLiterals)
            .filter(([file, , mode]) => file !== path.join("vocabulary", "access", `${mode}.ts`))
            .filter(([file, , , line]) => !(`${file}: ${line}` in NOT_A_MODE))
            .map(([file, line, mode]) => `${file}:${line} "${mode}"`);
        assert.deepStrictEqual(stray, [], "compare the mode's definition (vocabulary/access) instead");
    });

    it("has a definition, a builder and role-name suffixes for every mode, under its own name", () => {
        for (const kind of ACCESS_KINDS) {
            assert.strictEqual(ACCESS_MODES[kind].auth, kind);
            assert.strictEqual(typeof ACCESS_BUILDERS[kind], "function");
            assert.ok(Array.isArray(ROLE_NAME_SUFFIXES[kind]));
        }
        assert.deepStrictEqual(Object.keys(ACCESS_BUILDERS), [...ACCESS_KINDS]);
        assert.deepStrictEqual(Object.keys(ROLE_NAME_SUFFIXES), [...ACCESS_KINDS]);
        assert.strictEqual(accessKindRule.must, 'one of "iam", "password"');
    });

    it("gives each mode reference fields of its own, so a reference says its mode by its fields too", () => {
        for (const kind of ACCESS_KINDS) {
            const own = Object.keys(ACCESS_MODES[kind].referenceRules);
            assert.ok(own.length > 0, kind);
            assert.deepStrictEqual(
                own.filter((f) => foreignReferenceFields(kind).includes(f)),
                [],
                `${kind} shares a reference field with another mode`,
            );
        }
    });

    it("parses each mode's reference to exactly its fields, and refuses the other modes' fields", () => {
        const role = "arn:aws:iam::111111111111:role/app-connect";
        const secret = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:app-AbCdEf";
        const key = "arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000001";
        assert.deepStrictEqual(parseReference({ auth: "iam", connectRoleArn: role, note: "dropped" }), {
            reference: { auth: "iam", connectRoleArn: role },
        });
        assert.deepStrictEqual(parseReference({ auth: "password", secretArn: secret, secretKeyArn: key }), {
            reference: { auth: "password", secretArn: secret, secretKeyArn: key },
        });
        assert.deepStrictEqual(parseReference({ auth: "iam", connectRoleArn: role, secretKeyArn: key }), {
            problems: [
                {
                    field: "secretKeyArn",
                    value: key,
                    reason: 'auth is "iam", which does not use it',
                    fix: "Remove secretKeyArn.",
                },
            ],
        });
    });
});

describe("access modes per engine", () => {
    // The protocol decides, never the engine's name: RDS for PostgreSQL is served as Aurora PostgreSQL is, RDS for
    // MySQL and RDS for MariaDB as Aurora MySQL (vocabulary/access/password.ts says why native password on MariaDB).
    const ENGINE_CASES = [
        { engine: "aurora-postgresql", scheme: "POSTGRES_SCRAM_SHA_256", mysql2: false },
        { engine: "postgres", scheme: "POSTGRES_SCRAM_SHA_256", mysql2: false },
        { engine: "aurora-mysql", scheme: "MYSQL_NATIVE_PASSWORD", mysql2: true },
        { engine: "mysql", scheme: "MYSQL_NATIVE_PASSWORD", mysql2: true },
        { engine: "mariadb", scheme: "MYSQL_NATIVE_PASSWORD", mysql2: true },
    ] as const;
    const password = {
        auth: "password",
        secretArn: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-account-orders-AbCdEf",
        secretKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000001",
    } as const;
    const iam = {
        auth: "iam",
        connectRoleArn: "arn:aws:iam::111111111111:role/db-account-connect-orders",
    } as const;
    const target = (engine: Engine) => ({
        engine,
        host: "app.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
        port: 3306,
        database: "app",
        user: "orders",
        token: { host: "app.proxy-c1a2b3.eu-west-1.rds.amazonaws.com", port: 3306, region: "eu-west-1" },
    });

    it("has a case for every engine", () => {
        assert.deepStrictEqual(ENGINE_CASES.map((c) => c.engine).sort(), [...ENGINES].sort());
    });
    for (const { engine, scheme, mysql2 } of ENGINE_CASES) {
        it(`${engine}: the proxy checks passwords with ${scheme}; the Node.js pool is ${mysql2 ? "mysql2's" : "node-postgres's"}`, () => {
            const settings = ACCESS_MODES.password.proxy.authSettings(engine, [
                { databaseUser: "orders", description: "orders", secret: { arn: "s", keyArn: "k" } },
            ]);
            assert.deepStrictEqual(settings, {
                defaultAuthScheme: "NONE",
                auths: [
                    {
                        authScheme: "SECRETS",
                        secretArn: "s",
                        iamAuth: "DISABLED",
                        description: "orders",
                        clientPasswordAuthType: scheme,
                    },
                ],
            });
            // mysql2 takes a fixed password and sends an IAM token through the cleartext plugin; node-postgres
            // calls a password function per connection.
            assert.strictEqual(
                ACCESS_MODES.password.examples.node(password, target(engine)).passwordOption,
                mysql2 ? "password: await password()," : "password,",
            );
            assert.strictEqual(
                ACCESS_MODES.iam.examples
                    .node(iam, target(engine))
                    .passwordOption.startsWith(
                        mysql2
                            ? "authPlugins: { mysql_clear_password:"
                            : "password: () => signer.getAuthToken()",
                    ),
                true,
            );
        });
    }
});
