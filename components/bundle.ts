/* eslint-disable @typescript-eslint/no-require-imports -- esbuild is loaded only when a Lambda is built, not by
   every importer of a component. */
/**
 * Bundles a Lambda handler (the file and everything it imports: AWS SDK pieces, database drivers, CA bundles) into
 * one minified CommonJS file for the nodejs22.x runtime. A handler's import graph must not reach @pulumi/pulumi:
 * the function carries none of the Pulumi SDK. Shared by every component that ships a Lambda.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const bundles = new Map<string, string>();

/**
 * The bundle of `<dir>/<base>.ts` (the TypeScript source when run by ts-node, Pulumi's default) or `<base>.js` (the
 * compiled file otherwise), built once per process. `external` names modules left out of the bundle: optional
 * imports a dependency guards at run time (pg's `pg-native`).
 */
export function bundleLambda(dir: string, base: string, external: readonly string[] = []): string {
    const ts = path.join(dir, `${base}.ts`);
    const entry = fs.existsSync(ts) ? ts : path.join(dir, `${base}.js`);
    let text = bundles.get(entry);
    if (text === undefined) {
        const esbuild = require("esbuild") as typeof import("esbuild");
        const result = esbuild.buildSync({
            entryPoints: [entry],
            bundle: true,
            platform: "node",
            target: "node22",
            format: "cjs",
            minify: true,
            legalComments: "none",
            external: [...external],
            write: false,
            logLevel: "silent",
        });
        text = result.outputFiles[0].text;
        bundles.set(entry, text);
    }
    return text;
}
