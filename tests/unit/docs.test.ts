/**
 * The config reference (docs/config.md) quotes the defaults and ranges the code defines once
 * (vocabulary/settings.ts, vocabulary/engines.ts): a changed default or range fails here until the docs say the same.
 * Also: the README's length limits, the platforms of `examples.profile` in docs/app-account.md, and the bootstrap's
 * files in docs/database-users.md. Prose elsewhere is not checked.
 */
import * as assert from "assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    DEFAULT_DATABASE_NAME,
    DEFAULT_ENGINE,
    DEFAULT_ENGINE_VERSION,
    DEFAULT_INSTANCE_CLASS,
    SETTINGS,
    type SettingName,
} from "../../vocabulary";
import { DEFAULT_SCHEDULE } from "../../components/target-sync";
import { PLATFORMS } from "../../vocabulary/access";

const ROOT = path.join(__dirname, "..", "..");
const doc = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

const reference = doc(path.join("docs", "config.md"));

/** The cells of the config reference's table row of `key`: [key, required, default, meaning]. */
function row(key: string): string[] {
    const line = reference.split("\n").find((l) => l.startsWith(`| \`${key}\` |`));
    assert.ok(line, `docs/config.md has no config reference row for ${key}`);
    return line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim());
}

const KEYS: Record<SettingName, string> = {
    azCount: "network.azCount",
    readers: "database.readers",
    backupRetentionDays: "database.backupRetentionDays",
    idleClientTimeoutSeconds: "proxy.idleClientTimeoutSeconds",
    maxConnectionsPercent: "proxy.maxConnectionsPercent",
    connectionBorrowTimeoutSeconds: "proxy.connectionBorrowTimeoutSeconds",
    missesBeforeDeregister: "targetSync.missesBeforeDeregister",
};

describe("docs/config.md config reference", () => {
    for (const [name, key] of Object.entries(KEYS) as [SettingName, string][]) {
        const setting = SETTINGS[name];
        it(`${key}: default ${setting.default}, range ${setting.min}–${setting.max}`, () => {
            const [, , defaultCell, meaning] = row(key);
            assert.strictEqual(defaultCell, String(setting.default));
            assert.ok(
                meaning.endsWith(`${setting.min}–${setting.max}`),
                `the meaning of ${key} should end with its range ${setting.min}–${setting.max}: "${meaning}"`,
            );
        });
    }

    it("quotes the default engine, versions, instance class, database name and schedule", () => {
        assert.strictEqual(row("database.engine")[2], `\`${DEFAULT_ENGINE}\``);
        assert.strictEqual(
            row("database.engineVersion")[2],
            `\`${DEFAULT_ENGINE_VERSION["aurora-postgresql"]}\` / \`${DEFAULT_ENGINE_VERSION["aurora-mysql"]}\``,
        );
        assert.strictEqual(row("database.instanceClass")[2], `\`${DEFAULT_INSTANCE_CLASS}\``);
        assert.strictEqual(row("database.databaseName")[2], `\`${DEFAULT_DATABASE_NAME}\``);
        assert.strictEqual(row("targetSync.schedule")[2], `\`${DEFAULT_SCHEDULE}\``);
    });
});

describe("docs that follow the code", () => {
    it("keeps the README at most 200 lines, with the quickstart within the first 60", () => {
        const lines = doc("README.md").split("\n");
        assert.ok(lines.length <= 201, `README.md has ${lines.length} lines`);
        const quickstart = lines.findIndex((l) => l === "## Quickstart");
        assert.ok(quickstart >= 0 && quickstart < 60, `the quickstart starts at line ${quickstart + 1}`);
    });

    it("names every platform of examples.profile in docs/app-account.md", () => {
        const text = doc(path.join("docs", "app-account.md"));
        for (const platform of PLATFORMS) assert.ok(text.includes(`\`${platform}\``), platform);
    });

    it("lists exactly the bootstrap's files in docs/database-users.md", () => {
        const text = doc(path.join("docs", "database-users.md"));
        const table = text.slice(
            text.indexOf("| file | concern |"),
            text.indexOf("## What the bootstrap is given"),
        );
        const listed = [...table.matchAll(/^\| ([^|]+) \|/gm)]
            .flatMap((m) => [...m[1].matchAll(/`([a-z-]+\.ts)`/g)].map((f) => f[1]))
            .sort();
        const files = fs
            .readdirSync(path.join(ROOT, "components", "bootstrap"))
            .filter((f) => f.endsWith(".ts") && f !== "index.ts")
            .sort();
        assert.deepStrictEqual(listed, files);
    });
});
