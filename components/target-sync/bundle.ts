/* eslint-disable @typescript-eslint/no-require-imports -- esbuild is loaded only when a Lambda is built, not by
   every importer of the component. */
/**
 * Bundles the scheduled Lambda's handler (handler.ts and what it imports, AWS SDK clients included) into one
 * CommonJS file. The handler's import graph must not reach @pulumi/pulumi: the function carries none of the
 * Pulumi SDK.
 */
import * as fs from "node:fs";
import * as path from "node:path";

let bundled: string | undefined;

/** Bundles the Lambda handler (and the AWS SDK it uses) into one CommonJS file, once per process. */
export function bundleHandler(): string {
    if (bundled === undefined) {
        const esbuild = require("esbuild") as typeof import("esbuild");
        const result = esbuild.buildSync({
            // The TypeScript source when run by ts-node (Pulumi's default), the compiled file otherwise.
            entryPoints: [
                path.join(
                    __dirname,
                    fs.existsSync(path.join(__dirname, "handler.ts")) ? "handler.ts" : "handler.js",
                ),
            ],
            bundle: true,
            platform: "node",
            target: "node22",
            format: "cjs",
            minify: true,
            legalComments: "none",
            write: false,
            logLevel: "silent",
        });
        bundled = result.outputFiles[0].text;
    }
    return bundled;
}
