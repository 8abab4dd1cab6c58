// What the CLI learns from the pack before analyzing anything (GetAnalyzerInfo), and the files that make the pack
// loadable by `pulumi preview --policy-pack policy-pack`.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PACK_DIR } from "../../tools/policy/analyzer";
import { usePolicyPack } from "./support/expect";

interface PackageJson {
    name: string;
    version: string;
    main?: string;
    dependencies?: Record<string, string>;
}

function readJson(file: string): PackageJson {
    return JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;
}

describe("policy pack: metadata (through the analyzer)", () => {
    const pack = usePolicyPack();

    it("announces its name, the version from its package.json, and that it takes config", async () => {
        const info = await pack().info();
        assert.equal(info.name, "rds-cross-account");
        assert.equal(info.version, readJson(path.join(PACK_DIR, "package.json")).version);
        assert.equal(info.supportsConfig, true);
    });

    it("lists every policy as mandatory, with its config knobs", async () => {
        const info = await pack().info();
        assert.deepEqual(info.policies, [
            { name: "rds-no-public-access", enforcementLevel: "mandatory", configProperties: [] },
            {
                name: "no-world-open-database-ports",
                enforcementLevel: "mandatory",
                configProperties: ["extraPorts"],
            },
            { name: "no-world-open-listener-ports", enforcementLevel: "mandatory", configProperties: [] },
            {
                name: "no-open-prefix-lists-on-database-ports",
                enforcementLevel: "mandatory",
                configProperties: ["extraPorts", "trustedPrefixListIds"],
            },
            { name: "rds-proxy-require-tls", enforcementLevel: "mandatory", configProperties: [] },
            { name: "rds-parameter-group-required", enforcementLevel: "mandatory", configProperties: [] },
            { name: "rds-parameter-group-forces-tls", enforcementLevel: "mandatory", configProperties: [] },
            { name: "connection-strings-verify-full", enforcementLevel: "mandatory", configProperties: [] },
            {
                name: "database-endpoint-private-dns",
                enforcementLevel: "mandatory",
                configProperties: ["endpointServiceNames", "resourceConfigurationArns"],
            },
            {
                name: "endpoint-service-no-wildcard-principals",
                enforcementLevel: "mandatory",
                configProperties: [],
            },
            {
                name: "no-internet-facing-database-listener",
                enforcementLevel: "mandatory",
                configProperties: ["extraPorts", "internalLoadBalancerArns", "internalTargetGroupArns"],
            },
            {
                name: "database-client-instances-private",
                enforcementLevel: "mandatory",
                configProperties: ["extraPorts"],
            },
            { name: "ram-share-named-principals", enforcementLevel: "mandatory", configProperties: [] },
            {
                name: "lattice-resource-policy-no-open-grant",
                enforcementLevel: "mandatory",
                configProperties: [],
            },
            {
                name: "lattice-database-resource-configuration",
                enforcementLevel: "mandatory",
                configProperties: ["extraPorts"],
            },
            {
                name: "resource-endpoint-private-dns-domains",
                enforcementLevel: "mandatory",
                configProperties: ["resourceConfigurationArns"],
            },
            { name: "resource-gateway-egress-private", enforcementLevel: "mandatory", configProperties: [] },
        ]);
    });
});

describe("policy pack: files the CLI loads", () => {
    it("declares a nodejs PulumiPolicy.yaml", () => {
        const yaml = fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8");
        assert.match(yaml, /^runtime: nodejs$/m);
    });

    it("points main at index.ts and pins the same SDK versions as the project, so a pack installed on its own runs the code tested here", () => {
        const packPackage = readJson(path.join(PACK_DIR, "package.json"));
        const root = readJson(path.join(PACK_DIR, "..", "package.json"));
        assert.equal(packPackage.main, "index.ts");
        assert.deepEqual(packPackage.dependencies, {
            "@pulumi/policy": root.dependencies?.["@pulumi/policy"],
            "@pulumi/pulumi": root.dependencies?.["@pulumi/pulumi"],
        });
    });

    it("resolves the CLI's policy runner and the SDK from the pack directory: the root node_modules when the pack has none", () => {
        const root = path.join(PACK_DIR, "..");
        // require.resolve answers with real paths, so a node_modules that is a symbolic link is compared resolved.
        const modules = fs.realpathSync(
            fs.existsSync(path.join(PACK_DIR, "node_modules", "@pulumi"))
                ? path.join(PACK_DIR, "node_modules")
                : path.join(root, "node_modules"),
        );
        assert.equal(
            require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] }),
            path.join(modules, "@pulumi", "pulumi", "cmd", "run-policy-pack", "index.js"),
        );
        assert.equal(
            require.resolve("@pulumi/policy", { paths: [PACK_DIR] }),
            path.join(modules, "@pulumi", "policy", "index.js"),
        );
    });
});
