/**
 * The scheduled Lambda's code: handler.ts and what it imports (AWS SDK clients included) in one CommonJS file.
 */
import { bundleLambda } from "../bundle";

/** Bundles the Lambda handler (and the AWS SDK it uses) into one CommonJS file, once per process. */
export function bundleHandler(): string {
    return bundleLambda(__dirname, "handler");
}
